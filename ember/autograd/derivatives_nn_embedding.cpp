// Gradient rules of the embedding family (derivatives_nn_embedding.h), written with public ops so
// that create_graph differentiates them again.
#include "ember/autograd/derivatives_nn_embedding.h"

#include "ember/ops/nn_embedding.h"
#include "ember/ops/ops.h"
#include "ember/ops/scatter.h"

namespace ember::autograd {

TensorList embedding_vjp(const Embedding& embedding, const BackwardContext& c,
                         const Tensor& indices) {
  const int64_t num_weights = c.input_shapes[0][0];
  return {embedding_dense_backward(c.grads[0], indices, num_weights, embedding.padding_idx(),
                                   embedding.scale_grad_by_freq()),
          Tensor()};
}

TensorList embedding_backward_vjp(const EmbeddingBackward& backward, const BackwardContext& c,
                                  const Tensor& indices) {
  const Tensor& grad = c.grads[0];
  Tensor factor = ones({indices.numel()}, TensorOptions(grad.dtype()).device(grad.device()));
  if (backward.padding_idx() >= 0) factor = mul(factor, ne(indices, backward.padding_idx()));
  if (backward.scale_grad_by_freq()) {
    const Tensor counts = index_add(zeros({grad.size(0)}, TensorOptions(grad.dtype())), 0, indices,
                                    ones({indices.numel()}, TensorOptions(grad.dtype())));
    factor = div(factor, index_select(counts, 0, indices));
  }
  const Tensor rows = mul(index_select(grad, 0, indices), factor.unsqueeze(1));
  return {rows.reshape(c.input_shapes[0]), Tensor()};
}

}  // namespace ember::autograd
