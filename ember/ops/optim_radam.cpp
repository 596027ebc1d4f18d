// RAdam's fused step and its composite reference (optim_radam.h).
#include "ember/ops/optim_radam.h"

#include <cmath>
#include <string_view>

#include "ember/ops/ops.h"
#include "ember/ops/optim_multi_tensor.h"

namespace ember {

void _fused_radam_(const std::vector<Tensor>& params, const std::vector<Tensor>& grads,
                   const std::vector<Tensor>& exp_avgs, const std::vector<Tensor>& exp_avg_sqs,
                   const std::vector<Tensor>& state_steps, double lr, double beta1, double beta2,
                   double weight_decay, double eps, bool decoupled_weight_decay, bool maximize) {
  constexpr std::string_view op = "_fused_radam_";
  optim_detail::check_lists(op, params, grads,
                            {{"exp_avgs", exp_avgs}, {"exp_avg_sqs", exp_avg_sqs}});
  optim_detail::check_scalars(op, "state_steps", params, state_steps);
  const optim_detail::RAdamUpdate update{
      lr, beta1, beta2, weight_decay, eps, decoupled_weight_decay, maximize};
  std::vector<optim_detail::RAdamUpdate::Coefficients> coefficients;
  for (double step : optim_detail::increment_steps(state_steps)) {
    coefficients.push_back(update.coefficients_at(step));
  }
  optim_detail::ParamArrays arrays(params, grads, {exp_avgs, exp_avg_sqs});
  optim_detail::for_each_chunk(op, arrays, update, coefficients);
}

namespace detail {

void radam_step(const Tensor& param, const Tensor& grad, const Tensor& exp_avg,
                const Tensor& exp_avg_sq, const Tensor& state_step, double lr, double beta1,
                double beta2, double weight_decay, double eps, bool decoupled_weight_decay,
                bool maximize) {
  Tensor p = param.detach(), m = exp_avg.detach(), v = exp_avg_sq.detach();
  Tensor step_count = state_step.detach();
  Tensor g = maximize ? grad.detach().neg() : grad.detach();
  step_count.add_(1);
  const double step = step_count.item<double>();
  if (weight_decay != 0) {
    if (decoupled_weight_decay) {
      p.mul_(1 - lr * weight_decay);
    } else {
      g = g.add(p, weight_decay);
    }
  }
  m.lerp_(g, 1 - beta1);
  v.mul_(beta2).addcmul_(g, g, 1 - beta2);
  const double bias_correction1 = 1 - std::pow(beta1, step);
  const double bias_correction2 = 1 - std::pow(beta2, step);
  const Tensor corrected = m.div(bias_correction1);
  const double rho_inf = 2 / (1 - beta2) - 1;
  const double rho_t = rho_inf - 2 * step * std::pow(beta2, step) / bias_correction2;
  if (rho_t > 5) {
    const double rect =
        std::sqrt((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t));
    const Tensor adaptive_lr = v.sqrt().add(eps).reciprocal().mul(std::sqrt(bias_correction2));
    p.sub_(corrected.mul(lr).mul(adaptive_lr).mul(rect), 1);
  } else {
    p.sub_(corrected.mul(lr), 1);
  }
}

}  // namespace detail

}  // namespace ember
