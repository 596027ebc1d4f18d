// The gradient rules of the classification losses (primitives_nn_loss.h); called from the
// switches of derivatives.cpp, which stay the one place that says what each rule saves. No rule
// gives weight or target indices a gradient (PyTorch gives weight none either); a weight that
// requires grad takes the composite path instead (nn_loss.cpp), which differentiates it.
#pragma once

#include "ember/autograd/derivatives.h"
#include "ember/ops/primitives_nn_loss.h"
#include "ember/tensor/tensor.h"

namespace ember::autograd {

// d input = nll_loss_backward(grad, ...).
TensorList nll_loss_vjp(const NllLoss& nll, const BackwardContext& c, const Tensor& target,
                        const Tensor& weight, const Tensor& total_weight);
// The gradient is linear in grad_output and picks one element per position: its own gradient
// w.r.t. grad_output is nll_loss of the incoming gradient (same weight, reduction and
// total_weight), and it has none w.r.t. the forward input.
TensorList nll_loss_backward_vjp(const NllLossBackward& backward, const BackwardContext& c,
                                 const Tensor& target, const Tensor& weight);
// d logits = cross_entropy_backward(grad, ...): (softmax - target distribution) times the scale.
TensorList cross_entropy_vjp(const CrossEntropy& cross_entropy, const BackwardContext& c,
                             const Tensor& logits, const Tensor& target, const Tensor& weight,
                             const Tensor& logsumexp, const Tensor& total_weight);
// The gradient g (a softmax(x) - b) written with public ops (so create_graph differentiates it
// again): w.r.t. g the sum over classes of the incoming gradient times (a p - b), w.r.t. x the
// softmax backward of the incoming gradient times g a.
TensorList cross_entropy_backward_vjp(const CrossEntropyBackward& backward,
                                      const BackwardContext& c, const Tensor& grad_output,
                                      const Tensor& logits, const Tensor& target,
                                      const Tensor& weight, const Tensor& total_weight);
// PyTorch's: d input = grad (input - target) / max(input (1 - input), 1e-12),
// d target = grad (log(1 - input) - log(input)).
TensorList binary_cross_entropy_vjp(const BackwardContext& c, const Tensor& input,
                                    const Tensor& target);

}  // namespace ember::autograd
