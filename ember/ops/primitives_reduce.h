// Primitives of the reduce family (see primitives.h for the contract). Reduce folds every dim that
// the output keeps at size 1; ArgReduce finds where the maximum or minimum along one dim sits.
// Everything else in the family (mean, var, std, norm, logsumexp) is a composite in ops/reduce.cpp.
#pragma once

#include <cstdint>

#include "ember/ops/primitive.h"

namespace ember {

// SumSquares folds x * x: the 2-norm in one pass, without a squared copy of x.
enum class ReduceOp : uint8_t { Sum, Prod, Amax, Amin, All, Any, SumSquares };

// inputs: x; outputs: y with x's rank, size 1 on each reduced dim and x's size on the others (the
// keepdim shape; a dim of size 1 in x may count as either). The fold runs in the accumulate type
// of x's dtype (int64 for integer and bool sums and products, float32 for float16/bfloat16, bool
// for all/any, x's own type otherwise) and converts on store, so y may have any dtype. A fold over
// zero elements stores the identity; amax/amin propagate NaN.
class Reduce final : public Primitive {
 public:
  EMBER_PRIMITIVE(Reduce, Reduce)
  explicit Reduce(ReduceOp op) : op_(op) {}
  ReduceOp op() const { return op_; }
  std::string_view name() const override {
    constexpr std::string_view kNames[] = {"sum", "prod", "amax",       "amin",
                                           "all", "any",  "sum_squares"};
    return kNames[static_cast<int>(op_)];
  }
  void eval_cpu(TensorSpan inputs, TensorSpan outputs) const override;

 private:
  ReduceOp op_;
};

// inputs: x (at least 1-d); outputs: values (x's dtype) and indices (int64), both x's
// shape with `dim` at size 1, x.size(dim) > 0. The first extremum wins ties; NaN counts as the
// extremum for both argmax and argmin (the first NaN wins), as in PyTorch.
class ArgReduce final : public Primitive {
 public:
  EMBER_PRIMITIVE(ArgReduce, ArgReduce)
  ArgReduce(bool is_max, int64_t dim) : is_max_(is_max), dim_(dim) {}
  bool is_max() const { return is_max_; }
  int64_t dim() const { return dim_; }
  std::string_view name() const override { return is_max_ ? "argmax" : "argmin"; }
  void eval_cpu(TensorSpan inputs, TensorSpan outputs) const override;

 private:
  bool is_max_;
  int64_t dim_;
};

}  // namespace ember
