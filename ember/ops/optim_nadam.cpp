// NAdam's fused step and its composite reference (optim_nadam.h).
#include "ember/ops/optim_nadam.h"

#include <cmath>
#include <string_view>

#include "ember/ops/ops.h"
#include "ember/ops/optim_multi_tensor.h"

namespace ember {

namespace {

// mu_t of NAdam's momentum schedule.
double momentum_coefficient(double beta1, double momentum_decay, double step) {
  return beta1 * (1.0 - 0.5 * std::pow(0.96, step * momentum_decay));
}

}  // namespace

void _fused_nadam_(const std::vector<Tensor>& params, const std::vector<Tensor>& grads,
                   const std::vector<Tensor>& exp_avgs, const std::vector<Tensor>& exp_avg_sqs,
                   const std::vector<Tensor>& mu_products, const std::vector<Tensor>& state_steps,
                   double lr, double beta1, double beta2, double weight_decay,
                   double momentum_decay, double eps, bool decoupled_weight_decay, bool maximize) {
  constexpr std::string_view op = "_fused_nadam_";
  optim_detail::check_lists(op, params, grads,
                            {{"exp_avgs", exp_avgs}, {"exp_avg_sqs", exp_avg_sqs}});
  optim_detail::check_scalars(op, "state_steps", params, state_steps);
  optim_detail::check_scalars(op, "mu_products", params, mu_products);
  const optim_detail::NAdamUpdate update{
      lr, beta1, beta2, weight_decay, eps, decoupled_weight_decay, maximize};
  std::vector<optim_detail::NAdamUpdate::Coefficients> coefficients;
  const std::vector<double> steps = optim_detail::increment_steps(state_steps);
  for (size_t index = 0; index < steps.size(); ++index) {
    const double mu = momentum_coefficient(beta1, momentum_decay, steps[index]);
    const double mu_next = momentum_coefficient(beta1, momentum_decay, steps[index] + 1);
    // In the state's own dtype, as PyTorch's `mu_product *= mu`.
    Tensor product = mu_products[index].detach();
    const double mu_product = product.mul_(mu).item<double>();
    coefficients.push_back({1.0 - std::pow(beta2, steps[index]),
                            -lr * (1.0 - mu) / (1.0 - mu_product),
                            -lr * mu_next / (1.0 - mu_product * mu_next)});
  }
  optim_detail::ParamArrays arrays(params, grads, {exp_avgs, exp_avg_sqs});
  optim_detail::for_each_chunk(op, arrays, update, coefficients);
}

namespace detail {

void nadam_step(const Tensor& param, const Tensor& grad, const Tensor& exp_avg,
                const Tensor& exp_avg_sq, const Tensor& mu_product, const Tensor& state_step,
                double lr, double beta1, double beta2, double weight_decay, double momentum_decay,
                double eps, bool decoupled_weight_decay, bool maximize) {
  Tensor p = param.detach(), m = exp_avg.detach(), v = exp_avg_sq.detach();
  Tensor product = mu_product.detach(), step_count = state_step.detach();
  Tensor g = maximize ? grad.detach().neg() : grad.detach();
  step_count.add_(1);
  const double step = step_count.item<double>();
  const double bias_correction2 = 1 - std::pow(beta2, step);
  if (weight_decay != 0) {
    if (decoupled_weight_decay) {
      p.mul_(1 - lr * weight_decay);
    } else {
      g = g.add(p, weight_decay);
    }
  }
  const double mu = beta1 * (1 - 0.5 * std::pow(0.96, step * momentum_decay));
  const double mu_next = beta1 * (1 - 0.5 * std::pow(0.96, (step + 1) * momentum_decay));
  product.mul_(mu);
  m.lerp_(g, 1 - beta1);
  v.mul_(beta2).addcmul_(g, g, 1 - beta2);
  const Tensor denom = v.div(bias_correction2).sqrt().add(eps);
  const double product_value = product.item<double>();
  p.addcdiv_(g, denom, -lr * (1 - mu) / (1 - product_value));
  p.addcdiv_(m, denom, -lr * mu_next / (1 - product_value * mu_next));
}

}  // namespace detail

}  // namespace ember
