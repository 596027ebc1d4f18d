#include "ember/backend/cuda/sort_layout.h"

#include "ember/base/error.h"
#include "ember/tensor/tensor.h"

namespace ember::cuda {

SortRowsLayout make_sort_rows_layout(std::string_view op, const Tensor& x, const Tensor& values,
                                     const Tensor& indices, int64_t dim) {
  SortRowsLayout layout;
  layout.in = x.data_ptr();
  layout.values = values.data_ptr();
  layout.indices = static_cast<int64_t*>(indices.data_ptr());
  if (x.dim() == 0) {  // one row of one element
    layout.rows = layout.length = layout.kept = 1;
    return layout;
  }
  layout.length = x.shape()[dim];
  layout.kept = values.shape()[dim];
  layout.step[0] = x.strides()[dim];
  layout.step[1] = values.strides()[dim];
  layout.step[2] = indices.strides()[dim];
  layout.rows = 1;
  for (int64_t d = x.dim() - 1; d >= 0; --d) {
    if (d == dim) continue;
    layout.rows *= x.shape()[d];
    EMBER_CHECK(layout.outer.add_outer(x.shape()[d],
                                       {x.strides()[d], values.strides()[d], indices.strides()[d]}),
                "[", op, "] the CUDA kernels walk at most ", kMaxKernelDims,
                " dims that do not merge");
  }
  return layout;
}

NonzeroLayout make_nonzero_layout(std::string_view op, const Tensor& x, const Tensor& out) {
  NonzeroLayout layout;
  layout.in = x.data_ptr();
  layout.out = static_cast<int64_t*>(out.data_ptr());
  layout.numel = x.numel();
  EMBER_CHECK(x.dim() <= kMaxKernelDims, "[", op, "] the CUDA kernel takes at most ",
              kMaxKernelDims, " dims; got ", x.dim());
  layout.ndim = static_cast<int>(x.dim());
  for (int j = 0; j < layout.ndim; ++j) {
    const int64_t d = x.dim() - 1 - j;
    layout.sizes[j] = x.shape()[d];
    layout.walk.add_outer(x.shape()[d], {x.strides()[d]});
  }
  return layout;
}

}  // namespace ember::cuda
