// SGD's update (torch.optim.SGD's documented rule) as one fused multi-tensor op, with the
// per-parameter composite beside it as the test reference.
#pragma once

#include <vector>

#include "ember/tensor/tensor.h"

namespace ember {

// One SGD step over every parameter of a group, in place and without recording history: for each
// parameter p with gradient g (negated when maximize),
//   g += weight_decay * p
//   with momentum: b = is_first_step ? g : momentum * b + (1 - dampening) * g;
//                  g = nesterov ? g + momentum * b : b
//   p -= lr * g
// momentum_buffers holds one buffer per parameter (written in place; its contents are ignored on
// the first step), or is empty when momentum is 0. One parallel loop runs over all parameters; one
// whose tensors are not contiguous float32/float64 is updated through such buffers.
void _fused_sgd_(const std::vector<Tensor>& params, const std::vector<Tensor>& grads,
                 const std::vector<Tensor>& momentum_buffers, double lr, double momentum,
                 double dampening, double weight_decay, bool nesterov, bool maximize,
                 bool is_first_step);

namespace detail {

// The same rule for one parameter, written with ordinary ember ops (the fused op's test
// reference). momentum_buffer is undefined when momentum is 0.
void sgd_step_composite(const Tensor& param, const Tensor& grad, const Tensor& momentum_buffer,
                        double lr, double momentum, double dampening, double weight_decay,
                        bool nesterov, bool maximize, bool is_first_step);

}  // namespace detail

}  // namespace ember
