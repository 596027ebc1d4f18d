// Every primitive, the ops that have kernels. A class here plus its eval_cpu in backend/cpu is
// all a new primitive needs besides its op function (docs/adding_an_op.md).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "ember/base/philox.h"
#include "ember/elementwise/type_rule.h"
#include "ember/ops/primitive.h"

namespace ember {

enum class UnaryOp : uint8_t {
#define EMBER_UNARY_OP(name, Name, rule) Name,
#include "ember/tensor/unary_ops.def"
#undef EMBER_UNARY_OP
};
enum class BinaryOp : uint8_t {
#define EMBER_BINARY_OP(name, Name, rule) Name,
#define EMBER_BINARY_KERNEL_ONLY(name, Name, rule) Name,
#include "ember/tensor/binary_ops.def"
#undef EMBER_BINARY_OP
#undef EMBER_BINARY_KERNEL_ONLY
};
inline constexpr int kNumUnaryOps = 0
#define EMBER_UNARY_OP(name, Name, rule) +1
#include "ember/tensor/unary_ops.def"
#undef EMBER_UNARY_OP
    ;
inline constexpr int kNumBinaryOps = 0
#define EMBER_BINARY_OP(name, Name, rule) +1
#define EMBER_BINARY_KERNEL_ONLY(name, Name, rule) +1
#include "ember/tensor/binary_ops.def"
#undef EMBER_BINARY_OP
#undef EMBER_BINARY_KERNEL_ONLY
    ;

// The type rule of each row (elementwise/type_rule.h): the one place the .def column is read.
namespace detail {
inline constexpr UnaryTypeRule kUnaryTypeRules[] = {
#define EMBER_UNARY_OP(name, Name, rule) UnaryTypeRule::rule,
#include "ember/tensor/unary_ops.def"
#undef EMBER_UNARY_OP
};
inline constexpr BinaryTypeRule kBinaryTypeRules[] = {
#define EMBER_BINARY_OP(name, Name, rule) BinaryTypeRule::rule,
#define EMBER_BINARY_KERNEL_ONLY(name, Name, rule) BinaryTypeRule::rule,
#include "ember/tensor/binary_ops.def"
#undef EMBER_BINARY_OP
#undef EMBER_BINARY_KERNEL_ONLY
};
}  // namespace detail
constexpr UnaryTypeRule type_rule(UnaryOp op) {
  return detail::kUnaryTypeRules[static_cast<int>(op)];
}
constexpr BinaryTypeRule type_rule(BinaryOp op) {
  return detail::kBinaryTypeRules[static_cast<int>(op)];
}

// inputs: x (already in the compute type); outputs: y of the same type.
class UnaryPrimitive : public Primitive {
 public:
  explicit UnaryPrimitive(UnaryOp op) : op_(op) {}
  PrimitiveKind kind() const override { return PrimitiveKind::Unary; }
  UnaryOp op() const { return op_; }
  void eval_cpu(TensorSpan inputs, TensorSpan outputs) const override;

 private:
  UnaryOp op_;
};

// inputs: a, b (same compute type, broadcastable); outputs: the result (compute type, or bool).
class BinaryPrimitive : public Primitive {
 public:
  explicit BinaryPrimitive(BinaryOp op) : op_(op) {}
  PrimitiveKind kind() const override { return PrimitiveKind::Binary; }
  BinaryOp op() const { return op_; }
  void eval_cpu(TensorSpan inputs, TensorSpan outputs) const override;

