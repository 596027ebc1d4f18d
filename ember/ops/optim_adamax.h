// Adamax's update (torch.optim.Adamax): Adam with the infinity norm in place of the second
// moment. The fused multi-tensor step, and beside it the per-parameter composite that spells out
// the documented rule with ordinary ops (the reference the fused step is tested against).
#pragma once

#include <vector>

#include "ember/tensor/tensor.h"

namespace ember {

// One Adamax step for every parameter of a group, in place: each state_steps entry (a float32
// scalar) is incremented first, then m = lerp(m, g, 1 - beta1), u = max(beta2 * u, |g| + eps),
// param -= lr / (1 - beta1^step) * m / u, with g the gradient (negated for maximize) plus
// weight_decay * param.
void _fused_adamax_(const std::vector<Tensor>& params, const std::vector<Tensor>& grads,
                    const std::vector<Tensor>& exp_avgs, const std::vector<Tensor>& exp_infs,
                    const std::vector<Tensor>& state_steps, double lr, double beta1, double beta2,
                    double weight_decay, double eps, bool maximize);

namespace detail {
// The same step for one parameter, written with ordinary ops.
void adamax_step(const Tensor& param, const Tensor& grad, const Tensor& exp_avg,
                 const Tensor& exp_inf, const Tensor& state_step, double lr, double beta1,
                 double beta2, double weight_decay, double eps, bool maximize);
}  // namespace detail

}  // namespace ember
