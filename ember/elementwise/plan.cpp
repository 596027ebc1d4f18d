#include "ember/elementwise/plan.h"

#include <algorithm>

#include "ember/base/error.h"
#include "ember/base/parallel.h"

namespace ember {

ElementwisePlan::ElementwisePlan(std::initializer_list<const Tensor*> operands) {
  EMBER_CHECK(operands.size() >= 1 && operands.size() <= kMaxElementwiseOperands,
              "[elementwise] unsupported operand count ", operands.size());
  const Tensor& output = **operands.begin();
  const Shape& full_shape = output.shape();
  const int64_t full_ndim = static_cast<int64_t>(full_shape.size());
  EMBER_CHECK(full_ndim <= kMaxElementwiseDims, "[elementwise] tensors of at most ",
              kMaxElementwiseDims, " dims are supported; got ", full_ndim);
  numel_ = output.numel();
  num_operands_ = static_cast<int>(operands.size());

  // Fast path, the common case of small ops: every operand is contiguous in the output's shape
  // or a single broadcast element, so the walk is one flat row.
  bool flat = output.is_contiguous();
  for (const Tensor* operand : operands) {
    flat = flat &&
           ((operand->is_contiguous() && operand->shape() == full_shape) || operand->numel() == 1);
  }
  if (flat) {
    ndim_ = 1;
    shape_[0] = numel_ > 0 ? numel_ : 1;
    int index = 0;
    for (const Tensor* operand : operands) {
      const bool scalar = operand->numel() == 1 && numel_ != 1;
      strides_[index][0] = scalar ? 0 : static_cast<int64_t>(operand->element_size());
      data_[index] = static_cast<char*>(operand->data_ptr());
      ++index;
    }
    return;
  }

  // Byte strides of every operand over the output's dims; broadcast dims get stride 0.
  int64_t full_strides[kMaxElementwiseOperands][kMaxElementwiseDims];
  int index = 0;
  for (const Tensor* operand : operands) {
    const int64_t offset = full_ndim - operand->dim();
    const int64_t bytes = static_cast<int64_t>(operand->element_size());
    for (int64_t d = 0; d < full_ndim; ++d) full_strides[index][d] = 0;
    for (int64_t d = 0; d < operand->dim(); ++d) {
      if (operand->shape()[d] != 1) full_strides[index][offset + d] = operand->stride(d) * bytes;
    }
    data_[index] = static_cast<char*>(operand->data_ptr());
    ++index;
  }

  // Keep dims of size > 1, merging each into the previous kept dim when every operand steps
  // through both as one (outer stride == inner stride * inner size).
  for (int64_t d = 0; d < full_ndim; ++d) {
    const int64_t size = full_shape[d];
    if (size == 1) continue;
    bool mergeable = ndim_ > 0;
    for (int i = 0; i < num_operands_ && mergeable; ++i) {
      mergeable = strides_[i][ndim_ - 1] == full_strides[i][d] * size;
    }
    if (mergeable) {
      shape_[ndim_ - 1] *= size;
      for (int i = 0; i < num_operands_; ++i) strides_[i][ndim_ - 1] = full_strides[i][d];
    } else {
      shape_[ndim_] = size;
      for (int i = 0; i < num_operands_; ++i) strides_[i][ndim_] = full_strides[i][d];
      ++ndim_;
    }
  }
  if (ndim_ == 0) {
    shape_[0] = 1;
    for (int i = 0; i < num_operands_; ++i) strides_[i][0] = 0;
    ndim_ = 1;
  }
}

void ElementwisePlan::run(ElementwiseLoop loop, int64_t grain, const void* context) const {
  if (numel_ == 0) return;
  if (ndim_ == 1 && numel_ < grain) {
    int64_t inner_strides[kMaxElementwiseOperands];
    char* data[kMaxElementwiseOperands];
    for (int i = 0; i < num_operands_; ++i) {
      inner_strides[i] = strides_[i][0];
      data[i] = data_[i];
    }
    loop(data, inner_strides, numel_, LoopArgs{context, 0});
    return;
  }
  parallel_for(0, numel_, grain,
               [&](int64_t begin, int64_t end) { run_range(loop, begin, end, context); });
}

void ElementwisePlan::run_range(ElementwiseLoop loop, int64_t begin, int64_t end,
                                const void* context) const {
  const int ndim = ndim_;
  const int64_t inner_size = shape_[ndim - 1];
  int64_t inner_strides[kMaxElementwiseOperands];
  for (int i = 0; i < num_operands_; ++i) inner_strides[i] = strides_[i][ndim - 1];

  // Multi-index of `begin` over the outer dims, then walk row by row like an odometer.
  int64_t position[kMaxElementwiseDims];
  int64_t remainder = begin;
  for (int d = ndim - 1; d >= 0; --d) {
    position[d] = remainder % shape_[d];
    remainder /= shape_[d];
  }
  char* data[kMaxElementwiseOperands];
  int64_t linear = begin;
  while (linear < end) {
    for (int i = 0; i < num_operands_; ++i) {
      int64_t offset = 0;
      for (int d = 0; d < ndim; ++d) offset += position[d] * strides_[i][d];
      data[i] = data_[i] + offset;
    }
    const int64_t count = std::min(inner_size - position[ndim - 1], end - linear);
    loop(data, inner_strides, count, LoopArgs{context, linear});
    linear += count;
    position[ndim - 1] += count;
    for (int d = ndim - 1; d > 0 && position[d] == shape_[d]; --d) {
      position[d] = 0;
      ++position[d - 1];
    }
  }
}

}  // namespace ember