 private:
  BinaryOp op_;
};

// One class per .def row, named as DESIGN §9 asks (exp -> Exp).
#define EMBER_UNARY_OP(op_name, Name, rule)                                                     \
  class Name final : public UnaryPrimitive {                                                    \
   public:                                                                                      \
    Name() : UnaryPrimitive(UnaryOp::Name) {}                                                   \
    std::string_view name() const override { return #op_name; }                                 \
    std::unique_ptr<Primitive> clone() const override { return std::make_unique<Name>(*this); } \
  };
#include "ember/tensor/unary_ops.def"
#undef EMBER_UNARY_OP
#define EMBER_BINARY_OP(op_name, Name, rule)                                                    \
  class Name final : public BinaryPrimitive {                                                   \
   public:                                                                                      \
    Name() : BinaryPrimitive(BinaryOp::Name) {}                                                 \
    std::string_view name() const override { return #op_name; }                                 \
    std::unique_ptr<Primitive> clone() const override { return std::make_unique<Name>(*this); } \
  };
#define EMBER_BINARY_KERNEL_ONLY(op_name, Name, rule) EMBER_BINARY_OP(op_name, Name, rule)
#include "ember/tensor/binary_ops.def"
#undef EMBER_BINARY_OP
#undef EMBER_BINARY_KERNEL_ONLY

// inputs: a, b (the same float32 or float64 type, broadcastable); outputs: a + alpha * b in that
// type, rounded once (a fused multiply-add, as PyTorch's add/sub with alpha in opmath), so alpha *
// b never overflows or rounds on its own. `op` is "add" or "sub" (alpha negated), for autograd.
class AddScaled final : public Primitive {
 public:
  EMBER_PRIMITIVE(AddScaled, AddScaled)
  AddScaled(std::string_view op, double alpha) : op_(op), alpha_(alpha) {}
  std::string_view name() const override { return op_; }
  double alpha() const { return alpha_; }
  void eval_cpu(TensorSpan inputs, TensorSpan outputs) const override;

 private:
  std::string_view op_;
  double alpha_;
};

// inputs: condition (bool), x, y (same type); outputs: the selection.
class Where final : public Primitive {
 public:
  EMBER_PRIMITIVE(Where, Where)
  std::string_view name() const override { return "where"; }
  void eval_cpu(TensorSpan inputs, TensorSpan outputs) const override;
};

// inputs: src; outputs: dst (any dtype, src broadcastable to it). Casts while copying.
// `op` names the user-facing op for messages and autograd ("clone" gives CloneBackward0).
class Copy final : public Primitive {
 public:
  EMBER_PRIMITIVE(Copy, Copy)
  explicit Copy(std::string_view op = "copy_") : op_(op) {}
  std::string_view name() const override { return op_; }
  void eval_cpu(TensorSpan inputs, TensorSpan outputs) const override;

 private:
  std::string_view op_;
};

// outputs: the tensor to fill with one value.
class Fill final : public Primitive {
 public:
  EMBER_PRIMITIVE(Fill, Fill)
  explicit Fill(Scalar value) : value_(value) {}
  std::string_view name() const override { return "fill_"; }
  const Scalar& value() const { return value_; }
  void eval_cpu(TensorSpan inputs, TensorSpan outputs) const override;

 private:
  Scalar value_;
};

// outputs: a 1-D tensor with out[i] = start + i * step (arange, and linspace's body).
class Range final : public Primitive {
 public:
  EMBER_PRIMITIVE(Range, Range)
  Range(double start, double step) : start_(start), step_(step) {}
  std::string_view name() const override { return "arange"; }
  double start() const { return start_; }
  double step() const { return step_; }
  void eval_cpu(TensorSpan inputs, TensorSpan outputs) const override;

 private:
  double start_, step_;
};

}  // namespace ember

namespace ember {

// outputs: a contiguous tensor filled from the Philox stream `state`; element i depends only on
// (state, i), never on the thread count. Float32/float64 outputs, except: RandInt and Permutation
// int64; Geometric float64; Poisson float64 from inputs[0] (contiguous float64 rates);
// Multinomial int64 (rows x samples) from inputs[0] (contiguous float64 weights, rows x
// categories). Every distribution is a fill of one primitive, so none has a gradient rule.
class RandomFill final : public Primitive {
 public:
  EMBER_PRIMITIVE(RandomFill, RandomFill)
  enum class Distribution : uint8_t {
    Uniform,
    Normal,
    Bernoulli,
    RandInt,
    Exponential,
    Geometric,
    LogNormal,
    Cauchy,
    Permutation,
    Poisson,
    Multinomial,
  };
  RandomFill(Distribution distribution, double a, double b, PhiloxState state)
      : distribution_(distribution), a_(a), b_(b), state_(state) {}
  // RandInt over [low, high): int64 bounds (a double would round them).
  static RandomFill integers(int64_t low, int64_t high, PhiloxState state) {
    RandomFill fill(Distribution::RandInt, 0.0, 0.0, state);
    fill.low_ = low;
    fill.high_ = high;
    return fill;
  }
  std::string_view name() const override;
  Distribution distribution() const { return distribution_; }
  double a() const { return a_; }
  double b() const { return b_; }
  int64_t low() const { return low_; }
  int64_t high() const { return high_; }
  const PhiloxState& state() const { return state_; }
  void eval_cpu(TensorSpan inputs, TensorSpan outputs) const override;

