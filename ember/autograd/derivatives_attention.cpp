// The gradient rule of ScaledDotProductAttention (derivatives_attention.h). With P the attention
// weights, dO the output's gradient and s the scale:
//   grad_v = P^T dO,  dS = P o (dO V^T - rowsum(dO o O)),  grad_q = s dS K,  grad_k = s dS^T Q,
// rowsum(dO o O) being rowsum(P o dO V^T). Fully masked rows have P = 0 and get zero gradients.
// With dropout (multipliers Z): grad_v = (P o Z)^T dO and dS = P o (Z o dO V^T - rowsum(dO o O)).
#include "ember/autograd/derivatives_attention.h"

#include <vector>

#include "ember/autograd/grad_mode.h"
#include "ember/ops/attention_internal.h"
#include "ember/ops/dispatch.h"
#include "ember/ops/ops.h"
#include "ember/ops/primitives.h"

namespace ember::autograd {
namespace {

TensorList fused_vjp(const ScaledDotProductAttention& op, const BackwardContext& c, const Tensor& q,
                     const Tensor& k, const Tensor& v, const Tensor& mask, const Tensor& out,
                     const Tensor& lse) {
  const TensorOptions options = TensorOptions(q.dtype()).device(q.device());
  const Tensor grads_out[] = {empty(q.shape(), options), empty(k.shape(), options),
                              empty(v.shape(), options)};
  std::vector<Tensor> inputs{c.grads[0].contiguous(), q, k, v, out, lse};
  if (op.has_mask()) inputs.push_back(mask);
  run(ScaledDotProductAttentionBackward(op.scale(), op.is_causal(), op.has_mask(), op.dropout_p(),
                                        op.dropout_state()),
      TensorSpan(inputs), TensorSpan(grads_out));
  TensorList grads(c.needs_input_grad.size());
  for (size_t i = 0; i < 3; ++i) {
    if (c.needs_input_grad[i]) grads[i] = grads_out[i];
  }
  return grads;
}

// The forward's dropout multipliers Z (0, or 1 / (1 - p) where kept) as a tensor of the weights'
// shape, redrawn from the saved Philox state (the bernoulli fill the kernel reads word by word);
// undefined without dropout. Only the create_graph path materialises this L x S matrix.
Tensor dropout_multipliers(const ScaledDotProductAttention& op, const Tensor& weights) {
  if (op.dropout_p() == 0.0) return Tensor();
  const Tensor keep = empty(weights.shape(), TensorOptions(kFloat32).device(weights.device()));
  run(RandomFill(RandomFill::Distribution::Bernoulli, 1.0 - op.dropout_p(), 0.0,
                 op.dropout_state()),
      {}, {keep});
  return keep.to(weights.dtype()) / (1.0 - op.dropout_p());
}

TensorList composite_vjp(const ScaledDotProductAttention& op, const BackwardContext& c,
                         const Tensor& q, const Tensor& k, const Tensor& v, const Tensor& mask) {
  const Tensor& grad = c.grads[0];
  // The mask view is (batch..., L, S); the scores here are (problems, L, S).
  const Tensor flat_mask = mask.defined() ? mask.reshape({q.size(0), q.size(1), k.size(1)}) : mask;
  const Tensor weights = detail::attention_weights(q, k, flat_mask, op.is_causal(), op.scale());
  const Tensor keep = dropout_multipliers(op, weights);
  const Tensor dropped = keep.defined() ? weights * keep : weights;
  const Tensor grad_dropped = matmul(grad, v.transpose(-2, -1));
  const Tensor grad_weights = keep.defined() ? grad_dropped * keep : grad_dropped;
  const Tensor grad_scores =
      weights * (grad_weights - (grad_weights * weights).sum({-1}, /*keepdim=*/true));
  TensorList grads(c.needs_input_grad.size());
  if (c.needs_input_grad[0]) grads[0] = matmul(grad_scores, k) * op.scale();
  if (c.needs_input_grad[1]) grads[1] = matmul(grad_scores.transpose(-2, -1), q) * op.scale();
  if (c.needs_input_grad[2]) grads[2] = matmul(dropped.transpose(-2, -1), grad);
  return grads;
}

}  // namespace

TensorList attention_vjp(const ScaledDotProductAttention& op, const BackwardContext& c,
                         const Tensor& q, const Tensor& k, const Tensor& v, const Tensor& mask,
                         const Tensor& out, const Tensor& lse) {
  if (!c.grads[0].defined()) return TensorList(c.needs_input_grad.size());
  if (is_grad_enabled()) return composite_vjp(op, c, q, k, v, mask);
  return fused_vjp(op, c, q, k, v, mask, out, lse);
}

}  // namespace ember::autograd
