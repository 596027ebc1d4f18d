// Adadelta's fused step and its composite reference (optim_adadelta.h).
#include "ember/ops/optim_adadelta.h"

#include <cmath>
#include <string_view>

#include "ember/ops/ops.h"
#include "ember/ops/optim_multi_tensor.h"

namespace ember {

namespace {

struct AdadeltaUpdate {
  double lr, rho, eps, weight_decay;
  bool maximize;

  template <typename T>
  void apply(size_t, const std::array<T*, optim_detail::kMaxArrays>& arrays, int64_t begin,
             int64_t end) const {
    T* param = arrays[0];
    const T* grad = arrays[1];
    T* square_avg = arrays[2];
    T* acc_delta = arrays[3];
    const T typed_rho = T(rho), one_minus_rho = T(1) - T(rho), typed_eps = T(eps);
    const T typed_weight_decay = T(weight_decay), typed_lr = T(lr);
    for (int64_t i = begin; i < end; ++i) {
      const T g = optim_detail::effective_grad(grad[i], param[i], maximize, typed_weight_decay);
      square_avg[i] = square_avg[i] * typed_rho + one_minus_rho * g * g;
      const T std_dev = std::sqrt(square_avg[i] + typed_eps);
      const T delta = std::sqrt(acc_delta[i] + typed_eps) / std_dev * g;
      acc_delta[i] = acc_delta[i] * typed_rho + one_minus_rho * delta * delta;
      param[i] = param[i] + -typed_lr * delta;
    }
  }
};

}  // namespace

void _fused_adadelta_(const std::vector<Tensor>& params, const std::vector<Tensor>& grads,
                      const std::vector<Tensor>& square_avgs, const std::vector<Tensor>& acc_deltas,
                      const std::vector<Tensor>& state_steps, double lr, double rho, double eps,
                      double weight_decay, bool maximize) {
  constexpr std::string_view op = "_fused_adadelta_";
  optim_detail::check_lists(op, params, grads,
                            {{"square_avgs", square_avgs}, {"acc_deltas", acc_deltas}});
  optim_detail::check_scalars(op, "state_steps", params, state_steps);
  optim_detail::increment_steps(state_steps);
  optim_detail::ParamArrays arrays(params, grads, {square_avgs, acc_deltas});
  optim_detail::for_each_chunk(arrays, AdadeltaUpdate{lr, rho, eps, weight_decay, maximize});
}

namespace detail {

void adadelta_step(const Tensor& param, const Tensor& grad, const Tensor& square_avg,
                   const Tensor& acc_delta, const Tensor& state_step, double lr, double rho,
                   double eps, double weight_decay, bool maximize) {
  Tensor p = param.detach(), v = square_avg.detach(), u = acc_delta.detach();
  Tensor step = state_step.detach();
  Tensor g = maximize ? grad.detach().neg() : grad.detach();
  step.add_(1);
  if (weight_decay != 0) g = g.add(p, weight_decay);
  v.mul_(rho).addcmul_(g, g, 1 - rho);
  const Tensor std_dev = v.add(eps).sqrt();
  const Tensor delta = u.add(eps).sqrt().div(std_dev).mul(g);
  u.mul_(rho).addcmul_(delta, delta, 1 - rho);
  p.add_(delta, -lr);
}

}  // namespace detail

}  // namespace ember
