// The per-element math of the fused optimizer ops (ember/ops/optim_<algo>.cpp), shared by their
// CPU loop (optim_multi_tensor.h) and their CUDA kernel (backend/cuda/optim_kernels.cuh): the math
// lives once (Note [CUDA optimizer steps] in docs/architecture.md). Each algorithm is an `Update`
// of its hyperparameters, plain data that travels in a kernel's arguments, with
//   Coefficients            what a parameter's step adds (its bias corrections, say), per tensor
//   Element<T>(update, c)   the update's constants typed for compute type T (float or double),
//                           built once per chunk, whose operator()(arrays, i) updates element i
//   kAlgorithm              its entry in the CUDA registry (ops/cuda_optim_kernels.h)
// Arrays are param, grad, then the state lists in the order the op passes them (null when empty).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>

#include "ember/base/host_device.h"
#include "ember/ops/cuda_optim_kernels.h"

namespace ember::optim_detail {

// Up to this many arrays per parameter: the parameter, its gradient and its states.
inline constexpr size_t kMaxArrays = 6;

// One parameter's arrays in compute type T (contiguous, element i at offset i).
template <typename T>
struct Arrays {
  T* data[kMaxArrays];
};

// torch.lerp's rounding: self + weight * (end - self), from the far end for weights of 0.5 and up.
template <typename T>
EMBER_INLINE T lerp_value(T self, T end, T weight) {
  return weight < T(0.5) ? self + weight * (end - self) : end - (end - self) * (T(1) - weight);
}

// The gradient an update uses: negated for maximize, plus weight_decay * param (L2 penalty).
template <typename T>
EMBER_INLINE T effective_grad(T grad, T param, bool maximize, T weight_decay) {
  const T sign_corrected = maximize ? -grad : grad;
  return weight_decay != T(0) ? sign_corrected + weight_decay * param : sign_corrected;
}

// For the updates whose steps need nothing per parameter.
struct NoCoefficients {};

// arrays: param, grad, momentum buffer (null without momentum).
struct SgdUpdate {
  static constexpr OptimAlgorithm kAlgorithm = OptimAlgorithm::Sgd;
  using Coefficients = NoCoefficients;
  double lr, momentum, dampening, weight_decay;
  bool nesterov, maximize, is_first_step;

  template <typename T>
  struct Element {
    T lr, momentum, keep, weight_decay, sign;
    bool nesterov, is_first_step;

    EMBER_HOST_DEVICE Element(const SgdUpdate& u, const Coefficients&)
        : lr(T(u.lr)),
          momentum(T(u.momentum)),
          keep(T(1.0 - u.dampening)),
          weight_decay(T(u.weight_decay)),
          sign(u.maximize ? T(-1) : T(1)),
          nesterov(u.nesterov),
          is_first_step(u.is_first_step) {}

    EMBER_INLINE void operator()(const Arrays<T>& arrays, int64_t i) const {
      T* param = arrays.data[0];
      const T* grad = arrays.data[1];
      T* buffer = arrays.data[2];
      if (buffer == nullptr) {
        param[i] -= lr * (sign * grad[i] + weight_decay * param[i]);
        return;
      }
      const T step = sign * grad[i] + weight_decay * param[i];
      const T average = is_first_step ? step : momentum * buffer[i] + keep * step;
      buffer[i] = average;
      param[i] -= lr * (nesterov ? step + momentum * average : average);
    }
  };
};

// arrays: param, grad, exp_avg, exp_avg_sq, max_exp_avg_sq (null without amsgrad).
struct AdamUpdate {
  static constexpr OptimAlgorithm kAlgorithm = OptimAlgorithm::Adam;
  struct Coefficients {
    double step_size;              // lr / (1 - beta1^t)
    double bias_correction2_sqrt;  // sqrt(1 - beta2^t)
  };
  double lr, beta1, beta2, weight_decay, eps;
  bool amsgrad, maximize, decoupled_weight_decay;

  Coefficients coefficients_at(double step) const {
    return {lr / (1.0 - std::pow(beta1, step)), std::sqrt(1.0 - std::pow(beta2, step))};
  }

