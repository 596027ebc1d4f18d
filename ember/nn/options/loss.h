// The options of the losses, as libtorch's torch/nn/options/loss.h: MSELossOptions().reduction(
// ember::kSum), ... The loss modules take them; ember::nn::functional takes the same structs
// under their *FuncOptions names.
#pragma once

#include <cstdint>
#include <optional>
#include <variant>

#include "ember/nn/arg.h"
#include "ember/nn/enum.h"
#include "ember/ops/nn_loss.h"

namespace ember::nn {

using LossReduction = std::variant<enumtype::kNone, enumtype::kMean, enumtype::kSum>;

// The reduction as the ops' Reduction enum (the variant lists the values in its order).
inline int64_t reduction_enum(const LossReduction& reduction) {
  return static_cast<int64_t>(reduction.index());
}

// An options tensor (undefined: not given, as libtorch's) as the ops' optional argument.
inline std::optional<Tensor> optional_tensor(const Tensor& tensor) {
  return tensor.defined() ? std::optional<Tensor>(tensor) : std::nullopt;
}

// Options of a loss whose only option is the reduction.
#define EMBER_REDUCTION_ONLY_OPTIONS(Name)                           \
  struct Name {                                                      \
    Name(LossReduction reduction = kMean) : reduction_(reduction) {} \
    EMBER_ARG(LossReduction, reduction);                             \
  }
EMBER_REDUCTION_ONLY_OPTIONS(L1LossOptions);
EMBER_REDUCTION_ONLY_OPTIONS(MSELossOptions);
EMBER_REDUCTION_ONLY_OPTIONS(SoftMarginLossOptions);
EMBER_REDUCTION_ONLY_OPTIONS(MultiLabelMarginLossOptions);
#undef EMBER_REDUCTION_ONLY_OPTIONS

struct SmoothL1LossOptions {
  EMBER_ARG(LossReduction, reduction) = kMean;
  EMBER_ARG(double, beta) = 1.0;
};

struct HuberLossOptions {
  EMBER_ARG(LossReduction, reduction) = kMean;
  EMBER_ARG(double, delta) = 1.0;
};

struct NLLLossOptions {
  EMBER_ARG(Tensor, weight);
  EMBER_ARG(int64_t, ignore_index) = -100;
  EMBER_ARG(LossReduction, reduction) = kMean;
};

struct CrossEntropyLossOptions {
  EMBER_ARG(Tensor, weight);
  EMBER_ARG(int64_t, ignore_index) = -100;
  EMBER_ARG(LossReduction, reduction) = kMean;
  EMBER_ARG(double, label_smoothing) = 0.0;
};

struct BCELossOptions {
  EMBER_ARG(Tensor, weight);
  EMBER_ARG(LossReduction, reduction) = kMean;
};

struct BCEWithLogitsLossOptions {
  EMBER_ARG(Tensor, weight);
  EMBER_ARG(LossReduction, reduction) = kMean;
  EMBER_ARG(Tensor, pos_weight);
};

struct KLDivLossOptions {
  using reduction_t =
      std::variant<enumtype::kNone, enumtype::kBatchMean, enumtype::kSum, enumtype::kMean>;
  KLDivLossOptions(reduction_t reduction = kMean) : reduction_(reduction) {}  // NOLINT
  EMBER_ARG(reduction_t, reduction);
  EMBER_ARG(bool, log_target) = false;
};

struct PoissonNLLLossOptions {
  EMBER_ARG(bool, log_input) = true;
  EMBER_ARG(bool, full) = false;
  EMBER_ARG(double, eps) = 1e-8;
  EMBER_ARG(LossReduction, reduction) = kMean;
};

struct GaussianNLLLossOptions {
  EMBER_ARG(bool, full) = false;
  EMBER_ARG(double, eps) = 1e-6;
  EMBER_ARG(LossReduction, reduction) = kMean;
};

struct MarginRankingLossOptions {
  EMBER_ARG(double, margin) = 0.0;
  EMBER_ARG(LossReduction, reduction) = kMean;
};

struct HingeEmbeddingLossOptions {
  EMBER_ARG(double, margin) = 1.0;
  EMBER_ARG(LossReduction, reduction) = kMean;
};

struct CosineEmbeddingLossOptions {
  EMBER_ARG(double, margin) = 0.0;
  EMBER_ARG(LossReduction, reduction) = kMean;
};

struct TripletMarginLossOptions {
  EMBER_ARG(double, margin) = 1.0;
  EMBER_ARG(double, p) = 2.0;
  EMBER_ARG(double, eps) = 1e-6;
  EMBER_ARG(bool, swap) = false;
  EMBER_ARG(LossReduction, reduction) = kMean;
};

struct MultiLabelSoftMarginLossOptions {
  EMBER_ARG(Tensor, weight);
  EMBER_ARG(LossReduction, reduction) = kMean;
};

struct MultiMarginLossOptions {
  EMBER_ARG(int64_t, p) = 1;
  EMBER_ARG(double, margin) = 1.0;
  EMBER_ARG(Tensor, weight);
  EMBER_ARG(LossReduction, reduction) = kMean;
};

struct CTCLossOptions {
  EMBER_ARG(int64_t, blank) = 0;
  EMBER_ARG(LossReduction, reduction) = kMean;
  EMBER_ARG(bool, zero_infinity) = false;
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
