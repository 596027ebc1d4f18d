// libtorch's torch::nn::functional linear forwards: inline calls of the ops, no math here.
#pragma once

#include "ember/ops/nn_linear.h"

namespace ember::nn::functional {

inline Tensor linear(const Tensor& input, const Tensor& weight, const Tensor& bias = {}) {
  return ember::linear(input, weight, bias);
}

inline Tensor bilinear(const Tensor& input1, const Tensor& input2, const Tensor& weight,
                       const Tensor& bias = Tensor()) {
  return ember::bilinear(input1, input2, weight, bias);
}

}  // namespace ember::nn::functional
