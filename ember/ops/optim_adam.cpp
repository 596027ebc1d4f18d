// The fused Adam/AdamW op and its composite reference (optim_adam.h).
#include "ember/ops/optim_adam.h"

#include <algorithm>
#include <cmath>

#include "ember/ops/ops.h"
#include "ember/ops/optim_multi_tensor.h"

namespace ember {

namespace {

struct AdamSettings {
  double lr, beta1, beta2, weight_decay, eps;
  bool amsgrad, maximize, decoupled_weight_decay;
};

// The coefficients of one parameter's step t.
struct AdamStepCoefficients {
  double step_size;              // lr / (1 - beta1^t)
  double bias_correction2_sqrt;  // sqrt(1 - beta2^t)
};

AdamStepCoefficients coefficients_at(double step, const AdamSettings& settings) {
  return {settings.lr / (1.0 - std::pow(settings.beta1, step)),
          std::sqrt(1.0 - std::pow(settings.beta2, step))};
}

// One chunk of one parameter; max_sq is null without amsgrad.
template <typename T>
void adam_loop(T* param, const T* grad, T* exp_avg, T* exp_avg_sq, T* max_sq, int64_t count,
               const AdamSettings& settings, const AdamStepCoefficients& at) {
  const T sign = settings.maximize ? T(-1) : T(1);
  const T decay = settings.decoupled_weight_decay ? T(0) : static_cast<T>(settings.weight_decay);
  const T shrink = settings.decoupled_weight_decay
                       ? static_cast<T>(1.0 - settings.lr * settings.weight_decay)
                       : T(1);
  const T one_minus_beta1 = static_cast<T>(1.0 - settings.beta1);
  const T beta2 = static_cast<T>(settings.beta2);
  const T one_minus_beta2 = static_cast<T>(1.0 - settings.beta2);
  const T eps = static_cast<T>(settings.eps);
  const T step_size = static_cast<T>(at.step_size);
  const T inverse_correction2 = static_cast<T>(1.0 / at.bias_correction2_sqrt);
  for (int64_t i = 0; i < count; ++i) {
    const T p = param[i] * shrink;
    const T g = sign * grad[i] + decay * param[i];
    const T m = exp_avg[i] + one_minus_beta1 * (g - exp_avg[i]);
    const T v = beta2 * exp_avg_sq[i] + one_minus_beta2 * g * g;
    exp_avg[i] = m;
    exp_avg_sq[i] = v;
    T second = v;
    if (max_sq != nullptr) {
      second = std::max(max_sq[i], v);
      max_sq[i] = second;
    }
    param[i] = p - step_size * m / (std::sqrt(second) * inverse_correction2 + eps);
  }
}

}  // namespace

void _fused_adam_(const std::vector<Tensor>& params, const std::vector<Tensor>& grads,
                  const std::vector<Tensor>& exp_avgs, const std::vector<Tensor>& exp_avg_sqs,
                  const std::vector<Tensor>& max_exp_avg_sqs,
                  const std::vector<Tensor>& state_steps, double lr, double beta1, double beta2,
                  double weight_decay, double eps, bool amsgrad, bool maximize,
                  bool decoupled_weight_decay) {
  constexpr std::string_view op = "_fused_adam_";
  optim_detail::check_tensor_lists(
      op, params, {{"grads", &grads}, {"exp_avgs", &exp_avgs}, {"exp_avg_sqs", &exp_avg_sqs}});
  if (amsgrad) {
    optim_detail::check_tensor_lists(op, params, {{"max_exp_avg_sqs", &max_exp_avg_sqs}});
  } else {
    EMBER_CHECK_VALUE(max_exp_avg_sqs.empty(), "[", op,
                      "] expected no max_exp_avg_sqs without amsgrad; got ",
                      max_exp_avg_sqs.size());
  }
  optim_detail::check_state_steps(op, params, state_steps);
  const AdamSettings settings{lr,  beta1,   beta2,    weight_decay,
                              eps, amsgrad, maximize, decoupled_weight_decay};
  std::vector<size_t> raw_float, raw_double;
  std::vector<AdamStepCoefficients> coefficients(params.size());
  for (size_t index = 0; index < params.size(); ++index) {
    const double step = optim_detail::increment_step(state_steps[index]);
    if (optim_detail::takes_raw_loop(params, {&grads, &exp_avgs, &exp_avg_sqs, &max_exp_avg_sqs},
                                     index)) {
      coefficients[index] = coefficients_at(step, settings);
      (params[index].dtype() == kFloat ? raw_float : raw_double).push_back(index);
    } else {
      detail::adam_step_composite(params[index], grads[index], exp_avgs[index], exp_avg_sqs[index],
                                  amsgrad ? max_exp_avg_sqs[index] : Tensor(), step, lr, beta1,
                                  beta2, weight_decay, eps, amsgrad, maximize,
                                  decoupled_weight_decay);
    }
  }
  const auto run = [&](const std::vector<size_t>& indices, auto type_tag) {
    using T = decltype(type_tag);
    if (indices.empty()) return;
    optim_detail::for_each_chunk(
        optim_detail::chunks_of(params, indices), optim_detail::total_elements(params, indices), 8,
        [&](const optim_detail::Chunk& chunk) {
          const size_t i = chunk.tensor;
          const int64_t begin = chunk.begin;
          T* max_sq = amsgrad ? max_exp_avg_sqs[i].data_ptr<T>() + begin : nullptr;
          adam_loop<T>(params[i].data_ptr<T>() + begin, grads[i].data_ptr<T>() + begin,
                       exp_avgs[i].data_ptr<T>() + begin, exp_avg_sqs[i].data_ptr<T>() + begin,
                       max_sq, chunk.end - begin, settings, coefficients[i]);
        });
    for (const size_t index : indices) {
      optim_detail::bump_versions({&params, &exp_avgs, &exp_avg_sqs, &max_exp_avg_sqs}, index);
    }
  };
  run(raw_float, float{});
  run(raw_double, double{});
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