  template <typename T>
  struct Element {
    T sign, decay, shrink, one_minus_beta1, beta2, one_minus_beta2, eps, step_size,
        inverse_correction2;
    bool amsgrad;

    EMBER_HOST_DEVICE Element(const AdamUpdate& u, const Coefficients& c)
        : sign(u.maximize ? T(-1) : T(1)),
          decay(u.decoupled_weight_decay ? T(0) : T(u.weight_decay)),
          shrink(u.decoupled_weight_decay ? T(1.0 - u.lr * u.weight_decay) : T(1)),
          one_minus_beta1(T(1.0 - u.beta1)),
          beta2(T(u.beta2)),
          one_minus_beta2(T(1.0 - u.beta2)),
          eps(T(u.eps)),
          step_size(T(c.step_size)),
          inverse_correction2(T(1.0 / c.bias_correction2_sqrt)),
          amsgrad(u.amsgrad) {}

    EMBER_INLINE void operator()(const Arrays<T>& arrays, int64_t i) const {
      T* param = arrays.data[0];
      const T* grad = arrays.data[1];
      T* exp_avg = arrays.data[2];
      T* exp_avg_sq = arrays.data[3];
      T* max_sq = arrays.data[4];
      const T p = param[i] * shrink;
      const T g = sign * grad[i] + decay * param[i];
      const T m = exp_avg[i] + one_minus_beta1 * (g - exp_avg[i]);
      const T v = beta2 * exp_avg_sq[i] + one_minus_beta2 * g * g;
      exp_avg[i] = m;
      exp_avg_sq[i] = v;
      T second = v;
      if (amsgrad) {
        second = std::max(max_sq[i], v);
        max_sq[i] = second;
      }
      param[i] = p - step_size * m / (std::sqrt(second) * inverse_correction2 + eps);
    }
  };
};

// arrays: param, grad, state_sum.
struct AdagradUpdate {
  static constexpr OptimAlgorithm kAlgorithm = OptimAlgorithm::Adagrad;
  struct Coefficients {
    double step_size;  // lr / (1 + (step - 1) * lr_decay)
  };
  double weight_decay, eps;
  bool maximize;

  template <typename T>
  struct Element {
    T step_size, eps, weight_decay;
    bool maximize;

    EMBER_HOST_DEVICE Element(const AdagradUpdate& u, const Coefficients& c)
        : step_size(T(c.step_size)),
          eps(T(u.eps)),
          weight_decay(T(u.weight_decay)),
          maximize(u.maximize) {}

    EMBER_INLINE void operator()(const Arrays<T>& arrays, int64_t i) const {
      T* param = arrays.data[0];
      const T* grad = arrays.data[1];
      T* state_sum = arrays.data[2];
      const T g = effective_grad(grad[i], param[i], maximize, weight_decay);
      state_sum[i] = state_sum[i] + g * g;
      param[i] = param[i] + -step_size * (g / (std::sqrt(state_sum[i]) + eps));
    }
  };
};

// arrays: param, grad, square_avg, acc_delta.
struct AdadeltaUpdate {
  static constexpr OptimAlgorithm kAlgorithm = OptimAlgorithm::Adadelta;
  using Coefficients = NoCoefficients;
  double lr, rho, eps, weight_decay;
  bool maximize;

  template <typename T>
  struct Element {
    T rho, one_minus_rho, eps, weight_decay, lr;
    bool maximize;

    EMBER_HOST_DEVICE Element(const AdadeltaUpdate& u, const Coefficients&)
        : rho(T(u.rho)),
          one_minus_rho(T(1) - T(u.rho)),
          eps(T(u.eps)),
          weight_decay(T(u.weight_decay)),
          lr(T(u.lr)),
          maximize(u.maximize) {}

    EMBER_INLINE void operator()(const Arrays<T>& arrays, int64_t i) const {
      T* param = arrays.data[0];
      const T* grad = arrays.data[1];
      T* square_avg = arrays.data[2];
      T* acc_delta = arrays.data[3];
      const T g = effective_grad(grad[i], param[i], maximize, weight_decay);
      square_avg[i] = square_avg[i] * rho + one_minus_rho * g * g;
      const T std_dev = std::sqrt(square_avg[i] + eps);
      const T delta = std::sqrt(acc_delta[i] + eps) / std_dev * g;
      acc_delta[i] = acc_delta[i] * rho + one_minus_rho * delta * delta;
      param[i] = param[i] + -lr * delta;
    }
  };
};

// arrays: param, grad, exp_avg, exp_inf.
struct AdamaxUpdate {
  static constexpr OptimAlgorithm kAlgorithm = OptimAlgorithm::Adamax;
  struct Coefficients {
    double step_size;  // lr / (1 - beta1^step)
  };
  double beta1, beta2, weight_decay, eps;
  bool maximize;

