#include "ember/backend/cuda/elementwise_layout.h"

#include <limits>

#include "ember/base/error.h"
#include "ember/tensor/tensor.h"

namespace ember::cuda {

ElementwiseLayout make_elementwise_layout(std::string_view op, const Tensor& out,
                                          std::initializer_list<const Tensor*> inputs) {
  ElementwiseLayout layout;
  layout.num_operands = static_cast<int>(inputs.size()) + 1;
  EMBER_CHECK(layout.num_operands <= kMaxKernelOperands, "[", op, "] at most ",
              kMaxKernelOperands - 1, " inputs; got ", inputs.size());
  layout.numel = out.numel();
  const Tensor* operands[kMaxKernelOperands] = {&out};
  int count = 1;
  for (const Tensor* input : inputs) operands[count++] = input;

  bool contiguous = true;
  for (int k = 0; k < count; ++k) {
    layout.data[k] = operands[k]->data_ptr();
    contiguous &= operands[k]->is_contiguous() && operands[k]->sizes() == out.sizes();
  }
  layout.contiguous = contiguous;

  // An input of lower rank aligns with out's trailing dims; its size-1 dims broadcast (stride 0).
  const int64_t out_dims = out.dim();
  for (int64_t d = out_dims - 1; d >= 0; --d) {
    int64_t strides[kMaxKernelOperands] = {};
    for (int k = 0; k < count; ++k) {
      const Tensor& t = *operands[k];
      const int64_t td = d - (out_dims - t.dim());
      strides[k] = td >= 0 && t.sizes()[td] != 1 ? t.strides()[td] : 0;
    }
    EMBER_CHECK(layout.dims.add_outer(out.sizes()[d], strides), "[", op,
                "] the CUDA kernels walk at most ", kMaxKernelDims,
                " dims that do not merge; got a result of shape ", out.sizes());
  }
  layout.fits_32bit =
      layout.numel <= std::numeric_limits<int32_t>::max() && layout.dims.fits_32bit();
  return layout;
}

}  // namespace ember::cuda
