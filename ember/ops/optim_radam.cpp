// RAdam's fused step and its composite reference (optim_radam.h).
#include "ember/ops/optim_radam.h"

#include <cmath>
#include <string_view>

#include "ember/ops/ops.h"
#include "ember/ops/optim_multi_tensor.h"

namespace ember {

namespace {

struct RAdamCoefficients {
  double bias_correction1;
  double sqrt_bias_correction2;
  double rectification;  // r_t, or 0 while rho_t <= 5 (no adaptive step)
};

// The bias corrections and r_t of step `step` (0 for r_t while rho_t <= 5).
RAdamCoefficients radam_coefficients(double beta1, double beta2, double step) {
  const double bias_correction1 = 1 - std::pow(beta1, step);
  const double bias_correction2 = 1 - std::pow(beta2, step);
  const double rho_inf = 2 / (1 - beta2) - 1;
  const double rho_t = rho_inf - 2 * step * std::pow(beta2, step) / bias_correction2;
  const double rectification =
      rho_t > 5
          ? std::sqrt((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t))
          : 0.0;
  return {bias_correction1, std::sqrt(bias_correction2), rectification};
}

struct RAdamUpdate {
  std::vector<RAdamCoefficients> coefficients;
  double lr, beta1, beta2, weight_decay, eps;
  bool decoupled_weight_decay, maximize;

  template <typename T>
  void apply(size_t index, const std::array<T*, optim_detail::kMaxArrays>& arrays, int64_t begin,
             int64_t end) const {
    T* param = arrays[0];
    const T* grad = arrays[1];
    T* exp_avg = arrays[2];
    T* exp_avg_sq = arrays[3];
    const RAdamCoefficients& c = coefficients[index];
    const T one_minus_beta1 = T(1) - T(beta1), typed_beta2 = T(beta2);
    const T one_minus_beta2 = T(1) - T(beta2), typed_eps = T(eps), typed_lr = T(lr);
    const T bias_correction1 = T(c.bias_correction1);
    const T sqrt_bias_correction2 = T(c.sqrt_bias_correction2);
    const T rectification = T(c.rectification);
    const bool adaptive = c.rectification > 0;
    const T coupled_decay = decoupled_weight_decay ? T(0) : T(weight_decay);
    const T decoupled_scale = T(1.0 - lr * weight_decay);
    const bool decouple = decoupled_weight_decay && weight_decay != 0;
    for (int64_t i = begin; i < end; ++i) {
      if (decouple) param[i] = param[i] * decoupled_scale;
      const T g = optim_detail::effective_grad(grad[i], param[i], maximize, coupled_decay);
      exp_avg[i] = optim_detail::lerp_value(exp_avg[i], g, one_minus_beta1);
      exp_avg_sq[i] = exp_avg_sq[i] * typed_beta2 + one_minus_beta2 * g * g;
      const T corrected = exp_avg[i] / bias_correction1;
      if (adaptive) {
        const T adaptive_lr = sqrt_bias_correction2 / (std::sqrt(exp_avg_sq[i]) + typed_eps);
        param[i] = param[i] - corrected * typed_lr * adaptive_lr * rectification;
      } else {
        param[i] = param[i] - corrected * typed_lr;
      }
    }
  }
};

}  // namespace

void _fused_radam_(const std::vector<Tensor>& params, const std::vector<Tensor>& grads,
                   const std::vector<Tensor>& exp_avgs, const std::vector<Tensor>& exp_avg_sqs,
                   const std::vector<Tensor>& state_steps, double lr, double beta1, double beta2,
                   double weight_decay, double eps, bool decoupled_weight_decay, bool maximize) {
  constexpr std::string_view op = "_fused_radam_";
  optim_detail::check_lists(op, params, grads,
                            {{"exp_avgs", exp_avgs}, {"exp_avg_sqs", exp_avg_sqs}});
  optim_detail::check_scalars(op, "state_steps", params, state_steps);
  RAdamUpdate update{{}, lr, beta1, beta2, weight_decay, eps, decoupled_weight_decay, maximize};
  for (double step : optim_detail::increment_steps(state_steps)) {
    update.coefficients.push_back(radam_coefficients(beta1, beta2, step));
  }
  optim_detail::ParamArrays arrays(params, grads, {exp_avgs, exp_avg_sqs});
  optim_detail::for_each_chunk(arrays, update);
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
