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

namespace {

// The coefficients of one parameter's step t.
struct AdamStepCoefficients {
  double step_size;              // lr / (1 - beta1^t)
  double bias_correction2_sqrt;  // sqrt(1 - beta2^t)
};

struct AdamUpdate {
  std::vector<AdamStepCoefficients> coefficients;  // per parameter
  double lr, beta1, beta2, weight_decay, eps;
  bool maximize, decoupled_weight_decay;

  // arrays: param, grad, exp_avg, exp_avg_sq, max_exp_avg_sq (null without amsgrad).
  template <typename T>
  void apply(size_t index, const std::array<T*, optim_detail::kMaxArrays>& arrays, int64_t begin,
             int64_t end) const {
    T* param = arrays[0];
    const T* grad = arrays[1];
    T* exp_avg = arrays[2];
    T* exp_avg_sq = arrays[3];
    T* max_sq = arrays[4];
    const T sign = maximize ? T(-1) : T(1);
    const T decay = decoupled_weight_decay ? T(0) : T(weight_decay);
    const T shrink = decoupled_weight_decay ? T(1.0 - lr * weight_decay) : T(1);
    const T one_minus_beta1 = T(1.0 - beta1), typed_beta2 = T(beta2);
    const T one_minus_beta2 = T(1.0 - beta2), typed_eps = T(eps);
    const T step_size = T(coefficients[index].step_size);
    const T inverse_correction2 = T(1.0 / coefficients[index].bias_correction2_sqrt);
    for (int64_t i = begin; i < end; ++i) {
      const T p = param[i] * shrink;
      const T g = sign * grad[i] + decay * param[i];
      const T m = exp_avg[i] + one_minus_beta1 * (g - exp_avg[i]);
      const T v = typed_beta2 * exp_avg_sq[i] + one_minus_beta2 * g * g;
      exp_avg[i] = m;
      exp_avg_sq[i] = v;
      T second = v;
      if (max_sq != nullptr) {
        second = std::max(max_sq[i], v);
        max_sq[i] = second;
      }
      param[i] = p - step_size * m / (std::sqrt(second) * inverse_correction2 + typed_eps);
    }
  }
};

}  // namespace

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
  AdamUpdate update{{}, lr, beta1, beta2, weight_decay, eps, maximize, decoupled_weight_decay};
  for (const double step : optim_detail::increment_steps(state_steps)) {
    update.coefficients.push_back(
        {lr / (1.0 - std::pow(beta1, step)), std::sqrt(1.0 - std::pow(beta2, step))});
  }
  optim_detail::ParamArrays arrays(params, grads, {exp_avgs, exp_avg_sqs, max_exp_avg_sqs});
  // About eight flops and a square root per element: worth a fork for smaller groups than SGD.
  optim_detail::for_each_chunk(arrays, update, 8);
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
