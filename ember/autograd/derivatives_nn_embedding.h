// The gradient rules of the embedding family; called from the switches of derivatives.cpp, which
// stay the one place that says what each rule saves.
#pragma once

#include "ember/autograd/derivatives.h"
#include "ember/ops/primitives_nn_embedding.h"
#include "ember/tensor/tensor.h"

namespace ember::autograd {

// d weight = embedding_dense_backward(grad, indices); indices get none.
TensorList embedding_vjp(const Embedding& embedding, const BackwardContext& c,
                         const Tensor& indices);
// The gradient is linear in grad_output: its own gradient looks the rows up again, scaled as
// the forward scaled them (0 at padding_idx, 1 / count with scale_grad_by_freq).
TensorList embedding_backward_vjp(const EmbeddingBackward& backward, const BackwardContext& c,
                                  const Tensor& indices);

}  // namespace ember::autograd
