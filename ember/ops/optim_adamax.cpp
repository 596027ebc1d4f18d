// Adamax's fused step and its composite reference (optim_adamax.h).
#include "ember/ops/optim_adamax.h"

#include <cmath>
#include <string_view>

#include "ember/ops/ops.h"
#include "ember/ops/optim_multi_tensor.h"

namespace ember {

void _fused_adamax_(const std::vector<Tensor>& params, const std::vector<Tensor>& grads,
                    const std::vector<Tensor>& exp_avgs, const std::vector<Tensor>& exp_infs,
                    const std::vector<Tensor>& state_steps, double lr, double beta1, double beta2,
                    double weight_decay, double eps, bool maximize) {
  constexpr std::string_view op = "_fused_adamax_";
  optim_detail::check_lists(op, params, grads, {{"exp_avgs", exp_avgs}, {"exp_infs", exp_infs}});
  optim_detail::check_scalars(op, "state_steps", params, state_steps);
  const optim_detail::AdamaxUpdate update{beta1, beta2, weight_decay, eps, maximize};
  std::vector<optim_detail::AdamaxUpdate::Coefficients> coefficients;
  for (double step : optim_detail::increment_steps(state_steps)) {
    coefficients.push_back({lr / (1.0 - std::pow(beta1, step))});
  }
  optim_detail::ParamArrays arrays(params, grads, {exp_avgs, exp_infs});
  optim_detail::for_each_chunk(op, arrays, update, coefficients);
}

namespace detail {

void adamax_step(const Tensor& param, const Tensor& grad, const Tensor& exp_avg,
                 const Tensor& exp_inf, const Tensor& state_step, double lr, double beta1,
                 double beta2, double weight_decay, double eps, bool maximize) {
  Tensor p = param.detach(), m = exp_avg.detach(), u = exp_inf.detach(), step = state_step.detach();
  Tensor g = maximize ? grad.detach().neg() : grad.detach();
  if (weight_decay != 0) g = g.add(p, weight_decay);
  step.add_(1);
  m.lerp_(g, 1 - beta1);
  u.copy_(maximum(u.mul(beta2), g.abs().add(eps)));
  const double step_size = lr / (1 - std::pow(beta1, step.item<double>()));
  p.addcdiv_(m, u, -step_size);
}

}  // namespace detail

}  // namespace ember
