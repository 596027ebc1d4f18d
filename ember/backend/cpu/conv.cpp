// eval_cpu of Convolution: float32 through oneDNN where it takes the geometry, everything else
// through the im2col reference (conv.h). A pass reading an empty tensor has a zero result.
#include <cstring>

#include "ember/backend/cpu/conv.h"
#include "ember/ops/primitives_nn_conv.h"

namespace ember {

void Convolution::eval_cpu(TensorSpan inputs, TensorSpan outputs) const {
  const Tensor& out = outputs[0];
  const Tensor* x = &inputs[0];
  const Tensor* w = &inputs[1];
  const Tensor* y = &inputs[1];
  switch (pass_) {
    case ConvPass::Forward:
      y = &out;
      break;
    case ConvPass::BackwardData:
      x = &out;
      y = &inputs[0];
      break;
    case ConvPass::BackwardWeight:
      w = &out;
      break;
  }
  if (out.numel() == 0) return;
  if (inputs[0].numel() == 0 || inputs[1].numel() == 0) {
    std::memset(out.data_ptr(), 0, out.nbytes());
    return;
  }
  if (out.dtype() == kFloat32 && cpu::conv_dnnl(pass_, geometry_, *x, *w, *y)) return;
  cpu::conv_reference(pass_, geometry_, *x, *w, *y);
}

}  // namespace ember
