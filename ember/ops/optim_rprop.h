// Rprop's update (torch.optim.Rprop): each element moves by its own step size against the sign
// of its gradient; the size grows while the sign holds and shrinks when it flips. The fused
// multi-tensor step, and beside it the per-parameter composite that spells out the documented rule
// with ordinary ops (the reference the fused step is tested against).
#pragma once

#include <vector>

#include "ember/tensor/tensor.h"

namespace ember {

// One Rprop step for every parameter of a group, in place. Each state_steps entry is
// incremented; g is the gradient (negated for maximize); where g * prev > 0 the step size is
// multiplied by etaplus, where < 0 by etaminus (and g counts as 0), then clamped into
// [step_size_min, step_size_max]; param -= sign(g) * step_size and prev = g. (The step sizes
// start at lr: the optimizer fills them.)
void _fused_rprop_(const std::vector<Tensor>& params, const std::vector<Tensor>& grads,
                   const std::vector<Tensor>& prevs, const std::vector<Tensor>& step_sizes,
                   const std::vector<Tensor>& state_steps, double step_size_min,
                   double step_size_max, double etaminus, double etaplus, bool maximize);

namespace detail {
// The same step for one parameter, written with ordinary ops.
void rprop_step(const Tensor& param, const Tensor& grad, const Tensor& prev,
                const Tensor& step_size, const Tensor& state_step, double step_size_min,
                double step_size_max, double etaminus, double etaplus, bool maximize);
}  // namespace detail

}  // namespace ember
