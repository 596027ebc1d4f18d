// Adadelta's fused step and its composite reference (optim_adadelta.h).
#include "ember/ops/optim_adadelta.h"

#include <cmath>
#include <string_view>

#include "ember/ops/ops.h"
#include "ember/ops/optim_multi_tensor.h"

namespace ember {

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
  const optim_detail::AdadeltaUpdate update{lr, rho, eps, weight_decay, maximize};
  optim_detail::for_each_chunk(op, arrays, update,
                               std::vector<optim_detail::NoCoefficients>(params.size()));
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
