// The loss modules (libtorch's torch/nn/modules/loss.h): each keeps its options, registers its
// class weights as buffers (as PyTorch does) and forwards to its nn::functional loss, e.g.
// `ember::nn::MSELoss(ember::nn::MSELossOptions().reduction(ember::kSum))`.
#pragma once

#include <ostream>

#include "ember/nn/module.h"
#include "ember/nn/options/loss.h"
#include "ember/nn/pimpl.h"

namespace ember::nn {

// A loss of (input, target) without tensors of its own.
#define EMBER_PAIR_LOSS_MODULE(Name)                                        \
  class Name##Impl : public Module {                                        \
   public:                                                                  \
    explicit Name##Impl(Name##Options options_ = {}) : options(options_) {} \
    void reset() {}                                                         \
    Tensor forward(const Tensor& input, const Tensor& target);              \
    void pretty_print(std::ostream& stream) const override;                 \
    Name##Options options;                                                  \
  };                                                                        \
  EMBER_MODULE(Name)

EMBER_PAIR_LOSS_MODULE(L1Loss);
EMBER_PAIR_LOSS_MODULE(MSELoss);
EMBER_PAIR_LOSS_MODULE(SmoothL1Loss);
EMBER_PAIR_LOSS_MODULE(HuberLoss);
EMBER_PAIR_LOSS_MODULE(KLDivLoss);
EMBER_PAIR_LOSS_MODULE(PoissonNLLLoss);
EMBER_PAIR_LOSS_MODULE(HingeEmbeddingLoss);
EMBER_PAIR_LOSS_MODULE(SoftMarginLoss);
EMBER_PAIR_LOSS_MODULE(MultiLabelMarginLoss);
#undef EMBER_PAIR_LOSS_MODULE

// A loss of (input, target) with a class-weight buffer "weight" (undefined when not given).
#define EMBER_WEIGHTED_LOSS_MODULE(Name)                       \
  class Name##Impl : public Module {                           \
   public:                                                     \
    explicit Name##Impl(Name##Options options_ = {});          \
    void reset();                                              \
    Tensor forward(const Tensor& input, const Tensor& target); \
    void pretty_print(std::ostream& stream) const override;    \
    Name##Options options;                                     \
    Tensor weight;                                             \
  };                                                           \
  EMBER_MODULE(Name)

EMBER_WEIGHTED_LOSS_MODULE(NLLLoss);
EMBER_WEIGHTED_LOSS_MODULE(CrossEntropyLoss);
EMBER_WEIGHTED_LOSS_MODULE(BCELoss);
EMBER_WEIGHTED_LOSS_MODULE(MultiLabelSoftMarginLoss);
EMBER_WEIGHTED_LOSS_MODULE(MultiMarginLoss);
#undef EMBER_WEIGHTED_LOSS_MODULE

// Buffers "weight" and "pos_weight".
class BCEWithLogitsLossImpl : public Module {
 public:
  explicit BCEWithLogitsLossImpl(BCEWithLogitsLossOptions options_ = {});
  void reset();
  Tensor forward(const Tensor& input, const Tensor& target);
  void pretty_print(std::ostream& stream) const override;
  BCEWithLogitsLossOptions options;
  Tensor weight;
  Tensor pos_weight;
};
EMBER_MODULE(BCEWithLogitsLoss);

// Losses of three tensors.
#define EMBER_TRIPLE_LOSS_MODULE(Name, a, b, c)                             \
  class Name##Impl : public Module {                                        \
   public:                                                                  \
    explicit Name##Impl(Name##Options options_ = {}) : options(options_) {} \
    void reset() {}                                                         \
    Tensor forward(const Tensor& a, const Tensor& b, const Tensor& c);      \
    void pretty_print(std::ostream& stream) const override;                 \
    Name##Options options;                                                  \
  };                                                                        \
  EMBER_MODULE(Name)

EMBER_TRIPLE_LOSS_MODULE(MarginRankingLoss, input1, input2, target);
EMBER_TRIPLE_LOSS_MODULE(CosineEmbeddingLoss, input1, input2, target);
EMBER_TRIPLE_LOSS_MODULE(TripletMarginLoss, anchor, positive, negative);
EMBER_TRIPLE_LOSS_MODULE(GaussianNLLLoss, input, target, var);
#undef EMBER_TRIPLE_LOSS_MODULE

class CTCLossImpl : public Module {
 public:
  explicit CTCLossImpl(CTCLossOptions options_ = {}) : options(options_) {}
  void reset() {}
  Tensor forward(const Tensor& log_probs, const Tensor& targets, const Tensor& input_lengths,
                 const Tensor& target_lengths);
  void pretty_print(std::ostream& stream) const override;
  CTCLossOptions options;
};
EMBER_MODULE(CTCLoss);

}  // namespace ember::nn