  template <typename T>
  struct Element {
    T one_minus_beta1, beta2, eps, weight_decay, step_size;
    bool maximize;

    EMBER_HOST_DEVICE Element(const AdamaxUpdate& u, const Coefficients& c)
        : one_minus_beta1(T(1) - T(u.beta1)),
          beta2(T(u.beta2)),
          eps(T(u.eps)),
          weight_decay(T(u.weight_decay)),
          step_size(T(c.step_size)),
          maximize(u.maximize) {}

    EMBER_INLINE void operator()(const Arrays<T>& arrays, int64_t i) const {
      T* param = arrays.data[0];
      const T* grad = arrays.data[1];
      T* exp_avg = arrays.data[2];
      T* exp_inf = arrays.data[3];
      const T g = effective_grad(grad[i], param[i], maximize, weight_decay);
      exp_avg[i] = lerp_value(exp_avg[i], g, one_minus_beta1);
      const T decayed = exp_inf[i] * beta2, fresh = std::abs(g) + eps;
      exp_inf[i] = decayed > fresh || std::isnan(decayed) ? decayed : fresh;
      param[i] = param[i] + -step_size * (exp_avg[i] / exp_inf[i]);
    }
  };
};

// arrays: param, grad, ax.
struct ASGDUpdate {
  static constexpr OptimAlgorithm kAlgorithm = OptimAlgorithm::ASGD;
  struct Coefficients {
    double eta;
    double mu;
  };
  double lambd, weight_decay;
  bool maximize;

  template <typename T>
  struct Element {
    T decay, eta, mu, weight_decay;
    bool averaging, maximize;

    EMBER_HOST_DEVICE Element(const ASGDUpdate& u, const Coefficients& c)
        : decay(T(1.0 - u.lambd * c.eta)),
          eta(T(c.eta)),
          mu(T(c.mu)),
          weight_decay(T(u.weight_decay)),
          averaging(c.mu != 1),
          maximize(u.maximize) {}

    EMBER_INLINE void operator()(const Arrays<T>& arrays, int64_t i) const {
      T* param = arrays.data[0];
      const T* grad = arrays.data[1];
      T* ax = arrays.data[2];
      const T g = effective_grad(grad[i], param[i], maximize, weight_decay);
      param[i] = param[i] * decay;
      param[i] = param[i] + -eta * g;
      ax[i] = averaging ? ax[i] + (param[i] - ax[i]) * mu : param[i];
    }
  };
};

// arrays: param, grad, exp_avg, exp_avg_sq.
struct NAdamUpdate {
  static constexpr OptimAlgorithm kAlgorithm = OptimAlgorithm::NAdam;
  struct Coefficients {
    double bias_correction2;
    double grad_coefficient;     // -lr * (1 - mu_t) / (1 - prod mu)
    double exp_avg_coefficient;  // -lr * mu_{t+1} / (1 - prod mu * mu_{t+1})
  };
  double lr, beta1, beta2, weight_decay, eps;
  bool decoupled_weight_decay, maximize;

  template <typename T>
  struct Element {
    T one_minus_beta1, beta2, one_minus_beta2, eps, bias_correction2, grad_coefficient,
        exp_avg_coefficient, coupled_decay, decoupled_scale;
    bool decouple, maximize;

    EMBER_HOST_DEVICE Element(const NAdamUpdate& u, const Coefficients& c)
        : one_minus_beta1(T(1) - T(u.beta1)),
          beta2(T(u.beta2)),
          one_minus_beta2(T(1) - T(u.beta2)),
          eps(T(u.eps)),
          bias_correction2(T(c.bias_correction2)),
          grad_coefficient(T(c.grad_coefficient)),
          exp_avg_coefficient(T(c.exp_avg_coefficient)),
          coupled_decay(u.decoupled_weight_decay ? T(0) : T(u.weight_decay)),
          decoupled_scale(T(1.0 - u.lr * u.weight_decay)),
          decouple(u.decoupled_weight_decay && u.weight_decay != 0),
          maximize(u.maximize) {}

