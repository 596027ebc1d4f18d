// ASGD's fused step and its composite reference (optim_asgd.h).
#include "ember/ops/optim_asgd.h"

#include <algorithm>
#include <cmath>
#include <string_view>

#include "ember/ops/ops.h"
#include "ember/ops/optim_multi_tensor.h"

namespace ember {

namespace {

// ASGD's eta and mu after `step` steps.
optim_detail::ASGDUpdate::Coefficients next_coefficients(double lambd, double lr, double t0,
                                                         double alpha, double step) {
  return {lr / std::pow(1 + lambd * lr * step, alpha), 1 / std::max(1.0, step - t0)};
}

}  // namespace

void _fused_asgd_(const std::vector<Tensor>& params, const std::vector<Tensor>& grads,
                  const std::vector<Tensor>& axs, const std::vector<Tensor>& mus,
                  const std::vector<Tensor>& etas, const std::vector<Tensor>& state_steps,
                  double lambd, double lr, double t0, double alpha, double weight_decay,
                  bool maximize) {
  constexpr std::string_view op = "_fused_asgd_";
  optim_detail::check_lists(op, params, grads, {{"axs", axs}});
  optim_detail::check_scalars(op, "state_steps", params, state_steps);
  optim_detail::check_scalars(op, "mus", params, mus);
  optim_detail::check_scalars(op, "etas", params, etas);
  const optim_detail::ASGDUpdate update{lambd, weight_decay, maximize};
  std::vector<optim_detail::ASGDUpdate::Coefficients> coefficients;
  for (size_t index = 0; index < params.size(); ++index) {
    coefficients.push_back({etas[index].item<double>(), mus[index].item<double>()});
  }
  const std::vector<double> steps = optim_detail::increment_steps(state_steps);
  optim_detail::ParamArrays arrays(params, grads, {axs});
  optim_detail::for_each_chunk(op, arrays, update, coefficients);
  for (size_t index = 0; index < steps.size(); ++index) {
    const optim_detail::ASGDUpdate::Coefficients next =
        next_coefficients(lambd, lr, t0, alpha, steps[index]);
    optim_detail::store_scalar(etas[index], next.eta);
    optim_detail::store_scalar(mus[index], next.mu);
  }
}

namespace detail {

void asgd_step(const Tensor& param, const Tensor& grad, const Tensor& ax, const Tensor& mu,
               const Tensor& eta, const Tensor& state_step, double lambd, double lr, double t0,
               double alpha, double weight_decay, bool maximize) {
  Tensor p = param.detach(), average = ax.detach(), mu_value = mu.detach();
  Tensor eta_value = eta.detach(), step_count = state_step.detach();
  Tensor g = maximize ? grad.detach().neg() : grad.detach();
  step_count.add_(1);
  if (weight_decay != 0) g = g.add(p, weight_decay);
  const double current_eta = eta_value.item<double>();
  p.mul_(1 - lambd * current_eta);
  p.add_(g, -current_eta);
  if (mu_value.item<double>() != 1) {
    average.add_(p.sub(average).mul(mu_value.item<double>()));
  } else {
    average.copy_(p);
  }
  const double step = step_count.item<double>();
  eta_value.fill_(lr / std::pow(1 + lambd * lr * step, alpha));
  mu_value.fill_(1 / std::max(1.0, step - t0));
}

}  // namespace detail

}  // namespace ember
