// ember::nn::functional's losses, as libtorch's torch/nn/functional/loss.h: each forwards its
// options to the ember:: op (ember/ops/nn_loss.h), which holds the math.
#pragma once

#include <variant>

#include "ember/nn/options/loss.h"
#include "ember/ops/nn_loss.h"

namespace ember::nn::functional {

inline Tensor l1_loss(const Tensor& input, const Tensor& target,
                      const L1LossFuncOptions& options = {}) {
  return ember::l1_loss(input, target, reduction_enum(options.reduction()));
}

inline Tensor mse_loss(const Tensor& input, const Tensor& target,
                       const MSELossFuncOptions& options = {}) {
  return ember::mse_loss(input, target, reduction_enum(options.reduction()));
}

inline Tensor smooth_l1_loss(const Tensor& input, const Tensor& target,
                             const SmoothL1LossFuncOptions& options = {}) {
  return ember::smooth_l1_loss(input, target, reduction_enum(options.reduction()), options.beta());
}

inline Tensor huber_loss(const Tensor& input, const Tensor& target,
                         const HuberLossFuncOptions& options = {}) {
  return ember::huber_loss(input, target, reduction_enum(options.reduction()), options.delta());
}

inline Tensor nll_loss(const Tensor& input, const Tensor& target,
                       const NLLLossFuncOptions& options = {}) {
  return ember::nll_loss(input, target, optional_tensor(options.weight()),
                         reduction_enum(options.reduction()), options.ignore_index());
}

inline Tensor cross_entropy(const Tensor& input, const Tensor& target,
                            const CrossEntropyFuncOptions& options = {}) {
  return ember::cross_entropy_loss(input, target, optional_tensor(options.weight()),
                                   reduction_enum(options.reduction()), options.ignore_index(),
                                   options.label_smoothing());
}

inline Tensor binary_cross_entropy(const Tensor& input, const Tensor& target,
                                   const BinaryCrossEntropyFuncOptions& options = {}) {
  return ember::binary_cross_entropy(input, target, optional_tensor(options.weight()),
                                     reduction_enum(options.reduction()));
}

inline Tensor binary_cross_entropy_with_logits(
    const Tensor& input, const Tensor& target,
    const BinaryCrossEntropyWithLogitsFuncOptions& options = {}) {
  return ember::binary_cross_entropy_with_logits(input, target, optional_tensor(options.weight()),
                                                 optional_tensor(options.pos_weight()),
                                                 reduction_enum(options.reduction()));
}

inline Tensor kl_div(const Tensor& input, const Tensor& target,
                     const KLDivFuncOptions& options = {}) {
  constexpr const char* kNames[] = {"none", "batchmean", "sum", "mean"};
  return ember::kl_div(input, target, kNames[options.reduction().index()], options.log_target());
}

inline Tensor poisson_nll_loss(const Tensor& input, const Tensor& target,
                               const PoissonNLLLossFuncOptions& options = {}) {
  return ember::poisson_nll_loss(input, target, options.log_input(), options.full(), options.eps(),
                                 reduction_enum(options.reduction()));
}

inline Tensor gaussian_nll_loss(const Tensor& input, const Tensor& target, const Tensor& var,
                                const GaussianNLLLossFuncOptions& options = {}) {
  return ember::gaussian_nll_loss(input, target, var, options.full(), options.eps(),
                                  reduction_enum(options.reduction()));
}

inline Tensor margin_ranking_loss(const Tensor& input1, const Tensor& input2, const Tensor& target,
                                  const MarginRankingLossFuncOptions& options = {}) {
  return ember::margin_ranking_loss(input1, input2, target, options.margin(),
                                    reduction_enum(options.reduction()));
}

inline Tensor hinge_embedding_loss(const Tensor& input, const Tensor& target,
                                   const HingeEmbeddingLossFuncOptions& options = {}) {
  return ember::hinge_embedding_loss(input, target, options.margin(),
                                     reduction_enum(options.reduction()));
}

inline Tensor cosine_embedding_loss(const Tensor& input1, const Tensor& input2,
                                    const Tensor& target,
                                    const CosineEmbeddingLossFuncOptions& options = {}) {
  return ember::cosine_embedding_loss(input1, input2, target, options.margin(),
                                      reduction_enum(options.reduction()));
}

inline Tensor triplet_margin_loss(const Tensor& anchor, const Tensor& positive,
                                  const Tensor& negative,
                                  const TripletMarginLossFuncOptions& options = {}) {
  return ember::triplet_margin_loss(anchor, positive, negative, options.margin(), options.p(),
                                    options.eps(), options.swap(),
                                    reduction_enum(options.reduction()));
}

inline Tensor soft_margin_loss(const Tensor& input, const Tensor& target,
                               const SoftMarginLossFuncOptions& options = {}) {
  return ember::soft_margin_loss(input, target, reduction_enum(options.reduction()));
}

inline Tensor multilabel_soft_margin_loss(const Tensor& input, const Tensor& target,
                                          const MultilabelSoftMarginLossFuncOptions& options = {}) {
  return ember::multilabel_soft_margin_loss(input, target, optional_tensor(options.weight()),
                                            reduction_enum(options.reduction()));
}

inline Tensor multi_margin_loss(const Tensor& input, const Tensor& target,
                                const MultiMarginLossFuncOptions& options = {}) {
  return ember::multi_margin_loss(input, target, options.p(), options.margin(),
                                  optional_tensor(options.weight()),
                                  reduction_enum(options.reduction()));
}

inline Tensor multilabel_margin_loss(const Tensor& input, const Tensor& target,
                                     const MultilabelMarginLossFuncOptions& options = {}) {
  return ember::multilabel_margin_loss(input, target, reduction_enum(options.reduction()));
}

inline Tensor ctc_loss(const Tensor& log_probs, const Tensor& targets, const Tensor& input_lengths,
                       const Tensor& target_lengths, const CTCLossFuncOptions& options = {}) {
  return ember::ctc_loss(log_probs, targets, input_lengths, target_lengths, options.blank(),
                         reduction_enum(options.reduction()), options.zero_infinity());
}

}  // namespace ember::nn::functional
