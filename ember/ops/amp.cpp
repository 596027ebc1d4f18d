// GradScaler's ops (amp.h): composites of elementwise ops on detached tensors, so that the state
// stays on its device and nothing is recorded.
#include "ember/ops/amp.h"

#include <string_view>

#include "ember/base/error.h"
#include "ember/ops/dispatch.h"
#include "ember/ops/math.h"
#include "ember/ops/ops.h"

namespace ember {
namespace {

void check_state(std::string_view op, std::string_view name, const Tensor& t, ScalarType dtype) {
  EMBER_CHECK(t.defined(), "[", op, "] expected ", name, " to be a defined tensor");
  EMBER_CHECK(t.numel() == 1, "[", op, "] expected ", name,
              " to be a one-element tensor; got shape ", t.shape());
  EMBER_CHECK(t.dtype() == dtype, "[", op, "] expected ", name, " of dtype ", dtype, "; got ",
              t.dtype());
}

}  // namespace

void _amp_foreach_non_finite_check_and_unscale_(const std::vector<Tensor>& grads,
                                                const Tensor& found_inf, const Tensor& inv_scale) {
  constexpr std::string_view op = "_amp_foreach_non_finite_check_and_unscale_";
  check_state(op, "found_inf", found_inf, kFloat32);
  check_state(op, "inv_scale", inv_scale, kFloat32);
  for (const Tensor& grad : grads) {
    EMBER_CHECK(grad.defined(), "[", op, "] expected defined gradients; got an undefined one");
    EMBER_CHECK(grad.is_floating_point(), "[", op, "] expected floating-point gradients; got ",
                grad.dtype());
    check_same_device(op, {&grad, &found_inf, &inv_scale});
  }
  Tensor found = found_inf.detach();
  const Tensor inv = inv_scale.detach();
  for (const Tensor& grad_arg : grads) {
    Tensor grad = grad_arg.detach();
    const Tensor non_finite = any(logical_not(isfinite(grad))).to(kFloat32);
    found.copy_(maximum(found, non_finite));
    // In float32 for 16-bit gradients, as PyTorch's kernel does: a tiny inv_scale would flush to
    // zero in float16 (inf * 0 = NaN where the true product is inf).
    const ScalarType dtype = grad.dtype();
    if (dtype == kFloat16 || dtype == kBFloat16) {
      grad.copy_(grad.to(kFloat32) * inv.reshape({}));
    } else {
      grad.mul_(inv.reshape({}));
    }
  }
}

Tensor _amp_update_scale_(const Tensor& scale, const Tensor& growth_tracker,
                          const Tensor& found_inf, double growth_factor, double backoff_factor,
                          int64_t growth_interval) {
  constexpr std::string_view op = "_amp_update_scale_";
  check_state(op, "scale", scale, kFloat32);
  check_state(op, "growth_tracker", growth_tracker, kInt32);
  check_state(op, "found_inf", found_inf, kFloat32);
  check_same_device(op, {&scale, &growth_tracker, &found_inf});
  EMBER_CHECK_VALUE(growth_interval > 0, "[", op, "] expected growth_interval > 0; got ",
                    growth_interval);
  Tensor current = scale.detach();
  Tensor tracker = growth_tracker.detach();
  const Tensor found = found_inf.detach().reshape({}) > 0.0;
  const Tensor successful = tracker.reshape({}) + 1;
  const Tensor grow = logical_and(logical_not(found), successful == growth_interval);
  const Tensor grown = current * growth_factor;
  const Tensor next_scale = where(found, current * backoff_factor,
                                  where(logical_and(grow, isfinite(grown)), grown, current));
  const Tensor next_tracker = where(logical_or(found, grow), zeros_like(successful), successful);
  current.copy_(next_scale);
  tracker.copy_(next_tracker);
  return scale;
}

}  // namespace ember
