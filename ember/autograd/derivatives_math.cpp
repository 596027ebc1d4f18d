// Gradient rules of the elementwise math ops too long for derivatives.cpp's switches.
#include "ember/autograd/derivatives_math.h"

#include <numbers>

#include "ember/ops/math.h"
#include "ember/ops/ops.h"

namespace ember::autograd {

Tensor sinc_backward(const Tensor& grad, const Tensor& x) {
  const Tensor pi_x = x * std::numbers::pi;
  const Tensor slope = (pi_x * cos(pi_x) - sin(pi_x)) / (pi_x * x);
  return where(eq(x, 0), 0, grad * slope);
}

std::pair<Tensor, Tensor> smooth_max_backward(BinaryOp op, const Tensor& grad, const Tensor& a,
                                              const Tensor& b, const Tensor& out,
                                              const std::vector<bool>& needs) {
  // hypot: a / out; logaddexp: e^(a - out); logaddexp2: 2^(a - out) (likewise for b).
  auto share = [&](const Tensor& input) {
    if (op == BinaryOp::Hypot) return grad * input / out;
    if (op == BinaryOp::Logaddexp) return grad * exp(input - out);
    return grad * exp2(input - out);
  };
  return {needs[0] ? share(a) : Tensor(), needs[1] ? share(b) : Tensor()};
}

Tensor copysign_backward(const Tensor& grad, const Tensor& a, const Tensor& b) {
  const Tensor signs = copysign(1, a) * copysign(1, b);
  return where(eq(a, 0), 0, grad * signs);
}

std::pair<Tensor, Tensor> xlogy_backward(const Tensor& grad, const Tensor& a, const Tensor& b,
                                         const std::vector<bool>& needs) {
  Tensor grad_a, grad_b;
  if (needs[0]) grad_a = where(logical_and(eq(a, 0), le(b, 0)), 0, xlogy(grad, b));
  if (needs[1]) grad_b = grad * a / b;
  return {grad_a, grad_b};
}

Tensor order_backward(BinaryOp op, const Tensor& grad, const Tensor& x, const Tensor& order) {
  const int64_t n = static_cast<int64_t>(order.item<double>());
  if (op == BinaryOp::Polygamma) return grad * polygamma(n + 1, x);
  const Tensor below = modified_bessel_i(x, n == 0 ? 1 : n - 1);
  return grad * (below + modified_bessel_i(x, n + 1)) * 0.5;
}

}  // namespace ember::autograd
