// NAdam's update (torch.optim.NAdam): Adam with Nesterov momentum whose coefficient mu_t warms up
// with momentum_decay. The fused multi-tensor step, and beside it the per-parameter composite that
// spells out the documented rule with ordinary ops (the reference the fused step is tested
// against).
#pragma once

#include <vector>

#include "ember/tensor/tensor.h"

namespace ember {

// One NAdam step for every parameter of a group, in place. Each state_steps entry is incremented
// first; mu_t = beta1 * (1 - 0.5 * 0.96^(step * momentum_decay)) multiplies the parameter's
// mu_products entry (a float32 scalar, 1 at the start); g is the gradient (negated for maximize)
// plus weight_decay * param, or with decoupled_weight_decay the parameter is first scaled by
// 1 - lr * weight_decay instead; m = lerp(m, g, 1 - beta1), v = beta2 * v + (1 - beta2) * g^2,
// denom = sqrt(v / (1 - beta2^step)) + eps and
// param -= lr * (1 - mu_t) / (1 - prod mu) * g / denom + lr * mu_{t+1} / (1 - prod mu * mu_{t+1})
// * m / denom.
void _fused_nadam_(const std::vector<Tensor>& params, const std::vector<Tensor>& grads,
                   const std::vector<Tensor>& exp_avgs, const std::vector<Tensor>& exp_avg_sqs,
                   const std::vector<Tensor>& mu_products, const std::vector<Tensor>& state_steps,
                   double lr, double beta1, double beta2, double weight_decay,
                   double momentum_decay, double eps, bool decoupled_weight_decay, bool maximize);

namespace detail {
// The same step for one parameter, written with ordinary ops.
void nadam_step(const Tensor& param, const Tensor& grad, const Tensor& exp_avg,
                const Tensor& exp_avg_sq, const Tensor& mu_product, const Tensor& state_step,
                double lr, double beta1, double beta2, double weight_decay, double momentum_decay,
                double eps, bool decoupled_weight_decay, bool maximize);
}  // namespace detail

}  // namespace ember
