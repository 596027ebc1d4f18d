// Gradient rules of the elementwise math ops (issue 8) that take more than a few lines; the
// switches in derivatives.cpp call them (Note [gradient rules]). Written with public ops, so they
// are differentiable themselves.
#pragma once

#include <utility>

#include "ember/ops/primitives.h"
#include "ember/tensor/tensor.h"

namespace ember::autograd {

// d/dx sin(pi x) / (pi x) = (pi x cos(pi x) - sin(pi x)) / (pi x^2), 0 at x = 0.
Tensor sinc_backward(const Tensor& grad, const Tensor& x);
// hypot, logaddexp, logaddexp2 from their inputs a, b and output: each input's share of the result.
std::pair<Tensor, Tensor> smooth_max_backward(BinaryOp op, const Tensor& grad, const Tensor& a,
                                              const Tensor& b, const Tensor& out,
                                              const std::vector<bool>& needs);
// d/da copysign(a, b) = sign(a) sign(b) (signed zeros count), 0 where a == 0 (as PyTorch).
Tensor copysign_backward(const Tensor& grad, const Tensor& a, const Tensor& b);
// xlogy(a, b): d/da = log b (0 where a == 0 and b <= 0), d/db = a / b.
std::pair<Tensor, Tensor> xlogy_backward(const Tensor& grad, const Tensor& a, const Tensor& b,
                                         const std::vector<bool>& needs);
// The argument's gradient of an op with an integer order n (input 1, 0-d): polygamma(n, x) gives
// polygamma(n + 1, x), I_n(x) gives (I_|n-1|(x) + I_n+1(x)) / 2.
Tensor order_backward(BinaryOp op, const Tensor& grad, const Tensor& x, const Tensor& order);

}  // namespace ember::autograd
