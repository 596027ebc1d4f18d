// The gradient rule of LayerNorm, called from the switches of derivatives.cpp, which stay the one
// place that says what each rule saves.
#pragma once

#include "ember/autograd/derivatives.h"
#include "ember/ops/primitives_nn_norm.h"

namespace ember::autograd {

// x, weight: the saved inputs (weight undefined without one); mean, rstd: the saved outputs.
// Without create_graph the fused LayerNormBackward kernel computes every gradient in two passes;
// with it, a composite of public ops that recomputes the statistics from x, so that the result
// differentiates again.
TensorList layer_norm_vjp(const LayerNorm& op, const BackwardContext& c, const Tensor& x,
                          const Tensor& weight, const Tensor& mean, const Tensor& rstd);

}  // namespace ember::autograd