 private:
  Distribution distribution_;
  // uniform: [a, b); normal, log_normal: mean a, std b; bernoulli, geometric: p = a;
  // exponential: rate a; cauchy: median a, scale b; multinomial: replacement = (a != 0)
  double a_, b_;
  int64_t low_ = 0, high_ = 0;  // randint: [low, high)
  PhiloxState state_;
};

}  // namespace ember

// Families with many primitives keep their classes in their own headers.
#include "ember/ops/primitives_index.h"
#include "ember/ops/primitives_linalg.h"
#include "ember/ops/primitives_reduce.h"

namespace ember {

// A view op: it has no kernel (a view only computes new metadata over the same storage), but it
// is recorded like any primitive so that autograd can route gradients back through it.
class View final : public Primitive {
 public:
  // Split: several outputs, piece i = self.narrow(dim, starts[i], lengths[i]) (or, without
  // keep_dim, self.select(dim, starts[i])), recorded as one node whose backward joins the
  // pieces' gradients in one pass (split, chunk, unbind, tensor_split).
  enum class Kind : uint8_t { Reshape, Permute, Expand, Select, Slice, AsStrided, Split };
  EMBER_PRIMITIVE(View, View)

  View(std::string_view op, Kind kind) : op_(op), kind_(kind) {}
  static View permute(std::string_view op, Shape dims) {
    View view(op, Kind::Permute);
    view.dims_ = std::move(dims);
    return view;
  }
  static View select(int64_t dim, int64_t index) {
    View view("select", Kind::Select);
    view.dim_ = dim;
    view.start_ = index;
    return view;
  }
  static View slice(std::string_view op, int64_t dim, int64_t start, int64_t step) {
    View view(op, Kind::Slice);
    view.dim_ = dim;
    view.start_ = start;
    view.step_ = step;
    return view;
  }
  // The view's geometry and its input's, both in elements of the shared storage.
  static View as_strided(Strides strides, int64_t offset, Strides input_strides,
                         int64_t input_offset) {
    View view("as_strided", Kind::AsStrided);
    view.strides_ = std::move(strides);
    view.offset_ = offset;
    view.input_strides_ = std::move(input_strides);
    view.input_offset_ = input_offset;
    return view;
  }

  static View split(std::string_view op, int64_t dim, std::vector<int64_t> starts,
                    std::vector<int64_t> lengths, bool keep_dim) {
    View view(op, Kind::Split);
    view.dim_ = dim;
    view.starts_ = std::move(starts);
    view.lengths_ = std::move(lengths);
    view.keep_dim_ = keep_dim;
    return view;
  }

  std::string_view name() const override { return op_; }
  void eval_cpu(TensorSpan, TensorSpan) const override { raise_no_kernel(op_, "CPU"); }
  Kind view_kind() const { return kind_; }
  const std::vector<int64_t>& starts() const { return starts_; }
  const std::vector<int64_t>& lengths() const { return lengths_; }
  bool keep_dim() const { return keep_dim_; }
  const Shape& dims() const { return dims_; }
  int64_t dim() const { return dim_; }
  int64_t start() const { return start_; }
  int64_t step() const { return step_; }
  const Strides& strides() const { return strides_; }
  int64_t offset() const { return offset_; }
  const Strides& input_strides() const { return input_strides_; }
  int64_t input_offset() const { return input_offset_; }

 private:
  std::string_view op_;
  Kind kind_;
  Shape dims_;
  int64_t dim_ = 0, start_ = 0, step_ = 1;
  Strides strides_, input_strides_;
  int64_t offset_ = 0, input_offset_ = 0;
  std::vector<int64_t> starts_, lengths_;
  bool keep_dim_ = true;
};

}  // namespace ember
