// The gradient rules of the pooling primitives, called from the switches of derivatives.cpp,
// which stay the one place that says what each rule saves.
#pragma once

#include "ember/autograd/derivatives.h"
#include "ember/ops/primitives_nn_pool.h"

namespace ember::autograd {

// Max: the output gradient scattered (added) to the saved indices, a scatter_add whose own
// gradient is a gather. Avg: the AvgPoolBackward primitive, whose gradient is Pool(Avg) again.
// indices: the saved output 1 for Max (undefined for Avg).
TensorList pool_vjp(const Pool& op, const BackwardContext& c, const Tensor& indices);
TensorList avg_pool_backward_vjp(const AvgPoolBackward& op, const BackwardContext& c);

}  // namespace ember::autograd
