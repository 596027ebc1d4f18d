// Adam's and AdamW's update (torch.optim.Adam/AdamW's documented rule) as one fused multi-tensor
// op, with the per-parameter composite beside it as the test reference.
#pragma once

#include <vector>

#include "ember/tensor/tensor.h"

namespace ember {

// One Adam step over every parameter of a group, in place and without recording history. For
// each parameter p with gradient g (negated when maximize) and step counter t (state_steps: one
// one-element tensor per parameter, incremented here first):
//   weight decay: p *= 1 - lr * weight_decay   (decoupled_weight_decay: AdamW)
//                 g += weight_decay * p        (otherwise)
//   m = beta1 * m + (1 - beta1) * g;  v = beta2 * v + (1 - beta2) * g^2
//   amsgrad: v_max = max(v_max, v), used for v below
//   p -= lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
// max_exp_avg_sqs holds one tensor per parameter with amsgrad and is empty without. One parallel
// loop runs over all parameters; one whose tensors are not contiguous float32/float64 is updated
// through such buffers.
void _fused_adam_(const std::vector<Tensor>& params, const std::vector<Tensor>& grads,
                  const std::vector<Tensor>& exp_avgs, const std::vector<Tensor>& exp_avg_sqs,
                  const std::vector<Tensor>& max_exp_avg_sqs,
                  const std::vector<Tensor>& state_steps, double lr, double beta1, double beta2,
                  double weight_decay, double eps, bool amsgrad, bool maximize,
                  bool decoupled_weight_decay);

namespace detail {

// The same rule for one parameter at step `step` (already incremented), written with ordinary
// ember ops (the fused op's test reference). max_exp_avg_sq is undefined without amsgrad.
void adam_step_composite(const Tensor& param, const Tensor& grad, const Tensor& exp_avg,
                         const Tensor& exp_avg_sq, const Tensor& max_exp_avg_sq, double step,
                         double lr, double beta1, double beta2, double weight_decay, double eps,
                         bool amsgrad, bool maximize, bool decoupled_weight_decay);

}  // namespace detail

}  // namespace ember
