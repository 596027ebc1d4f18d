// RMSprop's fused step and its composite reference (optim_rmsprop.h).
#include "ember/ops/optim_rmsprop.h"

#include <cmath>
#include <string_view>

#include "ember/ops/ops.h"
#include "ember/ops/optim_multi_tensor.h"

namespace ember {

void _fused_rmsprop_(const std::vector<Tensor>& params, const std::vector<Tensor>& grads,
                     const std::vector<Tensor>& square_avgs, const std::vector<Tensor>& grad_avgs,
                     const std::vector<Tensor>& momentum_buffer_list,
                     const std::vector<Tensor>& state_steps, double lr, double alpha, double eps,
                     double weight_decay, double momentum, bool centered, bool maximize) {
  constexpr std::string_view op = "_fused_rmsprop_";
  optim_detail::check_lists(
      op, params, grads,
      {{"square_avgs", square_avgs},
       {"grad_avgs", grad_avgs, centered ? "" : "when centered is false"},
       {"momentum_buffer_list", momentum_buffer_list, momentum > 0 ? "" : "when momentum is 0"}});
  optim_detail::check_scalars(op, "state_steps", params, state_steps);
  optim_detail::increment_steps(state_steps);
  optim_detail::ParamArrays arrays(params, grads, {square_avgs, grad_avgs, momentum_buffer_list});
  const optim_detail::RMSpropUpdate update{lr,       alpha,    eps,     weight_decay,
                                           momentum, centered, maximize};
  optim_detail::for_each_chunk(op, arrays, update,
                               std::vector<optim_detail::NoCoefficients>(params.size()));
}

namespace detail {

void rmsprop_step(const Tensor& param, const Tensor& grad, const Tensor& square_avg,
                  const Tensor& grad_avg, const Tensor& momentum_buffer, const Tensor& state_step,
                  double lr, double alpha, double eps, double weight_decay, double momentum,
                  bool centered, bool maximize) {
  Tensor p = param.detach(), v = square_avg.detach(), step = state_step.detach();
  Tensor g = maximize ? grad.detach().neg() : grad.detach();
  step.add_(1);
  if (weight_decay != 0) g = g.add(p, weight_decay);
  v.mul_(alpha).addcmul_(g, g, 1 - alpha);
  Tensor avg;
  if (centered) {
    Tensor mean = grad_avg.detach();
    mean.lerp_(g, 1 - alpha);
    avg = v.addcmul(mean, mean, -1).sqrt();
  } else {
    avg = v.sqrt();
  }
  avg = avg.add(eps);
  if (momentum > 0) {
    Tensor buffer = momentum_buffer.detach();
    buffer.mul_(momentum).addcdiv_(g, avg);
    p.add_(buffer, -lr);
  } else {
    p.addcdiv_(g, avg, -lr);
  }
}

}  // namespace detail

}  // namespace ember
