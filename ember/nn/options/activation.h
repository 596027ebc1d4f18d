// libtorch's option structs of the activation, dropout and distance layers and functions
// (torch/nn/options/{activation,dropout,distance}.h): each argument is a chainable setter and a
// getter, `ELUOptions().alpha(0.5).inplace(true)`; the *FuncOptions, in nn::functional as in
// libtorch, are the same structs or add what only the function takes (dtype, training).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "ember/tensor/dtype.h"

// Declares a chainable setter name(value), a getter name() and the member name_ = default.
#define EMBER_ACTIVATION_ARG(T, name)                      \
 public:                                                   \
  auto name(const T& new_##name)->decltype(*this) {        \
    this->name##_ = new_##name;                            \
    return *this;                                          \
  }                                                        \
  const T& name() const noexcept { return this->name##_; } \
                                                           \
 private:                                                  \
  T name##_

namespace ember::nn {

struct ReLUOptions {
  ReLUOptions(bool inplace = false) : inplace_(inplace) {}  // NOLINT(google-explicit-constructor)
  EMBER_ACTIVATION_ARG(bool, inplace);
};

struct ReLU6Options {
  ReLU6Options(bool inplace = false) : inplace_(inplace) {}  // NOLINT(google-explicit-constructor)
  EMBER_ACTIVATION_ARG(bool, inplace);
};

struct LeakyReLUOptions {
  EMBER_ACTIVATION_ARG(double, negative_slope) = 1e-2;
  EMBER_ACTIVATION_ARG(bool, inplace) = false;
};

struct ELUOptions {
  EMBER_ACTIVATION_ARG(double, alpha) = 1.0;
  EMBER_ACTIVATION_ARG(bool, inplace) = false;
};

struct SELUOptions {
  SELUOptions(bool inplace = false) : inplace_(inplace) {}  // NOLINT(google-explicit-constructor)
  EMBER_ACTIVATION_ARG(bool, inplace);
};

struct CELUOptions {
  EMBER_ACTIVATION_ARG(double, alpha) = 1.0;
  EMBER_ACTIVATION_ARG(bool, inplace) = false;
};

struct GELUOptions {
  EMBER_ACTIVATION_ARG(std::string, approximate) = "none";
};

struct GLUOptions {
  GLUOptions(int64_t dim = -1) : dim_(dim) {}  // NOLINT(google-explicit-constructor)
  EMBER_ACTIVATION_ARG(int64_t, dim);
};

struct HardtanhOptions {
  EMBER_ACTIVATION_ARG(double, min_val) = -1.0;
  EMBER_ACTIVATION_ARG(double, max_val) = 1.0;
  EMBER_ACTIVATION_ARG(bool, inplace) = false;
};

struct HardshrinkOptions {
  HardshrinkOptions(double lambda = 0.5) : lambda_(lambda) {}  // NOLINT
  EMBER_ACTIVATION_ARG(double, lambda);
};

struct SoftshrinkOptions {
  SoftshrinkOptions(double lambda = 0.5) : lambda_(lambda) {}  // NOLINT
  EMBER_ACTIVATION_ARG(double, lambda);
};

struct SoftplusOptions {
  EMBER_ACTIVATION_ARG(double, beta) = 1.0;
  EMBER_ACTIVATION_ARG(double, threshold) = 20.0;
};

struct ThresholdOptions {
  ThresholdOptions(double threshold, double value) : threshold_(threshold), value_(value) {}
  EMBER_ACTIVATION_ARG(double, threshold);
  EMBER_ACTIVATION_ARG(double, value);
  EMBER_ACTIVATION_ARG(bool, inplace) = false;
};

struct PReLUOptions {
  EMBER_ACTIVATION_ARG(int64_t, num_parameters) = 1;
  EMBER_ACTIVATION_ARG(double, init) = 0.25;
};

struct RReLUOptions {
  EMBER_ACTIVATION_ARG(double, lower) = 1.0 / 8.0;
  EMBER_ACTIVATION_ARG(double, upper) = 1.0 / 3.0;
  EMBER_ACTIVATION_ARG(bool, inplace) = false;
};

// Softmax, LogSoftmax and Softmin: the layers take a dim; the functions a dim and a dtype.
struct SoftmaxOptions {
  SoftmaxOptions(int64_t dim) : dim_(dim) {}  // NOLINT(google-explicit-constructor)
  EMBER_ACTIVATION_ARG(int64_t, dim);
};
using LogSoftmaxOptions = SoftmaxOptions;
using SoftminOptions = SoftmaxOptions;

// Dropout and its channel and alpha forms: the layers take p and inplace, the functions also
// training (true for dropout, false for the alpha forms, as PyTorch's defaults).
struct DropoutOptions {
  DropoutOptions(double p = 0.5) : p_(p) {}  // NOLINT(google-explicit-constructor)
  EMBER_ACTIVATION_ARG(double, p);
  EMBER_ACTIVATION_ARG(bool, inplace) = false;
};
using Dropout1dOptions = DropoutOptions;
using Dropout2dOptions = DropoutOptions;
using Dropout3dOptions = DropoutOptions;
using AlphaDropoutOptions = DropoutOptions;
using FeatureAlphaDropoutOptions = DropoutOptions;

struct CosineSimilarityOptions {
  EMBER_ACTIVATION_ARG(int64_t, dim) = 1;
  EMBER_ACTIVATION_ARG(double, eps) = 1e-8;
};

struct PairwiseDistanceOptions {
  EMBER_ACTIVATION_ARG(double, p) = 2.0;
  EMBER_ACTIVATION_ARG(double, eps) = 1e-6;
  EMBER_ACTIVATION_ARG(bool, keepdim) = false;
};

// The options of nn::functional's functions, in that namespace as libtorch's.
namespace functional {

using ReLUFuncOptions = ReLUOptions;
using ReLU6FuncOptions = ReLU6Options;
using LeakyReLUFuncOptions = LeakyReLUOptions;
using ELUFuncOptions = ELUOptions;
using SELUFuncOptions = SELUOptions;
using CELUFuncOptions = CELUOptions;
using GELUFuncOptions = GELUOptions;
using GLUFuncOptions = GLUOptions;
using HardtanhFuncOptions = HardtanhOptions;
using HardshrinkFuncOptions = HardshrinkOptions;
using SoftshrinkFuncOptions = SoftshrinkOptions;
using SoftplusFuncOptions = SoftplusOptions;
using ThresholdFuncOptions = ThresholdOptions;

struct RReLUFuncOptions {
  EMBER_ACTIVATION_ARG(double, lower) = 1.0 / 8.0;
  EMBER_ACTIVATION_ARG(double, upper) = 1.0 / 3.0;
  EMBER_ACTIVATION_ARG(bool, training) = false;
  EMBER_ACTIVATION_ARG(bool, inplace) = false;
};

struct SoftmaxFuncOptions {
  SoftmaxFuncOptions(int64_t dim) : dim_(dim) {}  // NOLINT(google-explicit-constructor)
  EMBER_ACTIVATION_ARG(int64_t, dim);
  EMBER_ACTIVATION_ARG(std::optional<ScalarType>, dtype) = std::nullopt;
};

using LogSoftmaxFuncOptions = SoftmaxFuncOptions;
using SoftminFuncOptions = SoftmaxFuncOptions;

struct GumbelSoftmaxFuncOptions {
  EMBER_ACTIVATION_ARG(double, tau) = 1.0;
  EMBER_ACTIVATION_ARG(bool, hard) = false;
  EMBER_ACTIVATION_ARG(int64_t, dim) = -1;
};

struct DropoutFuncOptions {
  EMBER_ACTIVATION_ARG(double, p) = 0.5;
  EMBER_ACTIVATION_ARG(bool, training) = true;
  EMBER_ACTIVATION_ARG(bool, inplace) = false;
};

using Dropout1dFuncOptions = DropoutFuncOptions;
using Dropout2dFuncOptions = DropoutFuncOptions;
using Dropout3dFuncOptions = DropoutFuncOptions;

struct AlphaDropoutFuncOptions {
  EMBER_ACTIVATION_ARG(double, p) = 0.5;
  EMBER_ACTIVATION_ARG(bool, training) = false;
  EMBER_ACTIVATION_ARG(bool, inplace) = false;
};

using FeatureAlphaDropoutFuncOptions = AlphaDropoutFuncOptions;

struct NormalizeFuncOptions {
  EMBER_ACTIVATION_ARG(double, p) = 2.0;
  EMBER_ACTIVATION_ARG(int64_t, dim) = 1;
  EMBER_ACTIVATION_ARG(double, eps) = 1e-12;
};

using CosineSimilarityFuncOptions = CosineSimilarityOptions;
using PairwiseDistanceFuncOptions = PairwiseDistanceOptions;

}  // namespace functional

}  // namespace ember::nn

#undef EMBER_ACTIVATION_ARG
