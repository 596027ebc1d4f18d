// Primitives of the index family (see primitives.h for the contract). Index gathers and IndexPut
// scatters through index tuples, the core of advanced indexing, index_select and masked_select;
// CountNonzero and Nonzero are nonzero's two passes (the output size depends on the data).
// The composition (masks to positions, broadcasting the index tensors, where the result dims go)
// lives in ops/index.cpp; these kernels only see one (k, n) matrix of positions.
#pragma once

#include <cstdint>
#include <string_view>
#include <utility>

#include "ember/base/small_vector.h"
#include "ember/ops/primitive.h"

namespace ember {

// The shape both index kernels share. `dims` are the k indexed dims of self (increasing), and
// `indices` is a contiguous int64 (k, n) tensor whose column j is the j-th index tuple. The other
// operand (Index's result, IndexPut's values) has self's remaining dims with one dim of size n
// inserted before remaining dim number `position`. Every position is checked against self's
// sizes before anything is written; a negative one counts from the end when `allow_negative`,
// else it is out of bounds (index_select). Errors are IndexErrors naming self's dim.
struct IndexLayout {
  SmallVector<int64_t, 6> dims;
  int64_t position = 0;
  bool allow_negative = true;
};

// inputs: self (any layout), indices; outputs: the result (self's dtype), shaped as above.
class Index final : public Primitive {
 public:
  EMBER_PRIMITIVE(Index, Index)
  Index(std::string_view op, IndexLayout layout) : op_(op), layout_(std::move(layout)) {}
  std::string_view name() const override { return op_; }
  const IndexLayout& layout() const { return layout_; }
  void eval_cpu(TensorSpan inputs, TensorSpan outputs) const override;

 private:
  std::string_view op_;  // "index", "index_select" or "masked_select", for messages
  IndexLayout layout_;
};

// inputs: values (self's dtype, shaped as above, any strides), indices; outputs: self, written
// in place (no internal overlap, not sharing memory with values). With `accumulate`, values at
// repeated positions add up, in index order; without it the last one wins.
class IndexPut final : public Primitive {
 public:
  EMBER_PRIMITIVE(IndexPut, IndexPut)
  IndexPut(IndexLayout layout, bool accumulate)
      : layout_(std::move(layout)), accumulate_(accumulate) {}
  std::string_view name() const override { return "index_put_"; }
  const IndexLayout& layout() const { return layout_; }
  bool accumulate() const { return accumulate_; }
  void eval_cpu(TensorSpan inputs, TensorSpan outputs) const override;

 private:
  IndexLayout layout_;
  bool accumulate_;
};

// inputs: x (any dtype and layout); outputs: a 0-d int64 tensor, the number of elements != 0
// (NaN counts).
class CountNonzero final : public Primitive {
 public:
  EMBER_PRIMITIVE(CountNonzero, CountNonzero)
  std::string_view name() const override { return "nonzero"; }
  void eval_cpu(TensorSpan inputs, TensorSpan outputs) const override;
};

// inputs: x; outputs: contiguous int64 (count, x.dim()), the multi-indices of x's nonzero
// elements in row-major order; count comes from CountNonzero.
class Nonzero final : public Primitive {
 public:
  EMBER_PRIMITIVE(Nonzero, Nonzero)
  std::string_view name() const override { return "nonzero"; }
  void eval_cpu(TensorSpan inputs, TensorSpan outputs) const override;
};

}  // namespace ember