    EMBER_INLINE void operator()(const Arrays<T>& arrays, int64_t i) const {
      T* param = arrays.data[0];
      const T* grad = arrays.data[1];
      T* exp_avg = arrays.data[2];
      T* exp_avg_sq = arrays.data[3];
      if (decouple) param[i] = param[i] * decoupled_scale;
      const T g = effective_grad(grad[i], param[i], maximize, coupled_decay);
      exp_avg[i] = lerp_value(exp_avg[i], g, one_minus_beta1);
      exp_avg_sq[i] = exp_avg_sq[i] * beta2 + one_minus_beta2 * g * g;
      const T denom = std::sqrt(exp_avg_sq[i] / bias_correction2) + eps;
      param[i] = param[i] + grad_coefficient * (g / denom);
      param[i] = param[i] + exp_avg_coefficient * (exp_avg[i] / denom);
    }
  };
};

// arrays: param, grad, exp_avg, exp_avg_sq.
struct RAdamUpdate {
  static constexpr OptimAlgorithm kAlgorithm = OptimAlgorithm::RAdam;
  struct Coefficients {
    double bias_correction1;
    double sqrt_bias_correction2;
    double rectification;  // r_t, or 0 while rho_t <= 5 (no adaptive step)
  };
  double lr, beta1, beta2, weight_decay, eps;
  bool decoupled_weight_decay, maximize;

  // The bias corrections and r_t of step `step` (0 for r_t while rho_t <= 5).
  Coefficients coefficients_at(double step) const {
    const double bias_correction1 = 1 - std::pow(beta1, step);
    const double bias_correction2 = 1 - std::pow(beta2, step);
    const double rho_inf = 2 / (1 - beta2) - 1;
    const double rho_t = rho_inf - 2 * step * std::pow(beta2, step) / bias_correction2;
    const double rectification = rho_t > 5 ? std::sqrt((rho_t - 4) * (rho_t - 2) * rho_inf /
                                                       ((rho_inf - 4) * (rho_inf - 2) * rho_t))
                                           : 0.0;
    return {bias_correction1, std::sqrt(bias_correction2), rectification};
  }

  template <typename T>
  struct Element {
    T one_minus_beta1, beta2, one_minus_beta2, eps, lr, bias_correction1, sqrt_bias_correction2,
        rectification, coupled_decay, decoupled_scale;
    bool adaptive, decouple, maximize;

    EMBER_HOST_DEVICE Element(const RAdamUpdate& u, const Coefficients& c)
        : one_minus_beta1(T(1) - T(u.beta1)),
          beta2(T(u.beta2)),
          one_minus_beta2(T(1) - T(u.beta2)),
          eps(T(u.eps)),
          lr(T(u.lr)),
          bias_correction1(T(c.bias_correction1)),
          sqrt_bias_correction2(T(c.sqrt_bias_correction2)),
          rectification(T(c.rectification)),
          coupled_decay(u.decoupled_weight_decay ? T(0) : T(u.weight_decay)),
          decoupled_scale(T(1.0 - u.lr * u.weight_decay)),
          adaptive(c.rectification > 0),
          decouple(u.decoupled_weight_decay && u.weight_decay != 0),
          maximize(u.maximize) {}

