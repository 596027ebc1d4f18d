// The loss modules of loss.h: each forward is one nn::functional call.
#include "ember/nn/modules/loss.h"

#include "ember/nn/functional/loss.h"

namespace ember::nn {

#define EMBER_LOSS_FORWARD(Name, function)                                \
  Tensor Name##Impl::forward(const Tensor& input, const Tensor& target) { \
    return functional::function(input, target, options);                  \
  }                                                                       \
  void Name##Impl::pretty_print(std::ostream& stream) const { stream << "ember::nn::" #Name "()"; }
EMBER_LOSS_FORWARD(L1Loss, l1_loss)
EMBER_LOSS_FORWARD(MSELoss, mse_loss)
EMBER_LOSS_FORWARD(SmoothL1Loss, smooth_l1_loss)
EMBER_LOSS_FORWARD(HuberLoss, huber_loss)
EMBER_LOSS_FORWARD(KLDivLoss, kl_div)
EMBER_LOSS_FORWARD(PoissonNLLLoss, poisson_nll_loss)
EMBER_LOSS_FORWARD(HingeEmbeddingLoss, hinge_embedding_loss)
EMBER_LOSS_FORWARD(SoftMarginLoss, soft_margin_loss)
EMBER_LOSS_FORWARD(MultiLabelMarginLoss, multilabel_margin_loss)
EMBER_LOSS_FORWARD(NLLLoss, nll_loss)
EMBER_LOSS_FORWARD(CrossEntropyLoss, cross_entropy)
EMBER_LOSS_FORWARD(BCELoss, binary_cross_entropy)
EMBER_LOSS_FORWARD(MultiLabelSoftMarginLoss, multilabel_soft_margin_loss)
EMBER_LOSS_FORWARD(MultiMarginLoss, multi_margin_loss)
EMBER_LOSS_FORWARD(BCEWithLogitsLoss, binary_cross_entropy_with_logits)
#undef EMBER_LOSS_FORWARD

// The weight buffer: the options' weight, which the module's copy of the options then reads.
#define EMBER_WEIGHTED_LOSS_RESET(Name)                                                      \
  Name##Impl::Name##Impl(Name##Options options_) : options(std::move(options_)) { reset(); } \
  void Name##Impl::reset() {                                                                 \
    weight = register_buffer("weight", options.weight());                                    \
    options.weight(weight);                                                                  \
  }
EMBER_WEIGHTED_LOSS_RESET(NLLLoss)
EMBER_WEIGHTED_LOSS_RESET(CrossEntropyLoss)
EMBER_WEIGHTED_LOSS_RESET(BCELoss)
EMBER_WEIGHTED_LOSS_RESET(MultiLabelSoftMarginLoss)
EMBER_WEIGHTED_LOSS_RESET(MultiMarginLoss)
#undef EMBER_WEIGHTED_LOSS_RESET

BCEWithLogitsLossImpl::BCEWithLogitsLossImpl(BCEWithLogitsLossOptions options_)
    : options(std::move(options_)) {
  reset();
}

void BCEWithLogitsLossImpl::reset() {
  weight = register_buffer("weight", options.weight());
  pos_weight = register_buffer("pos_weight", options.pos_weight());
  options.weight(weight);
  options.pos_weight(pos_weight);
}

Tensor MarginRankingLossImpl::forward(const Tensor& input1, const Tensor& input2,
                                      const Tensor& target) {
  return functional::margin_ranking_loss(input1, input2, target, options);
}
Tensor CosineEmbeddingLossImpl::forward(const Tensor& input1, const Tensor& input2,
                                        const Tensor& target) {
  return functional::cosine_embedding_loss(input1, input2, target, options);
}
Tensor TripletMarginLossImpl::forward(const Tensor& anchor, const Tensor& positive,
                                      const Tensor& negative) {
  return functional::triplet_margin_loss(anchor, positive, negative, options);
}
Tensor GaussianNLLLossImpl::forward(const Tensor& input, const Tensor& target, const Tensor& var) {
  return functional::gaussian_nll_loss(input, target, var, options);
}
Tensor CTCLossImpl::forward(const Tensor& log_probs, const Tensor& targets,
                            const Tensor& input_lengths, const Tensor& target_lengths) {
  return functional::ctc_loss(log_probs, targets, input_lengths, target_lengths, options);
}

#define EMBER_LOSS_PRINT(Name) \
  void Name##Impl::pretty_print(std::ostream& stream) const { stream << "ember::nn::" #Name "()"; }
EMBER_LOSS_PRINT(MarginRankingLoss)
EMBER_LOSS_PRINT(CosineEmbeddingLoss)
EMBER_LOSS_PRINT(TripletMarginLoss)
EMBER_LOSS_PRINT(GaussianNLLLoss)
EMBER_LOSS_PRINT(CTCLoss)
#undef EMBER_LOSS_PRINT

}  // namespace ember::nn
