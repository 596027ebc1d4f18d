// Adamax's fused step and its composite reference (optim_adamax.h).
#include "ember/ops/optim_adamax.h"

#include <cmath>
#include <string_view>

#include "ember/ops/ops.h"
#include "ember/ops/optim_multi_tensor.h"

namespace ember {

namespace {

struct AdamaxUpdate {
  std::vector<double> step_sizes;  // lr / (1 - beta1^step), per parameter
  double beta1, beta2, weight_decay, eps;
  bool maximize;

  template <typename T>
  void apply(size_t index, const std::array<T*, optim_detail::kMaxArrays>& arrays, int64_t begin,
             int64_t end) const {
    T* param = arrays[0];
    const T* grad = arrays[1];
    T* exp_avg = arrays[2];
    T* exp_inf = arrays[3];
    const T one_minus_beta1 = T(1) - T(beta1), typed_beta2 = T(beta2), typed_eps = T(eps);
    const T typed_weight_decay = T(weight_decay), step_size = T(step_sizes[index]);
    for (int64_t i = begin; i < end; ++i) {
      const T g = optim_detail::effective_grad(grad[i], param[i], maximize, typed_weight_decay);
      exp_avg[i] = optim_detail::lerp_value(exp_avg[i], g, one_minus_beta1);
      const T decayed = exp_inf[i] * typed_beta2, fresh = std::abs(g) + typed_eps;
      exp_inf[i] = decayed > fresh || std::isnan(decayed) ? decayed : fresh;
      param[i] = param[i] + -step_size * (exp_avg[i] / exp_inf[i]);
    }
  }
};

}  // namespace

void _fused_adamax_(const std::vector<Tensor>& params, const std::vector<Tensor>& grads,
                    const std::vector<Tensor>& exp_avgs, const std::vector<Tensor>& exp_infs,
                    const std::vector<Tensor>& state_steps, double lr, double beta1, double beta2,
                    double weight_decay, double eps, bool maximize) {
  constexpr std::string_view op = "_fused_adamax_";
  optim_detail::check_lists(op, params, grads, {{"exp_avgs", exp_avgs}, {"exp_infs", exp_infs}});
  optim_detail::check_scalars(op, "state_steps", params, state_steps);
  AdamaxUpdate update{{}, beta1, beta2, weight_decay, eps, maximize};
  for (double step : optim_detail::increment_steps(state_steps)) {
    update.step_sizes.push_back(lr / (1.0 - std::pow(beta1, step)));
  }
  optim_detail::ParamArrays arrays(params, grads, {exp_avgs, exp_infs});
  optim_detail::for_each_chunk(arrays, update);
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
