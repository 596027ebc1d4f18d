// The options of the losses, as libtorch's torch/nn/options/loss.h: MSELossOptions().reduction(
// ember::kSum), ... The loss modules take them; ember::nn::functional takes the same structs
// under their *FuncOptions names.
#pragma once

#include <cstdint>
#include <optional>
#include <variant>

#include "ember/nn/enum.h"
#include "ember/ops/nn_loss.h"

// A libtorch-style option: name(value) sets it and returns the options, name() reads it.
#define EMBER_LOSS_ARG(T, name)                      \
 public:                                             \
  auto& name(const T& value) {                       \
    name##_ = value;                                 \
    return *this;                                    \
  }                                                  \
  const T& name() const noexcept { return name##_; } \
  T& name() noexcept { return name##_; }             \
                                                     \
 private:                                            \
  T name##_

namespace ember::nn {

using LossReduction = std::variant<enumtype::kNone, enumtype::kMean, enumtype::kSum>;

// The reduction as the ops' Reduction enum (the variant lists the values in its order).
inline int64_t reduction_enum(const LossReduction& reduction) {
  return static_cast<int64_t>(reduction.index());
}

// Options of a loss whose only option is the reduction.
#define EMBER_REDUCTION_ONLY_OPTIONS(Name)                           \
  struct Name {                                                      \
    Name(LossReduction reduction = kMean) : reduction_(reduction) {} \
    EMBER_LOSS_ARG(LossReduction, reduction);                        \
  }
EMBER_REDUCTION_ONLY_OPTIONS(L1LossOptions);
EMBER_REDUCTION_ONLY_OPTIONS(MSELossOptions);
EMBER_REDUCTION_ONLY_OPTIONS(SoftMarginLossOptions);
EMBER_REDUCTION_ONLY_OPTIONS(MultiLabelMarginLossOptions);
#undef EMBER_REDUCTION_ONLY_OPTIONS

struct SmoothL1LossOptions {
  EMBER_LOSS_ARG(LossReduction, reduction) = kMean;
  EMBER_LOSS_ARG(double, beta) = 1.0;
};

struct HuberLossOptions {
  EMBER_LOSS_ARG(LossReduction, reduction) = kMean;
  EMBER_LOSS_ARG(double, delta) = 1.0;
};

struct NLLLossOptions {
  EMBER_LOSS_ARG(std::optional<Tensor>, weight);
  EMBER_LOSS_ARG(int64_t, ignore_index) = -100;
  EMBER_LOSS_ARG(LossReduction, reduction) = kMean;
};

struct CrossEntropyLossOptions {
  EMBER_LOSS_ARG(std::optional<Tensor>, weight);
  EMBER_LOSS_ARG(int64_t, ignore_index) = -100;
  EMBER_LOSS_ARG(LossReduction, reduction) = kMean;
  EMBER_LOSS_ARG(double, label_smoothing) = 0.0;
};

struct BCELossOptions {
  EMBER_LOSS_ARG(std::optional<Tensor>, weight);
  EMBER_LOSS_ARG(LossReduction, reduction) = kMean;
};

struct BCEWithLogitsLossOptions {
  EMBER_LOSS_ARG(std::optional<Tensor>, weight);
  EMBER_LOSS_ARG(LossReduction, reduction) = kMean;
  EMBER_LOSS_ARG(std::optional<Tensor>, pos_weight);
};

struct KLDivLossOptions {
  using reduction_t =
      std::variant<enumtype::kNone, enumtype::kBatchMean, enumtype::kSum, enumtype::kMean>;
  KLDivLossOptions(reduction_t reduction = kMean) : reduction_(reduction) {}  // NOLINT
  EMBER_LOSS_ARG(reduction_t, reduction);
  EMBER_LOSS_ARG(bool, log_target) = false;
};

struct PoissonNLLLossOptions {
  EMBER_LOSS_ARG(bool, log_input) = true;
  EMBER_LOSS_ARG(bool, full) = false;
  EMBER_LOSS_ARG(double, eps) = 1e-8;
  EMBER_LOSS_ARG(LossReduction, reduction) = kMean;
};

struct GaussianNLLLossOptions {
  EMBER_LOSS_ARG(bool, full) = false;
  EMBER_LOSS_ARG(double, eps) = 1e-6;
  EMBER_LOSS_ARG(LossReduction, reduction) = kMean;
};

struct MarginRankingLossOptions {
  EMBER_LOSS_ARG(double, margin) = 0.0;
  EMBER_LOSS_ARG(LossReduction, reduction) = kMean;
};

struct HingeEmbeddingLossOptions {
  EMBER_LOSS_ARG(double, margin) = 1.0;
  EMBER_LOSS_ARG(LossReduction, reduction) = kMean;
};

struct CosineEmbeddingLossOptions {
  EMBER_LOSS_ARG(double, margin) = 0.0;
  EMBER_LOSS_ARG(LossReduction, reduction) = kMean;
};

struct TripletMarginLossOptions {
  EMBER_LOSS_ARG(double, margin) = 1.0;
  EMBER_LOSS_ARG(double, p) = 2.0;
  EMBER_LOSS_ARG(double, eps) = 1e-6;
  EMBER_LOSS_ARG(bool, swap) = false;
  EMBER_LOSS_ARG(LossReduction, reduction) = kMean;
};

struct MultiLabelSoftMarginLossOptions {
  EMBER_LOSS_ARG(std::optional<Tensor>, weight);
  EMBER_LOSS_ARG(LossReduction, reduction) = kMean;
};

struct MultiMarginLossOptions {
  EMBER_LOSS_ARG(int64_t, p) = 1;
  EMBER_LOSS_ARG(double, margin) = 1.0;
  EMBER_LOSS_ARG(std::optional<Tensor>, weight);
  EMBER_LOSS_ARG(LossReduction, reduction) = kMean;
};

struct CTCLossOptions {
  EMBER_LOSS_ARG(int64_t, blank) = 0;
  EMBER_LOSS_ARG(LossReduction, reduction) = kMean;
  EMBER_LOSS_ARG(bool, zero_infinity) = false;
};

namespace functional {
using L1LossFuncOptions = L1LossOptions;
using MSELossFuncOptions = MSELossOptions;
using SmoothL1LossFuncOptions = SmoothL1LossOptions;
using HuberLossFuncOptions = HuberLossOptions;
using NLLLossFuncOptions = NLLLossOptions;
using CrossEntropyFuncOptions = CrossEntropyLossOptions;
using BinaryCrossEntropyFuncOptions = BCELossOptions;
using BinaryCrossEntropyWithLogitsFuncOptions = BCEWithLogitsLossOptions;
using KLDivFuncOptions = KLDivLossOptions;
using PoissonNLLLossFuncOptions = PoissonNLLLossOptions;
using GaussianNLLLossFuncOptions = GaussianNLLLossOptions;
using MarginRankingLossFuncOptions = MarginRankingLossOptions;
using HingeEmbeddingLossFuncOptions = HingeEmbeddingLossOptions;
using CosineEmbeddingLossFuncOptions = CosineEmbeddingLossOptions;
using TripletMarginLossFuncOptions = TripletMarginLossOptions;
using SoftMarginLossFuncOptions = SoftMarginLossOptions;
using MultilabelSoftMarginLossFuncOptions = MultiLabelSoftMarginLossOptions;
using MultiMarginLossFuncOptions = MultiMarginLossOptions;
using MultilabelMarginLossFuncOptions = MultiLabelMarginLossOptions;
using CTCLossFuncOptions = CTCLossOptions;
}  // namespace functional

}  // namespace ember::nn

#undef EMBER_LOSS_ARG
