// The gradient rule of LayerNorm (derivatives_norm.h). With x̂ = (x - mean) * rstd and
// g = grad * weight per row of N elements:
//   grad_x = rstd * (g - mean(g) - x̂ * mean(g * x̂)),
//   grad_weight = sum over rows of grad * x̂, grad_bias = sum over rows of grad.
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

}  // namespace ember::autograd
