// The gradient rules of LayerNorm, BatchNorm and GroupNorm (derivatives_norm.h). With
// x̂ = (x - mean) * rstd and g = grad * weight over each normalized set of M elements (a row, a
// channel over the batch, a (sample, group)):
//   grad_x = rstd * (g - mean(g) - x̂ * mean(g * x̂)),
//   grad_weight = sum of grad * x̂, grad_bias = sum of grad (per element of weight).
// BatchNorm in eval mode normalizes with constants: grad_x = g * invstd.
#include "ember/autograd/derivatives_norm.h"

#include <vector>

#include "ember/autograd/grad_mode.h"
#include "ember/ops/dispatch.h"
#include "ember/ops/ops.h"

namespace ember::autograd {
namespace {

TensorList fused_vjp(const LayerNorm& op, const BackwardContext& c, const Tensor& x,
                     const Tensor& weight, const Tensor& mean, const Tensor& rstd) {
  const Tensor& grad = c.grads[0];
  const bool weight_grad = op.has_weight() && c.needs_input_grad[1];
  const size_t bias_index = op.has_weight() ? 2 : 1;
  const bool bias_grad = op.has_bias() && c.needs_input_grad[bias_index];
  const TensorOptions options = TensorOptions(x.dtype()).device(x.device());
  Tensor grad_x = empty(x.shape(), options);
  Tensor grad_weight = empty({op.row_size()}, options);
  Tensor grad_bias = empty({op.row_size()}, options);
  std::vector<Tensor> inputs{grad.contiguous(), x, mean, rstd};
  if (op.has_weight()) inputs.push_back(weight);
  const Tensor outputs[] = {grad_x, grad_weight, grad_bias};
  run(LayerNormBackward(op.row_size(), op.has_weight(), weight_grad, bias_grad), TensorSpan(inputs),
      TensorSpan(outputs));
  TensorList grads(c.needs_input_grad.size());
  if (c.needs_input_grad[0]) grads[0] = grad_x;
  if (weight_grad) grads[1] = grad_weight.reshape(c.input_shapes[1]);
  if (bias_grad) grads[bias_index] = grad_bias.reshape(c.input_shapes[bias_index]);
  return grads;
}

TensorList composite_vjp(const LayerNorm& op, const BackwardContext& c, const Tensor& x,
                         const Tensor& weight) {
  const int64_t n = op.row_size();
  const int64_t rows = n == 0 ? 0 : x.numel() / n;
  const Tensor x_rows = x.reshape({rows, n});
  const Tensor centered = x_rows - x_rows.mean({1}, /*keepdim=*/true);
  const Tensor rstd = rsqrt((centered * centered).mean({1}, /*keepdim=*/true) + op.eps());
  const Tensor normalized = centered * rstd;
  const Tensor grad = c.grads[0].reshape({rows, n});
  const Tensor g = op.has_weight() ? grad * weight.reshape({1, n}) : grad;
  TensorList grads(c.needs_input_grad.size());
  if (c.needs_input_grad[0]) {
    const Tensor inner = g - g.mean({1}, /*keepdim=*/true) -
                         normalized * (g * normalized).mean({1}, /*keepdim=*/true);
    grads[0] = (rstd * inner).reshape(c.input_shapes[0]);
  }
  if (op.has_weight() && c.needs_input_grad[1]) {
    grads[1] = (grad * normalized).sum({0}).reshape(c.input_shapes[1]);
  }
  const size_t bias_index = op.has_weight() ? 2 : 1;
  if (op.has_bias() && c.needs_input_grad[bias_index]) {
    grads[bias_index] = grad.sum({0}).reshape(c.input_shapes[bias_index]);
  }
  return grads;
}

}  // namespace

TensorList layer_norm_vjp(const LayerNorm& op, const BackwardContext& c, const Tensor& x,
                          const Tensor& weight, const Tensor& mean, const Tensor& rstd) {
  if (is_grad_enabled()) return composite_vjp(op, c, x, weight);
  return fused_vjp(op, c, x, weight, mean, rstd);
}

namespace {

// Which of a (x, weight?, bias?, ...) primitive's gradients are asked for.
struct AffineGrads {
  bool input;
  bool weight;
  bool bias;
  size_t bias_index;
};

AffineGrads affine_grads(const BackwardContext& c, bool has_weight, bool has_bias) {
  const size_t bias_index = has_weight ? 2 : 1;
  return {c.needs_input_grad[0], has_weight && c.needs_input_grad[1],
          has_bias && c.needs_input_grad[bias_index], bias_index};
}

// The grads list of a (x, weight?, bias?, ...) primitive from its three gradients.
TensorList affine_grad_list(const BackwardContext& c, const AffineGrads& asked, const Tensor& x,
                            const Tensor& weight, const Tensor& bias) {
  TensorList grads(c.needs_input_grad.size());
  if (asked.input) grads[0] = x;
  if (asked.weight) grads[1] = weight.reshape(c.input_shapes[1]);
  if (asked.bias) grads[asked.bias_index] = bias.reshape(c.input_shapes[asked.bias_index]);
  return grads;
}

// The dims of x (N, C, *) other than the channels.
std::vector<int64_t> non_channel_dims(const Tensor& x) {
  std::vector<int64_t> dims{0};
  for (int64_t d = 2; d < x.dim(); ++d) dims.push_back(d);
  return dims;
}

Shape channel_shape(const Tensor& x) {
  Shape shape(static_cast<size_t>(x.dim()), 1);
  shape[1] = x.size(1);
  return shape;
}

TensorList batch_norm_fused_vjp(const BatchNorm& op, const BackwardContext& c, const Tensor& x,
                                const Tensor& weight, const Tensor& mean, const Tensor& invstd) {
  const AffineGrads asked = affine_grads(c, op.has_weight(), op.has_bias());
  const TensorOptions options = TensorOptions(x.dtype()).device(x.device());
  Tensor grad_x = empty(asked.input ? x.shape() : Shape{0}, options);
  Tensor grad_weight = empty({x.size(1)}, options);
  Tensor grad_bias = empty({x.size(1)}, options);
  std::vector<Tensor> inputs{c.grads[0].contiguous(), x, mean, invstd};
  if (op.has_weight()) inputs.push_back(weight);
  const Tensor outputs[] = {grad_x, grad_weight, grad_bias};
  run(BatchNormBackward(op.training(), op.has_weight(), asked.input, asked.weight, asked.bias),
      TensorSpan(inputs), TensorSpan(outputs));
  return affine_grad_list(c, asked, grad_x, grad_weight, grad_bias);
}

TensorList batch_norm_composite_vjp(const BatchNorm& op, const BackwardContext& c, const Tensor& x,
                                    const Tensor& weight, const Tensor& mean,
                                    const Tensor& invstd) {
  const AffineGrads asked = affine_grads(c, op.has_weight(), op.has_bias());
  const std::vector<int64_t> dims = non_channel_dims(x);
  const Shape shape = channel_shape(x);
  Tensor rstd, normalized;
  if (op.training()) {
    const Tensor centered = x - x.mean(dims, /*keepdim=*/true);
    rstd = rsqrt((centered * centered).mean(dims, /*keepdim=*/true) + op.eps());
    normalized = centered * rstd;
  } else {
    rstd = invstd.detach().reshape(shape);
    normalized = (x - mean.detach().reshape(shape)) * rstd;
  }
  const Tensor& grad = c.grads[0];
  const Tensor g = op.has_weight() ? grad * weight.reshape(shape) : grad;
  Tensor grad_x;
  if (asked.input) {
    grad_x = op.training() ? rstd * (g - g.mean(dims, /*keepdim=*/true) -
                                     normalized * (g * normalized).mean(dims, /*keepdim=*/true))
                           : g * rstd;
  }
  const Tensor grad_weight = asked.weight ? (grad * normalized).sum(dims) : Tensor();
  const Tensor grad_bias = asked.bias ? grad.sum(dims) : Tensor();
  return affine_grad_list(c, asked, grad_x, grad_weight, grad_bias);
}

TensorList group_norm_fused_vjp(const GroupNorm& op, const BackwardContext& c, const Tensor& x,
                                const Tensor& weight, const Tensor& mean, const Tensor& rstd) {
  const AffineGrads asked = affine_grads(c, op.has_weight(), op.has_bias());
  const TensorOptions options = TensorOptions(x.dtype()).device(x.device());
  Tensor grad_x = empty(x.shape(), options);
  Tensor grad_weight = empty({x.size(1)}, options);
  Tensor grad_bias = empty({x.size(1)}, options);
  std::vector<Tensor> inputs{c.grads[0].contiguous(), x, mean, rstd};
  if (op.has_weight()) inputs.push_back(weight);
  const Tensor outputs[] = {grad_x, grad_weight, grad_bias};
  run(GroupNormBackward(op.num_groups(), op.has_weight(), asked.weight, asked.bias),
      TensorSpan(inputs), TensorSpan(outputs));
  return affine_grad_list(c, asked, grad_x, grad_weight, grad_bias);
}

TensorList group_norm_composite_vjp(const GroupNorm& op, const BackwardContext& c, const Tensor& x,
                                    const Tensor& weight) {
  const AffineGrads asked = affine_grads(c, op.has_weight(), op.has_bias());
  const int64_t rows = x.size(0) * op.num_groups();
  const int64_t row_size = rows == 0 ? 0 : x.numel() / rows;
  const Shape grouped{x.size(0), op.num_groups(), row_size};
  const Tensor x_groups = x.reshape(grouped);
  const Tensor centered = x_groups - x_groups.mean({2}, /*keepdim=*/true);
  const Tensor rstd = rsqrt((centered * centered).mean({2}, /*keepdim=*/true) + op.eps());
  const Tensor normalized = centered * rstd;
  const Tensor& grad = c.grads[0];
  const Tensor g =
      (op.has_weight() ? grad * weight.reshape(channel_shape(x)) : grad).reshape(grouped);
  Tensor grad_x;
  if (asked.input) {
    const Tensor inner = g - g.mean({2}, /*keepdim=*/true) -
                         normalized * (g * normalized).mean({2}, /*keepdim=*/true);
    grad_x = (rstd * inner).reshape(x.shape());
  }
  const std::vector<int64_t> dims = non_channel_dims(x);
  const Tensor grad_weight =
      asked.weight ? (grad * normalized.reshape(x.shape())).sum(dims) : Tensor();
  const Tensor grad_bias = asked.bias ? grad.sum(dims) : Tensor();
  return affine_grad_list(c, asked, grad_x, grad_weight, grad_bias);
}

}  // namespace

TensorList batch_norm_vjp(const BatchNorm& op, const BackwardContext& c, const Tensor& x,
                          const Tensor& weight, const Tensor& mean, const Tensor& invstd) {
  if (is_grad_enabled()) return batch_norm_composite_vjp(op, c, x, weight, mean, invstd);
  return batch_norm_fused_vjp(op, c, x, weight, mean, invstd);
}

TensorList group_norm_vjp(const GroupNorm& op, const BackwardContext& c, const Tensor& x,
                          const Tensor& weight, const Tensor& mean, const Tensor& rstd) {
  if (is_grad_enabled()) return group_norm_composite_vjp(op, c, x, weight);
  return group_norm_fused_vjp(op, c, x, weight, mean, rstd);
}

}  // namespace ember::autograd
