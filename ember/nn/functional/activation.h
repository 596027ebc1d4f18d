// ember::nn::functional's activations, softmax family, dropouts and distances as libtorch's
// torch::nn::functional has them: inline forwards to the ember:: ops, with the *FuncOptions of
// ember/nn/options/activation.h. No math here (DESIGN §10).
#pragma once

#include "ember/nn/options/activation.h"
#include "ember/ops/nn_activation.h"
#include "ember/ops/nn_distance.h"
#include "ember/ops/nn_dropout.h"
#include "ember/ops/ops.h"

namespace ember::nn::functional {

inline Tensor relu(Tensor input, const ReLUFuncOptions& options = {}) {
  return options.inplace() ? ember::relu_(input) : ember::relu(input);
}

inline Tensor relu6(Tensor input, const ReLU6FuncOptions& options = {}) {
  return options.inplace() ? ember::relu6_(input) : ember::relu6(input);
}

inline Tensor leaky_relu(Tensor input, const LeakyReLUFuncOptions& options = {}) {
  return options.inplace() ? ember::leaky_relu_(input, options.negative_slope())
                           : ember::leaky_relu(input, options.negative_slope());
}

inline Tensor elu(Tensor input, const ELUFuncOptions& options = {}) {
  return options.inplace() ? ember::elu_(input, options.alpha())
                           : ember::elu(input, options.alpha());
}

inline Tensor selu(Tensor input, const SELUFuncOptions& options = {}) {
  return options.inplace() ? ember::selu_(input) : ember::selu(input);
}

inline Tensor celu(Tensor input, const CELUFuncOptions& options = {}) {
  return options.inplace() ? ember::celu_(input, options.alpha())
                           : ember::celu(input, options.alpha());
}

inline Tensor gelu(const Tensor& input, const GELUFuncOptions& options = {}) {
  return ember::gelu(input, options.approximate());
}

inline Tensor glu(const Tensor& input, const GLUFuncOptions& options = {}) {
  return ember::glu(input, options.dim());
}

inline Tensor silu(const Tensor& input) { return ember::silu(input); }
inline Tensor mish(const Tensor& input) { return ember::mish(input); }
inline Tensor hardswish(const Tensor& input) { return ember::hardswish(input); }
inline Tensor hardsigmoid(const Tensor& input) { return ember::hardsigmoid(input); }
inline Tensor logsigmoid(const Tensor& input) { return ember::log_sigmoid(input); }
inline Tensor softsign(const Tensor& input) { return ember::softsign(input); }
inline Tensor tanhshrink(const Tensor& input) { return ember::tanhshrink(input); }

inline Tensor hardtanh(Tensor input, const HardtanhFuncOptions& options = {}) {
  return options.inplace() ? ember::hardtanh_(input, options.min_val(), options.max_val())
                           : ember::hardtanh(input, options.min_val(), options.max_val());
}

inline Tensor hardshrink(const Tensor& input, const HardshrinkFuncOptions& options = {}) {
  return ember::hardshrink(input, options.lambda());
}

inline Tensor softshrink(const Tensor& input, const SoftshrinkFuncOptions& options = {}) {
  return ember::softshrink(input, options.lambda());
}

inline Tensor softplus(const Tensor& input, const SoftplusFuncOptions& options = {}) {
  return ember::softplus(input, options.beta(), options.threshold());
}

inline Tensor threshold(Tensor input, const ThresholdFuncOptions& options) {
  return options.inplace() ? ember::threshold_(input, options.threshold(), options.value())
                           : ember::threshold(input, options.threshold(), options.value());
}

inline Tensor prelu(const Tensor& input, const Tensor& weight) {
  return ember::prelu(input, weight);
}

inline Tensor rrelu(Tensor input, const RReLUFuncOptions& options = {}) {
  return options.inplace()
             ? ember::rrelu_(input, options.lower(), options.upper(), options.training())
             : ember::rrelu(input, options.lower(), options.upper(), options.training());
}

inline Tensor softmax(const Tensor& input, const SoftmaxFuncOptions& options) {
  return ember::softmax(input, options.dim(), options.dtype());
}

inline Tensor log_softmax(const Tensor& input, const LogSoftmaxFuncOptions& options) {
  return ember::log_softmax(input, options.dim(), options.dtype());
}

inline Tensor softmin(const Tensor& input, const SoftminFuncOptions& options) {
  return ember::softmin(input, options.dim(), options.dtype());
}

inline Tensor gumbel_softmax(const Tensor& logits, const GumbelSoftmaxFuncOptions& options = {}) {
  return ember::gumbel_softmax(logits, options.tau(), options.hard(), options.dim());
}

inline Tensor dropout(Tensor input, const DropoutFuncOptions& options = {}) {
  return options.inplace() ? ember::dropout_(input, options.p(), options.training())
                           : ember::dropout(input, options.p(), options.training());
}

inline Tensor dropout1d(const Tensor& input, const Dropout1dFuncOptions& options = {}) {
  return ember::dropout1d(input, options.p(), options.training(), options.inplace());
}

inline Tensor dropout2d(const Tensor& input, const Dropout2dFuncOptions& options = {}) {
  return ember::dropout2d(input, options.p(), options.training(), options.inplace());
}

inline Tensor dropout3d(const Tensor& input, const Dropout3dFuncOptions& options = {}) {
  return ember::dropout3d(input, options.p(), options.training(), options.inplace());
}

inline Tensor alpha_dropout(Tensor input, const AlphaDropoutFuncOptions& options = {}) {
  return options.inplace() ? ember::alpha_dropout_(input, options.p(), options.training())
                           : ember::alpha_dropout(input, options.p(), options.training());
}

inline Tensor feature_alpha_dropout(Tensor input,
                                    const FeatureAlphaDropoutFuncOptions& options = {}) {
  return options.inplace() ? ember::feature_alpha_dropout_(input, options.p(), options.training())
                           : ember::feature_alpha_dropout(input, options.p(), options.training());
}

inline Tensor normalize(const Tensor& input, const NormalizeFuncOptions& options = {}) {
  return ember::normalize(input, options.p(), options.dim(), options.eps());
}

inline Tensor cosine_similarity(const Tensor& x1, const Tensor& x2,
                                const CosineSimilarityFuncOptions& options = {}) {
  return ember::cosine_similarity(x1, x2, options.dim(), options.eps());
}

inline Tensor pairwise_distance(const Tensor& x1, const Tensor& x2,
                                const PairwiseDistanceFuncOptions& options = {}) {
  return ember::pairwise_distance(x1, x2, options.p(), options.eps(), options.keepdim());
}

inline Tensor pdist(const Tensor& input, double p = 2.0) { return ember::pdist(input, p); }

inline Tensor one_hot(const Tensor& tensor, int64_t num_classes = -1) {
  return ember::one_hot(tensor, num_classes);
}

}  // namespace ember::nn::functional
