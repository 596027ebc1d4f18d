// Primitives of the normalization family (see primitives.h for the contract): layer_norm's fused
// forward and backward. batch_norm, group_norm and instance_norm normalize over other dims and
// are composites that lay their groups out as LayerNorm rows (ops/nn_norm.cpp).
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

}  // namespace ember
