// Primitives of the scan family (see primitives.h for the contract): cumulative scans along a dim
// (cumsum, cumprod, cummax, cummin, logcumsumexp), sorting, top-k selection, the mode, and the
// binary search of searchsorted. Everything else of the family (argsort, kthvalue, median,
// quantile, unique, histc, bincount, diff, ...) is a composite in ops/scan*.cpp.
// Order (Note [scan order]): floats compare by value with NaN above +inf, as PyTorch's sort.
#pragma once

#include <cstdint>

#include "ember/ops/primitive.h"

namespace ember {

enum class ScanOp : uint8_t { Sum, Prod, Max, Min, LogSumExp };

// inputs: x (any layout, the output's dtype); outputs: values (x's shape and dtype), and for Max
// and Min also indices (int64, x's shape: where the running extremum was last reached; NaN,
// once met, stays the extremum). Sums of float32 accumulate in double, of float16/bfloat16 in
// float, as PyTorch's CPU scans.
class Scan final : public Primitive {
 public:
  EMBER_PRIMITIVE(Scan, Scan)
  Scan(ScanOp op, int64_t dim) : op_(op), dim_(dim) {}
  ScanOp op() const { return op_; }
  int64_t dim() const { return dim_; }
  std::string_view name() const override {
    constexpr std::string_view kNames[] = {"cumsum", "cumprod", "cummax", "cummin", "logcumsumexp"};
    return kNames[static_cast<int>(op_)];
  }
  void eval_cpu(TensorSpan inputs, TensorSpan outputs) const override;

 private:
  ScanOp op_;
  int64_t dim_;
};

// inputs: x (any layout); outputs: values (x's dtype) and indices (int64), both x's shape: each
// row along `dim` sorted. Equal elements keep their order (every sort here is stable, which
// PyTorch allows for stable=False too).
class Sort final : public Primitive {
 public:
  EMBER_PRIMITIVE(Sort, Sort)
  Sort(int64_t dim, bool descending) : dim_(dim), descending_(descending) {}
  int64_t dim() const { return dim_; }
  bool descending() const { return descending_; }
  std::string_view name() const override { return "sort"; }
  void eval_cpu(TensorSpan inputs, TensorSpan outputs) const override;

 private:
  int64_t dim_;
  bool descending_;
};

// inputs: x (any layout); outputs: values and indices, x's shape with `dim` at size k <= the
// size of dim: the k largest (or smallest) elements of each row, in sorted order (largest first
// for largest, else smallest first; ties by index).
class Topk final : public Primitive {
 public:
  EMBER_PRIMITIVE(Topk, Topk)
  Topk(int64_t k, int64_t dim, bool largest) : k_(k), dim_(dim), largest_(largest) {}
  int64_t k() const { return k_; }
  int64_t dim() const { return dim_; }
  bool largest() const { return largest_; }
  std::string_view name() const override { return "topk"; }
  void eval_cpu(TensorSpan inputs, TensorSpan outputs) const override;

 private:
  int64_t k_;
  int64_t dim_;
  bool largest_;
};

// inputs: x (any layout, dim non-empty); outputs: values and indices, x's shape with `dim` at
// size 1: the most frequent value of each row (the smallest of equally frequent ones) and the
// last index where it occurs.
class Mode final : public Primitive {
 public:
  EMBER_PRIMITIVE(Mode, Mode)
  explicit Mode(int64_t dim) : dim_(dim) {}
  int64_t dim() const { return dim_; }
  std::string_view name() const override { return "mode"; }
  void eval_cpu(TensorSpan inputs, TensorSpan outputs) const override;

 private:
  int64_t dim_;
};

// inputs: sorted (contiguous, rows along the last dim), values (contiguous, sorted's dtype, the
// same leading dims as sorted, or sorted 1-d and values any shape); outputs: positions (int64
// or int32, values' shape): for each value the first index i of its row with sorted[i] >= value
// (> value when `right`), in sort's order.
class SearchSorted final : public Primitive {
 public:
  EMBER_PRIMITIVE(SearchSorted, SearchSorted)
  explicit SearchSorted(bool right) : right_(right) {}
  bool right() const { return right_; }
  std::string_view name() const override { return "searchsorted"; }
  void eval_cpu(TensorSpan inputs, TensorSpan outputs) const override;

 private:
  bool right_;
};

}  // namespace ember
