// Primitives of the normalization family (see primitives.h for the contract): the fused forward
// and backward of layer_norm, batch_norm and group_norm. instance_norm is a composite over them
// (ops/nn_norm.cpp).
#pragma once

#include <cstdint>

#include "ember/ops/primitive.h"

namespace ember {

// inputs: x (contiguous, float32 or float64), then weight and bias (contiguous, `row_size`
// elements) where present; outputs: y (x's shape), mean and rstd (rows = numel / row_size each,
// x's dtype). Each row of `row_size` elements is normalized: y = (x - mean) * rstd * w + b with
// rstd = 1 / sqrt(biased var + eps).
class LayerNorm final : public Primitive {
 public:
  EMBER_PRIMITIVE(LayerNorm, LayerNorm)
  LayerNorm(int64_t row_size, double eps, bool has_weight, bool has_bias)
      : row_size_(row_size), eps_(eps), has_weight_(has_weight), has_bias_(has_bias) {}
  int64_t row_size() const { return row_size_; }
  double eps() const { return eps_; }
  bool has_weight() const { return has_weight_; }
  bool has_bias() const { return has_bias_; }
  std::string_view name() const override { return "layer_norm"; }
  void eval_cpu(TensorSpan inputs, TensorSpan outputs) const override;

 private:
  int64_t row_size_;
  double eps_;
  bool has_weight_;
  bool has_bias_;
};

// The gradient of LayerNorm (first order only: create_graph differentiates the composite formula
// of autograd/derivatives_norm.cpp instead). inputs: grad_y, x (contiguous), mean, rstd, then
// weight where has_weight; outputs: grad_x (x's shape), grad_weight and grad_bias (row_size
// elements each, filled only when asked for).
class LayerNormBackward final : public Primitive {
 public:
  EMBER_PRIMITIVE(LayerNormBackward, LayerNormBackward)
  LayerNormBackward(int64_t row_size, bool has_weight, bool weight_grad, bool bias_grad)
      : row_size_(row_size),
        has_weight_(has_weight),
        weight_grad_(weight_grad),
        bias_grad_(bias_grad) {}
  int64_t row_size() const { return row_size_; }
  bool has_weight() const { return has_weight_; }
  bool weight_grad() const { return weight_grad_; }
  bool bias_grad() const { return bias_grad_; }
  std::string_view name() const override { return "layer_norm_backward"; }
  void eval_cpu(TensorSpan inputs, TensorSpan outputs) const override;

 private:
  int64_t row_size_;
  bool has_weight_;
  bool weight_grad_;
  bool bias_grad_;
};

// batch_norm over x (N, C, *) per channel. inputs: x (contiguous, float32 or float64), then
// weight and bias (contiguous, C elements) where present, then in eval mode (training false)
// running_mean and running_var (contiguous, C, x's dtype). outputs: y (x's shape), save_mean and
// save_invstd (C each, x's dtype), and in training a fourth, the unbiased batch variance (C) for
// the running-statistics update. Training normalizes with the batch's mean and biased variance,
// eval with the running statistics (save_mean = running_mean, save_invstd from running_var):
// y = (x - mean) * invstd * w + b.
class BatchNorm final : public Primitive {
 public:
  EMBER_PRIMITIVE(BatchNorm, BatchNorm)
  BatchNorm(double eps, bool training, bool has_weight, bool has_bias)
      : eps_(eps), training_(training), has_weight_(has_weight), has_bias_(has_bias) {}
  double eps() const { return eps_; }
  bool training() const { return training_; }
  bool has_weight() const { return has_weight_; }
  bool has_bias() const { return has_bias_; }
  std::string_view name() const override { return "batch_norm"; }
  void eval_cpu(TensorSpan inputs, TensorSpan outputs) const override;

 private:
  double eps_;
  bool training_;
  bool has_weight_;
  bool has_bias_;
};

// The gradient of BatchNorm (first order only, as LayerNormBackward). inputs: grad_y (contiguous),
// x (contiguous), save_mean, save_invstd, then weight where has_weight; outputs: grad_x (x's
// shape, filled when input_grad), grad_weight and grad_bias (C each, filled when asked for). In
// training the statistics depend on x, which adds the two mean terms to grad_x.
class BatchNormBackward final : public Primitive {
 public:
  EMBER_PRIMITIVE(BatchNormBackward, BatchNormBackward)
  BatchNormBackward(bool training, bool has_weight, bool input_grad, bool weight_grad,
                    bool bias_grad)
      : training_(training),
        has_weight_(has_weight),
        input_grad_(input_grad),
        weight_grad_(weight_grad),
        bias_grad_(bias_grad) {}
  bool training() const { return training_; }
  bool has_weight() const { return has_weight_; }
  bool input_grad() const { return input_grad_; }
  bool weight_grad() const { return weight_grad_; }
  bool bias_grad() const { return bias_grad_; }
  std::string_view name() const override { return "batch_norm_backward"; }
  void eval_cpu(TensorSpan inputs, TensorSpan outputs) const override;

 private:
  bool training_;
  bool has_weight_;
  bool input_grad_;
  bool weight_grad_;
  bool bias_grad_;
};

// group_norm over x (N, C, *): each (sample, group of C / num_groups channels) normalized with its
// mean and biased variance, then weight and bias (C) applied per channel. inputs: x (contiguous,
// float32 or float64), then weight and bias (contiguous, C) where present; outputs: y (x's
// shape), mean and rstd (N * num_groups each, x's dtype).
class GroupNorm final : public Primitive {
 public:
  EMBER_PRIMITIVE(GroupNorm, GroupNorm)
  GroupNorm(int64_t num_groups, double eps, bool has_weight, bool has_bias)
      : num_groups_(num_groups), eps_(eps), has_weight_(has_weight), has_bias_(has_bias) {}
  int64_t num_groups() const { return num_groups_; }
  double eps() const { return eps_; }
  bool has_weight() const { return has_weight_; }
  bool has_bias() const { return has_bias_; }
  std::string_view name() const override { return "group_norm"; }
  void eval_cpu(TensorSpan inputs, TensorSpan outputs) const override;

 private:
  int64_t num_groups_;
  double eps_;
  bool has_weight_;
  bool has_bias_;
};

// The gradient of GroupNorm (first order only). inputs: grad_y (contiguous), x (contiguous), mean,
// rstd, then weight where has_weight; outputs: grad_x (x's shape), grad_weight and grad_bias (C
// each, filled only when asked for).
class GroupNormBackward final : public Primitive {
 public:
  EMBER_PRIMITIVE(GroupNormBackward, GroupNormBackward)
  GroupNormBackward(int64_t num_groups, bool has_weight, bool weight_grad, bool bias_grad)
      : num_groups_(num_groups),
        has_weight_(has_weight),
        weight_grad_(weight_grad),
        bias_grad_(bias_grad) {}
  int64_t num_groups() const { return num_groups_; }
  bool has_weight() const { return has_weight_; }
  bool weight_grad() const { return weight_grad_; }
  bool bias_grad() const { return bias_grad_; }
  std::string_view name() const override { return "group_norm_backward"; }
  void eval_cpu(TensorSpan inputs, TensorSpan outputs) const override;

 private:
  int64_t num_groups_;
  bool has_weight_;
  bool weight_grad_;
  bool bias_grad_;
};

}  // namespace ember
