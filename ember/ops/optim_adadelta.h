// Adadelta's update (torch.optim.Adadelta): steps whose size is the ratio of running root mean
// squares of past updates and of gradients. The fused multi-tensor step, and beside it the
// per-parameter composite that spells out the documented rule with ordinary ops (the reference
// the fused step is tested against).
#pragma once

#include <vector>

#include "ember/tensor/tensor.h"

namespace ember {

// One Adadelta step for every parameter of a group, in place. Each state_steps entry is
// incremented; g is the gradient (negated for maximize) plus weight_decay * param;
// v = rho * v + (1 - rho) * g^2, delta = sqrt(u + eps) / sqrt(v + eps) * g,
// u = rho * u + (1 - rho) * delta^2 and param -= lr * delta.
void _fused_adadelta_(const std::vector<Tensor>& params, const std::vector<Tensor>& grads,
                      const std::vector<Tensor>& square_avgs, const std::vector<Tensor>& acc_deltas,
                      const std::vector<Tensor>& state_steps, double lr, double rho, double eps,
                      double weight_decay, bool maximize);

namespace detail {
// The same step for one parameter, written with ordinary ops.
void adadelta_step(const Tensor& param, const Tensor& grad, const Tensor& square_avg,
                   const Tensor& acc_delta, const Tensor& state_step, double lr, double rho,
                   double eps, double weight_decay, bool maximize);
}  // namespace detail

}  // namespace ember
