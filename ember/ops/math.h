// Elementwise math beyond the .def rows (issue 8): composites of the elementwise ops (lerp,
// addcmul, logit, nan_to_num, the float predicates, ...), NumPy-style aliases, and the ops with an
// integer order (polygamma, i0), which run kernel-only rows of binary_ops.def. Every op here is
// differentiated through the ops it is built from, or through the rows' rules.
#pragma once

#include <optional>

#include "ember/ops/ops.h"

namespace ember {

// NumPy-style aliases (torch.arcsin is torch.asin, ...).
Tensor arcsin(const Tensor& x);
Tensor& arcsin_(Tensor& x);
Tensor arccos(const Tensor& x);
Tensor& arccos_(Tensor& x);
Tensor arctan(const Tensor& x);
Tensor& arctan_(Tensor& x);
Tensor arcsinh(const Tensor& x);
Tensor& arcsinh_(Tensor& x);
Tensor arccosh(const Tensor& x);
Tensor& arccosh_(Tensor& x);
Tensor arctanh(const Tensor& x);
Tensor& arctanh_(Tensor& x);
Tensor arctan2(const Tensor& a, const Tensor& b);
Tensor& arctan2_(Tensor& a, const Tensor& b);
Tensor fix(const Tensor& x);  // trunc
Tensor& fix_(Tensor& x);
Tensor& true_divide_(Tensor& a, const Tensor& b);

// x itself (bool tensors are refused, as PyTorch's unary +).
Tensor positive(const Tensor& x);
// x - trunc(x), floating types only.
Tensor frac(const Tensor& x);
Tensor& frac_(Tensor& x);
// x * pi / 180 and x * 180 / pi; integers compute in the default float type.
Tensor deg2rad(const Tensor& x);
Tensor& deg2rad_(Tensor& x);
Tensor rad2deg(const Tensor& x);
Tensor& rad2deg_(Tensor& x);
// log(x / (1 - x)), x clamped to [eps, 1 - eps] first when eps is given.
Tensor logit(const Tensor& x, std::optional<double> eps = std::nullopt);
Tensor& logit_(Tensor& x, std::optional<double> eps = std::nullopt);
// NaN, +inf and -inf replaced by nan (0), posinf and neginf (the dtype's largest and lowest).
Tensor nan_to_num(const Tensor& x, std::optional<double> nan = 0.0,
                  std::optional<double> posinf = std::nullopt,
                  std::optional<double> neginf = std::nullopt);
Tensor& nan_to_num_(Tensor& x, std::optional<double> nan = 0.0,
                    std::optional<double> posinf = std::nullopt,
                    std::optional<double> neginf = std::nullopt);

// Bool predicates; integer and bool tensors are finite, never NaN, and real.
Tensor isnan(const Tensor& x);
Tensor isinf(const Tensor& x);
Tensor isfinite(const Tensor& x);
Tensor isposinf(const Tensor& x);
Tensor isneginf(const Tensor& x);
Tensor isreal(const Tensor& x);
Tensor signbit(const Tensor& x);  // the sign bit: true for -0.0 and negative NaNs too

// pow computed in float64 (the result is always float64).
Tensor float_power(const Tensor& a, const Tensor& b);
Tensor float_power(const Tensor& a, const Scalar& b);
Tensor float_power(const Scalar& a, const Tensor& b);
Tensor& float_power_(Tensor& a, const Tensor& b);
Tensor& float_power_(Tensor& a, const Scalar& b);

Tensor clamp_min(const Tensor& x, const Scalar& min);
Tensor clamp_min(const Tensor& x, const Tensor& min);
Tensor& clamp_min_(Tensor& x, const Scalar& min);
Tensor& clamp_min_(Tensor& x, const Tensor& min);
Tensor clamp_max(const Tensor& x, const Scalar& max);
Tensor clamp_max(const Tensor& x, const Tensor& max);
Tensor& clamp_max_(Tensor& x, const Scalar& max);
Tensor& clamp_max_(Tensor& x, const Tensor& max);

// self + weight * (end - self), floating types; self, end (and a tensor weight) share a dtype.
Tensor lerp(const Tensor& self, const Tensor& end, const Scalar& weight);
Tensor lerp(const Tensor& self, const Tensor& end, const Tensor& weight);
Tensor& lerp_(Tensor& self, const Tensor& end, const Scalar& weight);
Tensor& lerp_(Tensor& self, const Tensor& end, const Tensor& weight);
// self + value * tensor1 * tensor2 and self + value * tensor1 / tensor2.
Tensor addcmul(const Tensor& self, const Tensor& tensor1, const Tensor& tensor2,
               const Scalar& value = 1);
Tensor& addcmul_(Tensor& self, const Tensor& tensor1, const Tensor& tensor2,
                 const Scalar& value = 1);
Tensor addcdiv(const Tensor& self, const Tensor& tensor1, const Tensor& tensor2,
               const Scalar& value = 1);
Tensor& addcdiv_(Tensor& self, const Tensor& tensor1, const Tensor& tensor2,
                 const Scalar& value = 1);

// The n-th derivative of digamma (n >= 0).
Tensor polygamma(int64_t n, const Tensor& x);
Tensor& polygamma_(Tensor& x, int64_t n);
// The multivariate log-gamma function of dimension p >= 1 (every x > (p - 1) / 2).
Tensor mvlgamma(const Tensor& x, int64_t p);
Tensor& mvlgamma_(Tensor& x, int64_t p);
// The modified Bessel function of the first kind of order 0, and of any order n >= 0 (the
// gradient of order n needs orders n - 1 and n + 1).
Tensor i0(const Tensor& x);
Tensor& i0_(Tensor& x);
Tensor modified_bessel_i(const Tensor& x, int64_t n);

// Operators libtorch has beside ops.h's (% and a number on the left of & | ^), and the shifts,
// which libtorch leaves out (Python's << and >>; Tensor << Tensor is not stream output).
Tensor operator%(const Tensor& a, const Tensor& b);
Tensor operator%(const Tensor& a, const Scalar& b);
Tensor operator%(const Scalar& a, const Tensor& b);
Tensor operator&(const Scalar& a, const Tensor& b);
Tensor operator|(const Scalar& a, const Tensor& b);
Tensor operator^(const Scalar& a, const Tensor& b);
Tensor operator<<(const Tensor& a, const Tensor& b);
Tensor operator<<(const Tensor& a, const Scalar& b);
Tensor operator>>(const Tensor& a, const Tensor& b);
Tensor operator>>(const Tensor& a, const Scalar& b);

}  // namespace ember
