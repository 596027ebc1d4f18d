// Every primitive, the ops that have kernels. A class here plus its eval_cpu in backend/cpu is
// all a new primitive needs besides its op function (docs/adding_an_op.md).
#pragma once

#include <cstdint>
#include <optional>

#include "ember/ops/primitive.h"

namespace ember {

enum class UnaryOp : uint8_t {
#define EMBER_UNARY_OP(name, Name, rule) Name,
#include "ember/elementwise/unary_ops.def"
#undef EMBER_UNARY_OP
};
enum class BinaryOp : uint8_t {
#define EMBER_BINARY_OP(name, Name, rule) Name,
#define EMBER_BINARY_KERNEL_ONLY(name, Name, rule) Name,
#include "ember/elementwise/binary_ops.def"
#undef EMBER_BINARY_OP
#undef EMBER_BINARY_KERNEL_ONLY
};
inline constexpr int kNumUnaryOps = 0
#define EMBER_UNARY_OP(name, Name, rule) +1
#include "ember/elementwise/unary_ops.def"
#undef EMBER_UNARY_OP
    ;
inline constexpr int kNumBinaryOps = 0
#define EMBER_BINARY_OP(name, Name, rule) +1
#define EMBER_BINARY_KERNEL_ONLY(name, Name, rule) +1
#include "ember/elementwise/binary_ops.def"
#undef EMBER_BINARY_OP
#undef EMBER_BINARY_KERNEL_ONLY
    ;

// inputs: x (already in the compute type); outputs: y of the same type.
class UnaryPrimitive : public Primitive {
 public:
  explicit UnaryPrimitive(UnaryOp op) : op_(op) {}
  UnaryOp op() const { return op_; }
  void eval_cpu(TensorSpan inputs, TensorSpan outputs) const override;

 private:
  UnaryOp op_;
};

// inputs: a, b (same compute type, broadcastable); outputs: the result (compute type, or bool).
class BinaryPrimitive : public Primitive {
 public:
  explicit BinaryPrimitive(BinaryOp op) : op_(op) {}
  BinaryOp op() const { return op_; }
  void eval_cpu(TensorSpan inputs, TensorSpan outputs) const override;

 private:
  BinaryOp op_;
};

// One class per .def row, named as DESIGN §9 asks (exp -> Exp).
#define EMBER_UNARY_OP(op_name, Name, rule)                         \
  class Name final : public UnaryPrimitive {                        \
   public:                                                          \
    Name() : UnaryPrimitive(UnaryOp::Name) {}                       \
    std::string_view name() const override { return #op_name; }     \
  };
#include "ember/elementwise/unary_ops.def"
#undef EMBER_UNARY_OP
#define EMBER_BINARY_OP(op_name, Name, rule)                        \
  class Name final : public BinaryPrimitive {                       \
   public:                                                          \
    Name() : BinaryPrimitive(BinaryOp::Name) {}                     \
    std::string_view name() const override { return #op_name; }     \
  };
#define EMBER_BINARY_KERNEL_ONLY(op_name, Name, rule) EMBER_BINARY_OP(op_name, Name, rule)
#include "ember/elementwise/binary_ops.def"
#undef EMBER_BINARY_OP
#undef EMBER_BINARY_KERNEL_ONLY

// inputs: condition (bool), x, y (same type); outputs: the selection.
class Where final : public Primitive {
 public:
  std::string_view name() const override { return "where"; }
  void eval_cpu(TensorSpan inputs, TensorSpan outputs) const override;
};

// inputs: src; outputs: dst (any dtype, src broadcastable to it). Casts while copying.
class Copy final : public Primitive {
 public:
  std::string_view name() const override { return "copy_"; }
  void eval_cpu(TensorSpan inputs, TensorSpan outputs) const override;
};

// outputs: the tensor to fill with one value.
class Fill final : public Primitive {
 public:
  explicit Fill(Scalar value) : value_(value) {}
  std::string_view name() const override { return "fill_"; }
  void eval_cpu(TensorSpan inputs, TensorSpan outputs) const override;

 private:
  Scalar value_;
};

// outputs: a 1-D tensor with out[i] = start + i * step (arange, and linspace's body).
class Range final : public Primitive {
 public:
  Range(double start, double step) : start_(start), step_(step) {}
  std::string_view name() const override { return "arange"; }
  void eval_cpu(TensorSpan inputs, TensorSpan outputs) const override;

 private:
  double start_, step_;
};

}  // namespace ember

namespace ember {

// outputs: a contiguous float32/float64 (int64 for RandInt) tensor filled from the Philox stream
// (seed, offset); element i depends only on (seed, offset, i), never on the thread count.
class RandomFill final : public Primitive {
 public:
  enum class Distribution : uint8_t { Uniform, Normal, Bernoulli, RandInt };
  RandomFill(Distribution distribution, double a, double b, uint64_t seed, uint64_t offset)
      : distribution_(distribution), a_(a), b_(b), seed_(seed), offset_(offset) {}
  std::string_view name() const override;
  void eval_cpu(TensorSpan inputs, TensorSpan outputs) const override;

 private:
  Distribution distribution_;
  double a_, b_;  // uniform: [a, b); normal: mean a, std b; bernoulli: p = a; randint: [a, b)
  uint64_t seed_, offset_;
};

}  // namespace ember

// Families with many primitives keep their classes in their own headers.
#include "ember/ops/primitives_linalg.h"
#include "ember/ops/primitives_reduce.h"
#include "ember/ops/primitives_index.h"
