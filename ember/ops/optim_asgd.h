// ASGD's update (torch.optim.ASGD): SGD with a decaying step eta and a running average ax of the
// iterates that starts after t0 steps. The fused multi-tensor step, and beside it the
// per-parameter composite that spells out the documented rule with ordinary ops (the reference
// the fused step is tested against).
#pragma once

#include <vector>

#include "ember/tensor/tensor.h"

namespace ember {

// One ASGD step for every parameter of a group, in place. Each state_steps entry is incremented;
// g is the gradient (negated for maximize) plus weight_decay * param; with the parameter's eta
// and mu (float32 scalars, lr and 1 at the start), param = param * (1 - lambd * eta) - eta * g,
// ax += mu * (param - ax) (ax = param while mu is 1); then eta = lr / (1 + lambd * lr * step)^alpha
// and mu = 1 / max(1, step - t0) are stored for the next step.
void _fused_asgd_(const std::vector<Tensor>& params, const std::vector<Tensor>& grads,
                  const std::vector<Tensor>& axs, const std::vector<Tensor>& mus,
                  const std::vector<Tensor>& etas, const std::vector<Tensor>& state_steps,
                  double lambd, double lr, double t0, double alpha, double weight_decay,
                  bool maximize);

namespace detail {
// The same step for one parameter, written with ordinary ops.
void asgd_step(const Tensor& param, const Tensor& grad, const Tensor& ax, const Tensor& mu,
               const Tensor& eta, const Tensor& state_step, double lambd, double lr, double t0,
               double alpha, double weight_decay, bool maximize);
}  // namespace detail

}  // namespace ember
