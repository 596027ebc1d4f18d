// The gradient rules of LayerNorm, BatchNorm and GroupNorm, called from the switches of
// derivatives.cpp, which stay the one place that says what each rule saves.
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

// The same for BatchNorm (mean, invstd: its save_mean and save_invstd outputs) with the fused
// BatchNormBackward kernel, and for GroupNorm with GroupNormBackward. With create_graph the
// composites recompute the batch (or group) statistics from x; BatchNorm's eval mode treats the
// running statistics as constants.
TensorList batch_norm_vjp(const BatchNorm& op, const BackwardContext& c, const Tensor& x,
                          const Tensor& weight, const Tensor& mean, const Tensor& invstd);
TensorList group_norm_vjp(const GroupNorm& op, const BackwardContext& c, const Tensor& x,
                          const Tensor& weight, const Tensor& mean, const Tensor& rstd);

}  // namespace ember::autograd
