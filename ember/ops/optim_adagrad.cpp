// Adagrad's fused step and its composite reference (optim_adagrad.h).
#include "ember/ops/optim_adagrad.h"

#include <cmath>
#include <string_view>

#include "ember/ops/ops.h"
#include "ember/ops/optim_multi_tensor.h"

namespace ember {

void _fused_adagrad_(const std::vector<Tensor>& params, const std::vector<Tensor>& grads,
                     const std::vector<Tensor>& state_sums, const std::vector<Tensor>& state_steps,
                     double lr, double lr_decay, double weight_decay, double eps, bool maximize) {
  constexpr std::string_view op = "_fused_adagrad_";
  optim_detail::check_lists(op, params, grads, {{"state_sums", state_sums}});
  optim_detail::check_scalars(op, "state_steps", params, state_steps);
  const optim_detail::AdagradUpdate update{weight_decay, eps, maximize};
  std::vector<optim_detail::AdagradUpdate::Coefficients> coefficients;
  for (double step : optim_detail::increment_steps(state_steps)) {
    coefficients.push_back({lr / (1 + (step - 1) * lr_decay)});
  }
  optim_detail::ParamArrays arrays(params, grads, {state_sums});
  optim_detail::for_each_chunk(op, arrays, update, coefficients);
}

namespace detail {

void adagrad_step(const Tensor& param, const Tensor& grad, const Tensor& state_sum,
                  const Tensor& state_step, double lr, double lr_decay, double weight_decay,
                  double eps, bool maximize) {
  Tensor p = param.detach(), sum = state_sum.detach(), step = state_step.detach();
  Tensor g = maximize ? grad.detach().neg() : grad.detach();
  step.add_(1);
  if (weight_decay != 0) g = g.add(p, weight_decay);
  const double step_size = lr / (1 + (step.item<double>() - 1) * lr_decay);
  sum.addcmul_(g, g, 1);
  p.addcdiv_(g, sum.sqrt().add(eps), -step_size);
}

}  // namespace detail

}  // namespace ember
