// norm_except_dim, _weight_norm and _spectral_norm (nn_utils.h) as composites.
#include "ember/ops/nn_utils.h"

#include <vector>

#include "ember/base/error.h"
#include "ember/ops/nn_distance.h"
#include "ember/ops/ops.h"

namespace ember {
namespace {

std::vector<int64_t> dims_except(int64_t dim, int64_t ndim) {
  std::vector<int64_t> dims;
  for (int64_t d = 0; d < ndim; ++d) {
    if (d != dim) dims.push_back(d);
  }
  return dims;
}

void check_floating(const Tensor& t, const char* op, const char* what) {
  EMBER_CHECK_TYPE(is_floating_point(t.dtype()), "[", op, "] expected a floating-point ", what,
                   "; got dtype ", t.dtype(), " (shape ", t.shape(), ")");
}

// weight (dim moved first) as a (size(dim), rest) matrix.
Tensor as_matrix(const Tensor& weight, int64_t dim) {
  if (dim != 0) {
    std::vector<int64_t> order{dim};
    for (int64_t d : dims_except(dim, weight.dim())) order.push_back(d);
    return weight.permute(order).reshape({weight.size(dim), -1});
  }
  return weight.reshape({weight.size(0), -1});
}

}  // namespace

Tensor norm_except_dim(const Tensor& v, int64_t pow, int64_t dim) {
  check_floating(v, "norm_except_dim", "v");
  if (dim == -1) return norm(v, static_cast<double>(pow));
  EMBER_CHECK_INDEX(dim >= 0 && dim < v.dim(), "[norm_except_dim] dim must be -1 or in [0, ",
                    v.dim(), "); got dim ", dim, " for v of shape ", v.shape());
  const std::vector<int64_t> dims = dims_except(dim, v.dim());
  if (dims.empty()) return abs(v);
  return norm(v, static_cast<double>(pow), dims, /*keepdim=*/true);
}

Tensor _weight_norm(const Tensor& v, const Tensor& g, int64_t dim) {
  check_floating(v, "_weight_norm", "v");
  check_floating(g, "_weight_norm", "g");
  EMBER_CHECK_TYPE(v.dtype() == g.dtype(), "[_weight_norm] v and g must have the same dtype; got ",
                   v.dtype(), " and ", g.dtype());
  const Tensor norms = norm_except_dim(v, 2, dim);
  EMBER_CHECK_VALUE(g.numel() == norms.numel() &&
                        (g.dim() == 0 || g.dim() == v.dim() || (g.dim() == 1 && dim >= 0)),
                    "[_weight_norm] g must hold one magnitude per slice of v along dim ", dim,
                    " (shape ", norms.shape(), "); got g of shape ", g.shape(), " for v of shape ",
                    v.shape());
  return mul(v, div(g.reshape(norms.shape()), norms));
}

Tensor _spectral_norm(const Tensor& weight, Tensor& u, Tensor& v, int64_t dim,
                      int64_t n_power_iterations, double eps, bool do_power_iteration) {
  check_floating(weight, "spectral_norm", "weight");
  EMBER_CHECK_VALUE(weight.dim() >= 1,
                    "[spectral_norm] expected a weight with at least one dim; "
                    "got a 0-d weight");
  const int64_t d = wrap_dim(dim, weight.dim(), "spectral_norm");
  EMBER_CHECK_VALUE(n_power_iterations >= 0,
                    "[spectral_norm] n_power_iterations must be non-negative; got ",
                    n_power_iterations);
  const Tensor matrix = as_matrix(weight, d);
  const int64_t height = matrix.size(0);
  const int64_t width = matrix.size(1);
  EMBER_CHECK_VALUE(u.dim() == 1 && u.size(0) == height && v.dim() == 1 && v.size(0) == width,
                    "[spectral_norm] expected u of shape (", height, ") and v of shape (", width,
                    ") for weight of shape ", weight.shape(), " (dim ", d, "); got u ", u.shape(),
                    " and v ", v.shape());
  EMBER_CHECK_TYPE(u.dtype() == weight.dtype() && v.dtype() == weight.dtype(),
                   "[spectral_norm] expected u and v of the weight's dtype ", weight.dtype(),
                   "; got ", u.dtype(), " and ", v.dtype());
  Tensor u_now = u;
  Tensor v_now = v;
  if (do_power_iteration && n_power_iterations > 0) {
    // The iteration is a fixed-point search, not part of the function differentiated (PyTorch
    // runs it under no_grad), so it works on detached tensors and updates the buffers in place.
    const Tensor fixed = matrix.detach();
    Tensor u_step = u.detach();
    Tensor v_step = v.detach();
    for (int64_t i = 0; i < n_power_iterations; ++i) {
      v_step = normalize(mv(fixed.t(), u_step), 2.0, 0, eps);
      u_step = normalize(mv(fixed, v_step), 2.0, 0, eps);
    }
    u.detach().copy_(u_step);
    v.detach().copy_(v_step);
    u_now = u_step;
    v_now = v_step;
  }
  const Tensor sigma = dot(u_now.detach(), mv(matrix, v_now.detach()));
  return div(weight, sigma);
}

}  // namespace ember
