// The gradient rules of the scan family whose bodies are longer than a few lines; called from
// the switches of derivatives.cpp, which stay the one place that says what each rule saves.
#pragma once

#include "ember/ops/primitives_scan.h"
#include "ember/tensor/tensor.h"

namespace ember::autograd {

// grad (shaped like indices) added into zeros of `shape` at `indices` along `dim`: the
// gradient of every op that picks elements along a dim (sort, topk, mode, cummax, cummin).
Tensor scatter_along(const Tensor& grad, int64_t dim, const Tensor& indices, const Shape& shape);

// cumsum: the reverse cumulative sum of grad.
Tensor cumsum_backward(const Tensor& grad, int64_t dim);
// cumprod, exact with zeros: only each row's first zero has a non-zero gradient.
Tensor cumprod_backward(const Tensor& grad, int64_t dim, const Tensor& x, const Tensor& out);
// logcumsumexp, in log space with the gradient's sign split off (PyTorch's formula).
Tensor logcumsumexp_backward(const Tensor& grad, int64_t dim, const Tensor& x, const Tensor& out);

}  // namespace ember::autograd
