// Rprop's fused step and its composite reference (optim_rprop.h).
#include "ember/ops/optim_rprop.h"

#include <cmath>
#include <limits>
#include <string_view>

#include "ember/ops/ops.h"
#include "ember/ops/optim_multi_tensor.h"

namespace ember {

void _fused_rprop_(const std::vector<Tensor>& params, const std::vector<Tensor>& grads,
                   const std::vector<Tensor>& prevs, const std::vector<Tensor>& step_sizes,
                   const std::vector<Tensor>& state_steps, double step_size_min,
                   double step_size_max, double etaminus, double etaplus, bool maximize) {
  constexpr std::string_view op = "_fused_rprop_";
  optim_detail::check_lists(op, params, grads, {{"prevs", prevs}, {"step_sizes", step_sizes}});
  optim_detail::check_scalars(op, "state_steps", params, state_steps);
  optim_detail::increment_steps(state_steps);
  optim_detail::ParamArrays arrays(params, grads, {prevs, step_sizes});
  const optim_detail::RpropUpdate update{step_size_min, step_size_max, etaminus, etaplus, maximize};
  optim_detail::for_each_chunk(op, arrays, update,
                               std::vector<optim_detail::NoCoefficients>(params.size()));
}

namespace detail {

void rprop_step(const Tensor& param, const Tensor& grad, const Tensor& prev,
                const Tensor& step_size, const Tensor& state_step, double step_size_min,
                double step_size_max, double etaminus, double etaplus, bool maximize) {
  Tensor p = param.detach(), previous = prev.detach(), sizes = step_size.detach();
  Tensor step = state_step.detach();
  Tensor g = maximize ? grad.detach().neg() : grad.detach().clone();
  step.add_(1);
  const Tensor sign = g.mul(previous).sign();
  const Tensor factor = where(sign.gt(0), full_like(sign, etaplus),
                              where(sign.lt(0), full_like(sign, etaminus), full_like(sign, 1)));
  sizes.mul_(factor).clamp_(step_size_min, step_size_max);
  g = where(factor.eq(etaminus), zeros_like(g), g);
  p.addcmul_(g.sign(), sizes, -1);
  previous.copy_(g);
}

}  // namespace detail

}  // namespace ember