    EMBER_INLINE void operator()(const Arrays<T>& arrays, int64_t i) const {
      T* param = arrays.data[0];
      const T* grad = arrays.data[1];
      T* exp_avg = arrays.data[2];
      T* exp_avg_sq = arrays.data[3];
      if (decouple) param[i] = param[i] * decoupled_scale;
      const T g = effective_grad(grad[i], param[i], maximize, coupled_decay);
      exp_avg[i] = lerp_value(exp_avg[i], g, one_minus_beta1);
      exp_avg_sq[i] = exp_avg_sq[i] * beta2 + one_minus_beta2 * g * g;
      const T corrected = exp_avg[i] / bias_correction1;
      if (adaptive) {
        const T adaptive_lr = sqrt_bias_correction2 / (std::sqrt(exp_avg_sq[i]) + eps);
        param[i] = param[i] - corrected * lr * adaptive_lr * rectification;
      } else {
        param[i] = param[i] - corrected * lr;
      }
    }
  };
};

// arrays: param, grad, square_avg, grad_avg (null unless centered), momentum_buffer (null
// without momentum).
struct RMSpropUpdate {
  static constexpr OptimAlgorithm kAlgorithm = OptimAlgorithm::RMSprop;
  using Coefficients = NoCoefficients;
  double lr, alpha, eps, weight_decay, momentum;
  bool centered, maximize;

  template <typename T>
  struct Element {
    T alpha, one_minus_alpha, eps, weight_decay, momentum, lr;
    bool centered, use_momentum, maximize;

    EMBER_HOST_DEVICE Element(const RMSpropUpdate& u, const Coefficients&)
        : alpha(T(u.alpha)),
          one_minus_alpha(T(1) - T(u.alpha)),
          eps(T(u.eps)),
          weight_decay(T(u.weight_decay)),
          momentum(T(u.momentum)),
          lr(T(u.lr)),
          centered(u.centered),
          use_momentum(u.momentum > 0),
          maximize(u.maximize) {}

    EMBER_INLINE void operator()(const Arrays<T>& arrays, int64_t i) const {
      T* param = arrays.data[0];
      const T* grad = arrays.data[1];
      T* square_avg = arrays.data[2];
      T* grad_avg = arrays.data[3];
      T* momentum_buffer = arrays.data[4];
      const T g = effective_grad(grad[i], param[i], maximize, weight_decay);
      square_avg[i] = square_avg[i] * alpha + one_minus_alpha * g * g;
      T avg;
      if (centered) {
        grad_avg[i] = lerp_value(grad_avg[i], g, one_minus_alpha);
        avg = std::sqrt(square_avg[i] - grad_avg[i] * grad_avg[i]) + eps;
      } else {
        avg = std::sqrt(square_avg[i]) + eps;
      }
      if (use_momentum) {
        momentum_buffer[i] = momentum_buffer[i] * momentum + g / avg;
        param[i] = param[i] + -lr * momentum_buffer[i];
      } else {
        param[i] = param[i] + -lr * (g / avg);
      }
    }
  };
};

template <typename T>
EMBER_INLINE T sign_of(T value) {
  return value > T(0) ? T(1) : value < T(0) ? T(-1) : value;
}

// arrays: param, grad, prev, step_size.
struct RpropUpdate {
  static constexpr OptimAlgorithm kAlgorithm = OptimAlgorithm::Rprop;
  using Coefficients = NoCoefficients;
  double step_size_min, step_size_max, etaminus, etaplus;
  bool maximize;

  template <typename T>
  struct Element {
    T min, max, etaminus, etaplus;
    bool maximize;

    EMBER_HOST_DEVICE Element(const RpropUpdate& u, const Coefficients&)
        : min(T(u.step_size_min)),
          max(T(u.step_size_max)),
          etaminus(T(u.etaminus)),
          etaplus(T(u.etaplus)),
          maximize(u.maximize) {}

    EMBER_INLINE void operator()(const Arrays<T>& arrays, int64_t i) const {
      T* param = arrays.data[0];
      const T* grad = arrays.data[1];
      T* prev = arrays.data[2];
      T* step_size = arrays.data[3];
      T g = maximize ? -grad[i] : grad[i];
      const T product = g * prev[i];
      // PyTorch's factor: etaplus, etaminus or 1 by the product's sign (NaN stays NaN).
      const T factor = product > T(0)    ? etaplus
                       : product < T(0)  ? etaminus
                       : product == T(0) ? T(1)
                                         : std::numeric_limits<T>::quiet_NaN();
      const T scaled = step_size[i] * factor;
      step_size[i] = scaled < min ? min : scaled > max ? max : scaled;
      if (factor == etaminus) g = T(0);
      param[i] = param[i] + T(-1) * sign_of(g) * step_size[i];
      prev[i] = g;
    }
  };
};

}  // namespace ember::optim_detail
