// ElementwisePlan: how to walk N operands of one elementwise op (the TensorIterator idea).
// It broadcasts every operand to the output's shape (stride 0), drops size-1 dims, coalesces
// dims that are contiguous in every operand, and splits the walk into 1-D rows that a loop
// function processes. Promotion and allocation happen before (ops/elementwise.cpp); math happens
// after (backend loops): the plan only knows shapes, strides and bytes.
#pragma once

#include <cstdint>
#include <initializer_list>

#include "ember/base/strided_walk.h"
#include "ember/tensor/tensor.h"

namespace ember {

inline constexpr int kMaxElementwiseOperands = 4;
// Plans live on the stack with fixed arrays (no allocation, no construction cost): ops on
// tensors of more dims raise an error.
inline constexpr int kMaxElementwiseDims = 64;

// Processes one row of n elements. data[i] points at operand i's first element of the row,
// strides[i] is operand i's step in bytes, operand 0 is the output. `context` carries an op's
// parameters (a fill value, a range's start) and `first` the row's linear element index.
struct LoopArgs {
  const void* context;
  int64_t first;
};
using ElementwiseLoop = void (*)(char** data, const int64_t* strides, int64_t n, LoopArgs args);

class ElementwisePlan {
 public:
  // operands: the output first, then the inputs, each broadcastable to the output's shape.
  explicit ElementwisePlan(std::initializer_list<const Tensor*> operands);

  // Runs loop over every row; in parallel when the plan has at least `grain` elements.
  void run(ElementwiseLoop loop, int64_t grain, const void* context = nullptr) const;

  int64_t numel() const { return numel_; }
  int num_operands() const { return num_operands_; }
  int ndim() const { return ndim_; }

 private:
  using Dim = StridedDim<kMaxElementwiseOperands>;  // byte strides; unused operands step 0

  void run_range(ElementwiseLoop loop, int64_t begin, int64_t end, const void* context) const;

  int ndim_ = 0;                   // coalesced dims, at least one
  Dim dims_[kMaxElementwiseDims];  // innermost first
  char* data_[kMaxElementwiseOperands];
  int num_operands_ = 0;
  int64_t numel_ = 0;
};

}  // namespace ember
