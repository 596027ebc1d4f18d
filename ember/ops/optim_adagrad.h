// Adagrad's update (torch.optim.Adagrad): steps scaled by the root of the summed squared
// gradients, with a learning rate that decays with the step count. The fused multi-tensor step,
// and beside it the per-parameter composite that spells out the documented rule with ordinary ops
// (the reference the fused step is tested against).
#pragma once

#include <vector>

#include "ember/tensor/tensor.h"

namespace ember {

// One Adagrad step for every parameter of a group, in place. Each state_steps entry is
// incremented first; g is the gradient (negated for maximize) plus weight_decay * param;
// sum += g^2 and param -= lr / (1 + (step - 1) * lr_decay) * g / (sqrt(sum) + eps). (The sums
// start at initial_accumulator_value: the optimizer fills them.)
void _fused_adagrad_(const std::vector<Tensor>& params, const std::vector<Tensor>& grads,
                     const std::vector<Tensor>& state_sums, const std::vector<Tensor>& state_steps,
                     double lr, double lr_decay, double weight_decay, double eps, bool maximize);

namespace detail {
// The same step for one parameter, written with ordinary ops.
void adagrad_step(const Tensor& param, const Tensor& grad, const Tensor& state_sum,
                  const Tensor& state_step, double lr, double lr_decay, double weight_decay,
                  double eps, bool maximize);
}  // namespace detail

}  // namespace ember
