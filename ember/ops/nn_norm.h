// nn.functional's normalization ops (torch.nn.functional.layer_norm / batch_norm / group_norm /
// instance_norm, libtorch's at::layer_norm / ...). layer_norm, batch_norm and group_norm are
// fused primitives (ops/primitives_nn_norm.h); instance_norm lays its instances out as LayerNorm
// rows.
#pragma once

#include <optional>
#include <tuple>

#include "ember/tensor/tensor.h"

namespace ember {

// (input - mean) / sqrt(var + eps) * weight + bias over the last normalized_shape.size() dims,
// which must equal normalized_shape; weight and bias (optional) have normalized_shape.
Tensor layer_norm(const Tensor& input, IntArrayRef normalized_shape,
                  const std::optional<Tensor>& weight = std::nullopt,
                  const std::optional<Tensor>& bias = std::nullopt, double eps = 1e-5);

// Per channel (dim 1) of input (N, C, *): in training, or without running statistics, normalized
// with the batch's mean and biased variance, and the running statistics given (C each) updated
// in place: running = (1 - momentum) * running + momentum * batch (the unbiased variance for
// running_var, as PyTorch); in eval mode normalized with the running statistics.
Tensor batch_norm(const Tensor& input, const std::optional<Tensor>& weight,
                  const std::optional<Tensor>& bias, const std::optional<Tensor>& running_mean,
                  const std::optional<Tensor>& running_var, bool training, double momentum,
                  double eps);

// input (N, C, *) with its C channels split into num_groups groups (C divisible by num_groups),
// each (sample, group) normalized; weight and bias (C) applied per channel.
Tensor group_norm(const Tensor& input, int64_t num_groups,
                  const std::optional<Tensor>& weight = std::nullopt,
                  const std::optional<Tensor>& bias = std::nullopt, double eps = 1e-5);

// Each (sample, channel) of input (N, C, *) normalized over its spatial dims when
// use_input_stats (updating the running statistics given with the mean over the batch of the
// per-instance statistics), else with the running statistics; weight and bias (C) per channel.
Tensor instance_norm(const Tensor& input, const std::optional<Tensor>& weight,
                     const std::optional<Tensor>& bias, const std::optional<Tensor>& running_mean,
                     const std::optional<Tensor>& running_var, bool use_input_stats,
                     double momentum, double eps);

// The fused LayerNorm primitive over rows of row_size elements of input (any layout, floating
// point): (output of input's shape and dtype, mean and rstd per row). weight and bias, where
// defined, hold row_size elements.
std::tuple<Tensor, Tensor, Tensor> layer_norm_rows(const Tensor& input, int64_t row_size,
                                                   const Tensor& weight, const Tensor& bias,
                                                   double eps);

namespace detail {

// batch_norm and group_norm as composites of public ops (channels transposed to LayerNorm rows,
// then a broadcast affine): the references the fused primitives are tested against.
Tensor batch_norm_composite(const Tensor& input, const std::optional<Tensor>& weight,
                            const std::optional<Tensor>& bias,
                            const std::optional<Tensor>& running_mean,
                            const std::optional<Tensor>& running_var, bool training,
                            double momentum, double eps);
Tensor group_norm_composite(const Tensor& input, int64_t num_groups,
                            const std::optional<Tensor>& weight = std::nullopt,
                            const std::optional<Tensor>& bias = std::nullopt, double eps = 1e-5);

}  // namespace detail
}  // namespace ember
