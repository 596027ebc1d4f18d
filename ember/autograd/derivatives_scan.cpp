// Gradient rules of the scan family (derivatives_scan.h), written with public ops so that
// create_graph differentiates them again.
#include "ember/autograd/derivatives_scan.h"

#include <limits>
#include <optional>
#include <vector>

#include "ember/ops/ops.h"
#include "ember/ops/scan.h"

namespace ember::autograd {
namespace {

Tensor reverse(const Tensor& t, int64_t dim) {
  const int64_t n = t.shape()[dim];
  return index_select(t, dim, arange(n - 1, -1, -1));
}

}  // namespace

Tensor scatter_along(const Tensor& grad, int64_t dim, const Tensor& indices, const Shape& shape) {
  Tensor result = zeros(shape, TensorOptions(grad.dtype()).device(grad.device()));
  if (grad.numel() == 0) return result;
  std::vector<std::optional<Tensor>> positions;
  for (int64_t d = 0; d < static_cast<int64_t>(shape.size()); ++d) {
    if (d == dim) {
      positions.emplace_back(indices);
      continue;
    }
    Shape broadcast(shape.size(), 1);
    broadcast[d] = shape[d];
    positions.emplace_back(arange(shape[d]).reshape(broadcast));
  }
  index_put_(result, positions, grad, /*accumulate=*/true);
  return result;
}

Tensor cumsum_backward(const Tensor& grad, int64_t dim) {
  if (grad.numel() == 0) return grad;
  return add(sub(sum(grad, {dim}, /*keepdim=*/true), cumsum(grad, dim)), grad);
}

Tensor cumprod_backward(const Tensor& grad, int64_t dim, const Tensor& x, const Tensor& out) {
  if (grad.numel() == 0) return grad;
  // d out_j / d x_i = out_j / x_i for j >= i when x_i != 0. A zero x_z only matters as the
  // row's first zero: there it is the product of the others up to j.
  const Tensor is_zero = eq(x, 0);
  const Tensor first_zero = logical_and(is_zero, eq(cumsum(is_zero, dim), 1));
  const Tensor nonzero_part = div(cumsum_backward(mul(grad, out), dim), where(is_zero, 1, x));
  const Tensor others = cumprod(where(first_zero, 1, x), dim);
  const Tensor zero_part = cumsum_backward(mul(grad, others), dim);
  return where(first_zero, zero_part, where(is_zero, 0, nonzero_part));
}

Tensor logcumsumexp_backward(const Tensor& grad, int64_t dim, const Tensor& x, const Tensor& out) {
  if (grad.numel() == 0) return grad;
  // grad_i = sum_{j >= i} grad_j exp(x_i - out_j), summed in log space per sign of grad_j.
  // The lowest finite value stands for log(0), as in PyTorch: -inf would give -inf - -inf = NaN
  // in the second derivative, where out is -inf too.
  const double lowest = grad.dtype() == kFloat64 ? std::numeric_limits<double>::lowest()
                                                 : std::numeric_limits<float>::lowest();
  auto part = [&](const Tensor& positive) {
    const Tensor is_positive = gt(positive, 0);
    const Tensor log_grad = where(is_positive, log(where(is_positive, positive, 1)), lowest);
    const Tensor tail = reverse(logcumsumexp(reverse(sub(log_grad, out), dim), dim), dim);
    return exp(add(tail, x));
  };
  return sub(part(grad), part(neg(grad)));
}

}  // namespace ember::autograd
