// The gradient rule of the recurrent family; called from the switches of derivatives.cpp, which
// stay the one place that says what each rule saves.
#pragma once

#include <vector>

#include "ember/autograd/derivatives.h"
#include "ember/ops/primitives_rnn.h"
#include "ember/tensor/tensor.h"

namespace ember::autograd {

// RnnLayer's gradients: by the fused backward kernel; when create_graph asks for a gradient
// that is itself differentiable, by differentiating the composite layer (recomputed from the
// saved inputs) instead. inputs: the primitive's, in its order (undefined past its count).
TensorList rnn_layer_vjp(const RnnLayer& op, const BackwardContext& c,
                         const std::vector<Tensor>& inputs, const Tensor& workspace);

// A cell RnnLayer's (is_cell) gradients, likewise: the fused backward kernel, or the composite
// cell differentiated when create_graph asks for differentiable gradients.
TensorList rnn_cell_vjp(const RnnLayer& op, const BackwardContext& c,
                        const std::vector<Tensor>& inputs, const Tensor& workspace);

}  // namespace ember::autograd
