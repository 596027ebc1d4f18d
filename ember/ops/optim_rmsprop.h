// RMSprop's update (torch.optim.RMSprop): steps scaled by a running root mean square of the
// gradients, optionally centered (minus the running mean's square) and with momentum. The fused
// multi-tensor step, and beside it the per-parameter composite that spells out the documented rule
// with ordinary ops (the reference the fused step is tested against).
#pragma once

#include <vector>

#include "ember/tensor/tensor.h"

namespace ember {

// One RMSprop step for every parameter of a group, in place. Each state_steps entry is
// incremented; g is the gradient (negated for maximize) plus weight_decay * param;
// v = alpha * v + (1 - alpha) * g^2; centered: g_avg = lerp(g_avg, g, 1 - alpha) and
// avg = sqrt(v - g_avg^2) + eps, else avg = sqrt(v) + eps; with momentum > 0,
// b = momentum * b + g / avg and param -= lr * b, else param -= lr * g / avg. grad_avgs is empty
// unless centered and momentum_buffer_list empty unless momentum > 0.
void _fused_rmsprop_(const std::vector<Tensor>& params, const std::vector<Tensor>& grads,
                     const std::vector<Tensor>& square_avgs, const std::vector<Tensor>& grad_avgs,
                     const std::vector<Tensor>& momentum_buffer_list,
                     const std::vector<Tensor>& state_steps, double lr, double alpha, double eps,
                     double weight_decay, double momentum, bool centered, bool maximize);

namespace detail {
// The same step for one parameter, written with ordinary ops (grad_avg and momentum_buffer
// undefined when unused).
void rmsprop_step(const Tensor& param, const Tensor& grad, const Tensor& square_avg,
                  const Tensor& grad_avg, const Tensor& momentum_buffer, const Tensor& state_step,
                  double lr, double alpha, double eps, double weight_decay, double momentum,
                  bool centered, bool maximize);
}  // namespace detail

}  // namespace ember
