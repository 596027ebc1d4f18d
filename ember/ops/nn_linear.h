// nn.functional's linear layers as ops (torch.nn.functional.linear / bilinear, libtorch's
// at::linear / at::bilinear): composites over matmul, so autograd needs no rule of their own.
#pragma once

#include <optional>

#include "ember/tensor/tensor.h"

namespace ember {

// input @ weight^T + bias: input (*, in_features), weight (out_features, in_features) or
// (in_features), bias broadcastable to the result (*, out_features). No bias: nullopt or an
// undefined tensor.
Tensor linear(const Tensor& input, const Tensor& weight,
              const std::optional<Tensor>& bias = std::nullopt);

// y[..., o] = sum_ij input1[..., i] weight[o, i, j] input2[..., j] + bias[o]: input1 (*, in1),
// input2 (*, in2) with the same leading dims, weight (out, in1, in2), bias (out).
Tensor bilinear(const Tensor& input1, const Tensor& input2, const Tensor& weight,
                const std::optional<Tensor>& bias = std::nullopt);

}  // namespace ember
