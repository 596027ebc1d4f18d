// The gradient rules of the nn families; called from the switches of derivatives.cpp, which
// stay the one place that says what each rule saves.
#pragma once

#include "ember/ops/primitives_nn.h"
#include "ember/tensor/tensor.h"

namespace ember::autograd {

// softmax: out (grad - sum(grad out)); log_softmax: grad - exp(out) sum(grad), along the dim.
Tensor softmax_backward(const Softmax& softmax, const Tensor& grad, const Tensor& out);

}  // namespace ember::autograd
