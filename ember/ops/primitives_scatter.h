// Primitives of the scatter family (see primitives.h for the contract): gather and scatter
// along one dim, as torch.gather / Tensor.scatter_ define them. For an index of the same rank
// as self, position p of the index addresses self at p with p[dim] replaced by index[p]. The
// kernels check every index against self.size(dim) before writing anything (IndexError naming
// the index, dim and size); the op functions check ranks, sizes and dtypes. index_add,
// index_copy and index_fill are these primitives with a 1-D index expanded along the other dims.
#pragma once

#include <cstdint>
#include <string_view>

#include "ember/ops/primitive.h"

namespace ember {

// How a scatter combines a value with what self holds: Assign overwrites (the last index wins),
// the others accumulate in index order. NaN propagates through Amax and Amin.
enum class ScatterMode : uint8_t { Assign, Add, Multiply, Amax, Amin };

// inputs: self (any layout), index (int64, self's rank, index.size(d) <= self.size(d) for
// d != dim); outputs: the result, index's shape and self's dtype: out[p] = self[p, dim: index[p]].
class Gather final : public Primitive {
 public:
  EMBER_PRIMITIVE(Gather, Gather)
  Gather(std::string_view op, int64_t dim) : op_(op), dim_(dim) {}
  std::string_view name() const override { return op_; }
  int64_t dim() const { return dim_; }
  void eval_cpu(TensorSpan inputs, TensorSpan outputs) const override;

 private:
  std::string_view op_;  // "gather", "take_along_dim", ..., for messages
  int64_t dim_;
};

// inputs: src (self's dtype, index.size(d) <= src.size(d); stride 0 for a scalar value), index;
// outputs: self, written in place (no internal overlap, no memory shared with src or index):
// self[p, dim: index[p]] = mode(that, src[p]). Assign and Add only, whose gradients need no
// saved values; the others go through ScatterReduce.
class Scatter final : public Primitive {
 public:
  EMBER_PRIMITIVE(Scatter, Scatter)
  Scatter(std::string_view op, int64_t dim, ScatterMode mode) : op_(op), dim_(dim), mode_(mode) {}
  std::string_view name() const override { return op_; }
  int64_t dim() const { return dim_; }
  ScatterMode mode() const { return mode_; }
  void eval_cpu(TensorSpan inputs, TensorSpan outputs) const override;

 private:
  std::string_view op_;
  int64_t dim_;
  ScatterMode mode_;
};

// inputs: self, index, src; outputs: a new tensor, self's shape and dtype: a copy of self with
// src combined in by `mode` (Multiply, Amax or Amin), out of place so that the gradient can read
// self, src and the result (scatter_reduce with include_self).
class ScatterReduce final : public Primitive {
 public:
  EMBER_PRIMITIVE(ScatterReduce, ScatterReduce)
  ScatterReduce(int64_t dim, ScatterMode mode) : dim_(dim), mode_(mode) {}
  std::string_view name() const override { return "scatter_reduce"; }
  int64_t dim() const { return dim_; }
  ScatterMode mode() const { return mode_; }
  void eval_cpu(TensorSpan inputs, TensorSpan outputs) const override;

 private:
  int64_t dim_;
  ScatterMode mode_;
};

}  // namespace ember
