// The fused Adam/AdamW op and its composite reference (optim_adam.h).
#include "ember/ops/optim_adam.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <string_view>
#include <vector>

#include "ember/ops/ops.h"
#include "ember/ops/optim_multi_tensor.h"

namespace ember {

void _fused_adam_(const std::vector<Tensor>& params, const std::vector<Tensor>& grads,
                  const std::vector<Tensor>& exp_avgs, const std::vector<Tensor>& exp_avg_sqs,
                  const std::vector<Tensor>& max_exp_avg_sqs,
                  const std::vector<Tensor>& state_steps, double lr, double beta1, double beta2,
                  double weight_decay, double eps, bool amsgrad, bool maximize,
                  bool decoupled_weight_decay) {
  constexpr std::string_view op = "_fused_adam_";
  optim_detail::check_lists(
      op, params, grads,
      {{"exp_avgs", exp_avgs},
       {"exp_avg_sqs", exp_avg_sqs},
       {"max_exp_avg_sqs", max_exp_avg_sqs, amsgrad ? "" : "without amsgrad"}});
  optim_detail::check_scalars(op, "state_steps", params, state_steps);
  const optim_detail::AdamUpdate update{lr,  beta1,   beta2,    weight_decay,
                                        eps, amsgrad, maximize, decoupled_weight_decay};
  std::vector<optim_detail::AdamUpdate::Coefficients> coefficients;
  for (const double step : optim_detail::increment_steps(state_steps)) {
    coefficients.push_back(update.coefficients_at(step));
  }
  optim_detail::ParamArrays arrays(params, grads, {exp_avgs, exp_avg_sqs, max_exp_avg_sqs});
  // About eight flops and a square root per element: worth a fork for smaller groups than SGD.
  optim_detail::for_each_chunk(op, arrays, update, coefficients, 8);
}

namespace detail {

void adam_step_composite(const Tensor& param, const Tensor& grad, const Tensor& exp_avg,
                         const Tensor& exp_avg_sq, const Tensor& max_exp_avg_sq, double step,
                         double lr, double beta1, double beta2, double weight_decay, double eps,
                         bool amsgrad, bool maximize, bool decoupled_weight_decay) {
  // Detached: the update is not recorded.
  Tensor parameter = param.detach();
  Tensor g = maximize ? grad.detach().neg() : grad.detach();
  if (weight_decay != 0.0) {
    if (decoupled_weight_decay) {
      parameter.mul_(1.0 - lr * weight_decay);
    } else {
      g = g.add(parameter, weight_decay);
    }
  }
  Tensor m = exp_avg.detach(), v = exp_avg_sq.detach();
  m.lerp_(g, 1.0 - beta1);
  v.mul_(beta2).addcmul_(g, g, 1.0 - beta2);
  const double step_size = lr / (1.0 - std::pow(beta1, step));
  const double bias_correction2_sqrt = std::sqrt(1.0 - std::pow(beta2, step));
  Tensor second = v;
  if (amsgrad) {
    Tensor v_max = max_exp_avg_sq.detach();
    v_max.copy_(maximum(v_max, v));
    second = v_max;
  }
  const Tensor denominator = (second.sqrt() / bias_correction2_sqrt).add_(eps);
  parameter.addcdiv_(m, denominator, -step_size);
}

}  // namespace detail

}  // namespace ember
