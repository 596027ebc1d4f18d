// The primitive paths of nll_loss, cross_entropy (class indices) and binary_cross_entropy
// (primitives_nn_loss.h): the calls nn_loss.cpp makes once it has validated the arguments, and
// the gradient functions the rules of autograd/derivatives_loss.cpp call.
#pragma once

#include <cstdint>
#include <optional>

#include "ember/ops/primitives_nn_loss.h"

namespace ember {
namespace detail {

// `indices`: the contiguous int64 target, every element checked against C or ignore_index.
Tensor fused_nll_loss(const Tensor& input, const Tensor& indices,
                      const std::optional<Tensor>& weight, int64_t reduction, int64_t ignore_index);
Tensor fused_cross_entropy(const Tensor& input, const Tensor& indices,
                           const std::optional<Tensor>& weight, int64_t reduction,
                           int64_t ignore_index, double label_smoothing);
// The elementwise loss of binary_cross_entropy, input and target of one shape.
Tensor binary_cross_entropy_elementwise(const Tensor& input, const Tensor& target);

}  // namespace detail

// NllLoss on canonical tensors: input (N, C, S), target (N, S), weight (C); returns the loss.
Tensor nll_loss_canonical(ClassLossOptions options, const Tensor& input, const Tensor& target,
                          const Tensor& weight);
// NllLossBackward: the gradient w.r.t. input (N, C, S) of NllLoss(options)'s loss.
Tensor nll_loss_backward(ClassLossOptions options, const Tensor& grad_output, const Tensor& target,
                         const Tensor& weight, const Tensor& total_weight, IntArrayRef input_shape);
// CrossEntropyBackward: the gradient w.r.t. logits (N, C, S) from the forward's saved values.
Tensor cross_entropy_backward(const CrossEntropy& forward, const Tensor& grad_output,
                              const Tensor& logits, const Tensor& target, const Tensor& weight,
                              const Tensor& logsumexp, const Tensor& total_weight);

}  // namespace ember
