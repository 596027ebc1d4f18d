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
    dims_[0] = Dim{numel_ > 0 ? numel_ : 1, {}};
    int index = 0;
    for (const Tensor* operand : operands) {
      const bool scalar = operand->numel() == 1 && numel_ != 1;
      dims_[0].strides[index] = scalar ? 0 : static_cast<int64_t>(operand->element_size());
      data_[index] = static_cast<char*>(operand->data_ptr());
      ++index;
    }
    return;
  }

  // Byte strides of every operand over the output's dims, innermost first; broadcast dims get
  // stride 0. Then the shared coalescer drops size-1 dims and merges contiguous neighbours.
  for (int64_t d = 0; d < full_ndim; ++d) dims_[full_ndim - 1 - d] = Dim{full_shape[d], {}};
  int index = 0;
  for (const Tensor* operand : operands) {
    const int64_t offset = full_ndim - operand->dim();
    const int64_t bytes = static_cast<int64_t>(operand->element_size());
    for (int64_t d = 0; d < operand->dim(); ++d) {
      if (operand->shape()[d] != 1) {
        dims_[full_ndim - 1 - (offset + d)].strides[index] = operand->stride(d) * bytes;
      }
    }
    data_[index] = static_cast<char*>(operand->data_ptr());
    ++index;
  }
  ndim_ = coalesce_dims(dims_, static_cast<int>(full_ndim));
  if (ndim_ == 0) {
    dims_[0] = Dim{1, {}};
    ndim_ = 1;
  }
}

void ElementwisePlan::run(ElementwiseLoop loop, int64_t grain, const void* context) const {
  if (numel_ == 0) return;
  if (ndim_ == 1 && numel_ < grain) {
    char* data[kMaxElementwiseOperands];
    for (int i = 0; i < num_operands_; ++i) data[i] = data_[i];
    loop(data, dims_[0].strides, numel_, LoopArgs{context, 0});
    return;
  }
  parallel_for(0, numel_, grain,
               [&](int64_t begin, int64_t end) { run_range(loop, begin, end, context); });
}

// Rows along the innermost dim, the first and last possibly partial.
void ElementwisePlan::run_range(ElementwiseLoop loop, int64_t begin, int64_t end,
                                const void* context) const {
  StridedWalker<kMaxElementwiseOperands> position(dims_, ndim_, begin);
  char* data[kMaxElementwiseOperands];
  for (int64_t linear = begin; linear < end;) {
    for (int i = 0; i < num_operands_; ++i) data[i] = data_[i] + position.offset(i);
    const int64_t count = std::min(position.row_remaining(), end - linear);
    loop(data, dims_[0].strides, count, LoopArgs{context, linear});
    linear += count;
    position.advance(count);
  }
}

}  // namespace ember
