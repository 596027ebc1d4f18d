// The gradient-clipping ops of nn_utils.h.
#include <cmath>

#include "ember/base/error.h"
#include "ember/ops/nn_utils.h"
#include "ember/ops/ops.h"
#include "ember/ops/shape.h"

namespace ember {

Tensor _clip_grad_norm_(const std::vector<Tensor>& grads, double max_norm, double norm_type,
                        bool error_if_nonfinite) {
  if (grads.empty()) return scalar_tensor(0.0, kFloat);
  ScalarType dtype = grads.front().dtype();
  for (const Tensor& grad : grads) dtype = promote_types(dtype, grad.dtype());
  const bool infinity_norm = std::isinf(norm_type) && norm_type > 0;
  std::vector<Tensor> norms;
  norms.reserve(grads.size());
  for (const Tensor& grad : grads) {
    const Tensor values = grad.detach();
    const Tensor one_norm = !infinity_norm        ? norm(values, norm_type)
                            : values.numel() == 0 ? zeros({}, values.options())
                                                  : values.abs().max();
    norms.push_back(one_norm.to(dtype));
  }
  const Tensor stacked = stack(norms);
  const Tensor total = infinity_norm ? stacked.max() : norm(stacked, norm_type);
  if (error_if_nonfinite) {
    EMBER_CHECK(std::isfinite(total.item<double>()), "[clip_grad_norm_] The total norm of order ",
                norm_type,
                " for gradients from `parameters` is non-finite, so it cannot be clipped. To "
                "disable this error and scale the gradients by the non-finite norm anyway, set "
                "`error_if_nonfinite=False`");
  }
  const Tensor coefficient =
      div(full({}, max_norm, total.options()), add(total, 1e-6)).clamp_max(1.0);
  for (const Tensor& grad : grads) grad.detach().mul_(coefficient.to(grad.dtype()));
  return total;
}

// maximum_ then minimum_ write into each gradient's own memory (clamp_ would compute the clamped
// values into temporaries and copy them back); the result is clamp's, NaN included.
void _clip_grad_value_(const std::vector<Tensor>& grads, double clip_value) {
  for (const Tensor& grad : grads) {
    Tensor values = grad.detach();
    maximum_(values, -clip_value);
    minimum_(values, clip_value);
  }
}

}  // namespace ember
