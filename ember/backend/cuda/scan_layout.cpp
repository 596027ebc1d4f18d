#include "ember/backend/cuda/scan_layout.h"

#include "ember/base/error.h"
#include "ember/tensor/tensor.h"

namespace ember::cuda {

ScanLayout make_scan_layout(std::string_view op, const Tensor& in, const Tensor& values,
                            const Tensor* indices, int64_t dim) {
  EMBER_CHECK(
      values.sizes() == in.sizes() && (indices == nullptr || indices->sizes() == in.sizes()), "[",
      op, "] expected outputs of the input's shape ", in.sizes());
  // Without indices the values' strides stand in for them, so the walk merges the same dims.
  const Tensor& index_like = indices != nullptr ? *indices : values;
  ScanLayout layout;
  layout.in = in.data_ptr();
  layout.values = values.data_ptr();
  layout.indices = indices != nullptr ? indices->data_ptr<int64_t>() : nullptr;
  layout.n = in.dim() == 0 ? 1 : in.sizes()[dim];
  layout.rows = layout.n == 0 ? 0 : in.numel() / layout.n;
  if (in.dim() > 0) {
    layout.step[0] = in.strides()[dim];
    layout.step[1] = values.strides()[dim];
    layout.step[2] = index_like.strides()[dim];
  }
  for (int64_t d = in.dim() - 1; d >= 0; --d) {
    if (d == dim) continue;
    EMBER_CHECK(layout.walk.add_outer(
                    in.sizes()[d], {in.strides()[d], values.strides()[d], index_like.strides()[d]}),
                "[", op, "] the CUDA kernels walk at most ", kMaxKernelDims,
                " dims that do not merge; got shape ", in.sizes());
  }
  return layout;
}

}  // namespace ember::cuda
