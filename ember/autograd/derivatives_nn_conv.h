// The gradient rule of the Convolution primitive; called from the switches of derivatives.cpp.
#pragma once

#include "ember/autograd/derivatives.h"
#include "ember/ops/primitives_nn_conv.h"

namespace ember::autograd {

// Every pass is bilinear in its inputs (a, b), so each gradient is another pass: the cotangent
// takes the place of the pass's output and one input is kept. `a` is read only for b's gradient
// and `b` only for a's, as saved_for_backward saves them.
TensorList convolution_vjp(const Convolution& op, const BackwardContext& c, const Tensor& a,
                           const Tensor& b);

}  // namespace ember::autograd
