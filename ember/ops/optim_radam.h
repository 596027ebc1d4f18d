// RAdam's update (torch.optim.RAdam): Adam whose adaptive step is rectified by the variance of
// the second-moment estimate, and plain momentum SGD while that variance is intractable. The fused
// multi-tensor step, and beside it the per-parameter composite that spells out the documented rule
// with ordinary ops (the reference the fused step is tested against).
#pragma once

#include <vector>

#include "ember/tensor/tensor.h"

namespace ember {

// One RAdam step for every parameter of a group, in place. Each state_steps entry is incremented
// first; g is the gradient (negated for maximize) plus weight_decay * param, or with
// decoupled_weight_decay the parameter is first scaled by 1 - lr * weight_decay instead;
// m = lerp(m, g, 1 - beta1), v = beta2 * v + (1 - beta2) * g^2; with rho_inf = 2 / (1 - beta2) - 1
// and rho_t = rho_inf - 2 t beta2^t / (1 - beta2^t), param -= lr * m / (1 - beta1^t) times, when
// rho_t > 5, r_t * sqrt(1 - beta2^t) / (sqrt(v) + eps) with
// r_t = sqrt((rho_t - 4)(rho_t - 2) rho_inf / ((rho_inf - 4)(rho_inf - 2) rho_t)).
void _fused_radam_(const std::vector<Tensor>& params, const std::vector<Tensor>& grads,
                   const std::vector<Tensor>& exp_avgs, const std::vector<Tensor>& exp_avg_sqs,
                   const std::vector<Tensor>& state_steps, double lr, double beta1, double beta2,
                   double weight_decay, double eps, bool decoupled_weight_decay, bool maximize);

namespace detail {
// The same step for one parameter, written with ordinary ops.
void radam_step(const Tensor& param, const Tensor& grad, const Tensor& exp_avg,
                const Tensor& exp_avg_sq, const Tensor& state_step, double lr, double beta1,
                double beta2, double weight_decay, double eps, bool decoupled_weight_decay,
                bool maximize);
}  // namespace detail

}  // namespace ember
