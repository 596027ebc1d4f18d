// Rprop's fused step and its composite reference (optim_rprop.h).
#include "ember/ops/optim_rprop.h"

#include <cmath>
#include <limits>
#include <string_view>

#include "ember/ops/ops.h"
#include "ember/ops/optim_multi_tensor.h"

namespace ember {

namespace {

template <typename T>
T sign_of(T value) {
  return value > T(0) ? T(1) : value < T(0) ? T(-1) : value;
}

struct RpropUpdate {
  double step_size_min, step_size_max, etaminus, etaplus;
  bool maximize;

  template <typename T>
  void apply(size_t, const std::array<T*, optim_detail::kMaxArrays>& arrays, int64_t begin,
             int64_t end) const {
    T* param = arrays[0];
    const T* grad = arrays[1];
    T* prev = arrays[2];
    T* step_size = arrays[3];
    const T typed_min = T(step_size_min), typed_max = T(step_size_max);
    const T typed_etaminus = T(etaminus), typed_etaplus = T(etaplus);
    for (int64_t i = begin; i < end; ++i) {
      T g = maximize ? -grad[i] : grad[i];
      const T product = g * prev[i];
      // PyTorch's factor: etaplus, etaminus or 1 by the product's sign (NaN stays NaN).
      const T factor = product > T(0)    ? typed_etaplus
                       : product < T(0)  ? typed_etaminus
                       : product == T(0) ? T(1)
                                         : std::numeric_limits<T>::quiet_NaN();
      const T scaled = step_size[i] * factor;
      step_size[i] = scaled < typed_min ? typed_min : scaled > typed_max ? typed_max : scaled;
      if (factor == typed_etaminus) g = T(0);
      param[i] = param[i] + T(-1) * sign_of(g) * step_size[i];
      prev[i] = g;
    }
  }
};

}  // namespace

void _fused_rprop_(const std::vector<Tensor>& params, const std::vector<Tensor>& grads,
                   const std::vector<Tensor>& prevs, const std::vector<Tensor>& step_sizes,
                   const std::vector<Tensor>& state_steps, double step_size_min,
                   double step_size_max, double etaminus, double etaplus, bool maximize) {
  constexpr std::string_view op = "_fused_rprop_";
  optim_detail::check_lists(op, params, grads, {{"prevs", prevs}, {"step_sizes", step_sizes}});
  optim_detail::check_scalars(op, "state_steps", params, state_steps);
  optim_detail::increment_steps(state_steps);
  optim_detail::ParamArrays arrays(params, grads, {prevs, step_sizes});
  optim_detail::for_each_chunk(
      arrays, RpropUpdate{step_size_min, step_size_max, etaminus, etaplus, maximize});
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
