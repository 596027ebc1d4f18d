// ember::nn::functional's normalization functions as libtorch's torch::nn::functional has them:
// inline forwards to the ops of ember/ops/nn_norm.h with the *FuncOptions of
// ember/nn/options/normalization.h. No math here (DESIGN §10).
#pragma once

#include "ember/nn/options/loss.h"
#include "ember/nn/options/normalization.h"
#include "ember/ops/nn_norm.h"

namespace ember::nn::functional {

// momentum std::nullopt counts as 0 here (the layers turn it into a cumulative average).
inline Tensor batch_norm(const Tensor& input, const Tensor& running_mean, const Tensor& running_var,
                         const BatchNormFuncOptions& options = {}) {
  return ember::batch_norm(input, optional_tensor(options.weight()),
                           optional_tensor(options.bias()), optional_tensor(running_mean),
                           optional_tensor(running_var), options.training(),
                           options.momentum().value_or(0.0), options.eps());
}

inline Tensor instance_norm(const Tensor& input, const InstanceNormFuncOptions& options = {}) {
  return ember::instance_norm(
      input, optional_tensor(options.weight()), optional_tensor(options.bias()),
      optional_tensor(options.running_mean()), optional_tensor(options.running_var()),
      options.use_input_stats(), options.momentum(), options.eps());
}

inline Tensor layer_norm(const Tensor& input, const LayerNormFuncOptions& options) {
  return ember::layer_norm(input, options.normalized_shape(), optional_tensor(options.weight()),
                           optional_tensor(options.bias()), options.eps());
}

inline Tensor group_norm(const Tensor& input, const GroupNormFuncOptions& options) {
  return ember::group_norm(input, options.num_groups(), optional_tensor(options.weight()),
                           optional_tensor(options.bias()), options.eps());
}

}  // namespace ember::nn::functional
