// Scalar special functions for the elementwise functors in math.h that libm lacks: digamma,
// trigamma, the Hurwitz zeta function (for polygamma), the inverse error function and the modified
// Bessel functions of the first kind. They are rare enough in models that they are computed in
// float64 for every floating type (float results are rounded once), as plain scalar code. The
// algorithms are Cephes' and PyTorch's (aten/src/ATen/native/Math.h), so results agree with both.
#pragma once

#include <cmath>
#include <limits>
#include <numbers>

#include "ember/base/host_device.h"

namespace ember::special {

// psi(x) = d/dx ln Gamma(x). Poles at 0 and the negative integers: psi(+-0) = -+inf (PyTorch's
// choice), psi(-n) = NaN.
EMBER_INLINE double digamma(double x) {
  constexpr double kPsi10 = 2.25175258906672110764;
  if (x == 0) return std::copysign(std::numeric_limits<double>::infinity(), -x);
  double result = 0;
  if (x < 0) {
    if (x == std::trunc(x)) return std::numeric_limits<double>::quiet_NaN();
    // Reflection: psi(x) = psi(1 - x) - pi / tan(pi x), with x's fraction for an exact pi x.
    double integral;
    const double fraction = std::modf(x, &integral);
    result = -std::numbers::pi / std::tan(std::numbers::pi * fraction);
    x = 1 - x;
  }
  while (x < 10) {
    result -= 1 / x;
    x += 1;
  }
  if (x == 10) return result + kPsi10;
  // The asymptotic series in 1 / x^2.
  constexpr double kA[] = {8.33333333333333333333E-2, -2.10927960927960927961E-2,
                           7.57575757575757575758E-3, -4.16666666666666666667E-3,
                           3.96825396825396825397E-3, -8.33333333333333333333E-3,
                           8.33333333333333333333E-2};
  double series = 0;
  if (x < 1.0e17) {
    const double z = 1 / (x * x);
    double p = 0;
    for (double a : kA) p = p * z + a;
    series = z * p;
  }
  return result + std::log(x) - 0.5 / x - series;
}

// psi'(x), by recurrence to x >= 6 and the asymptotic series (reflection below 1/2).
EMBER_INLINE double trigamma(double x) {
  // Poles at 0 and the negative integers (-inf included, as scipy's zeta(2, -inf)).
  if (x <= 0 && x == std::floor(x)) return std::numeric_limits<double>::infinity();
  double sign = 1, result = 0;
  if (x < 0.5) {
    sign = -1;
    const double sin_pi_x = std::sin(std::numbers::pi * x);
    result -= std::numbers::pi * std::numbers::pi / (sin_pi_x * sin_pi_x);
    x = 1 - x;
  }
  for (int i = 0; i < 6; ++i) {
    result += 1 / (x * x);
    x += 1;
  }
  const double ixx = 1 / (x * x);
  result += (1 + 1 / (2 * x) + ixx * (1. / 6 - ixx * (1. / 30 - ixx * (1. / 42)))) / x;
  return sign * result;
}

// The Hurwitz zeta function sum_k (k + q)^-x (Cephes' zeta: direct sum, then Euler-Maclaurin).
EMBER_INLINE double zeta(double x, double q) {
  constexpr double kMachEp = 1.11022302462515654042E-16;
  constexpr double kA[] = {12.0,
                           -720.0,
                           30240.0,
                           -1209600.0,
                           47900160.0,
                           -1.8924375803183791606e9,
                           7.47242496e10,
                           -2.950130727918164224e12,
                           1.1646782814350067249e14,
                           -4.5979787224074726105e15,
                           1.8152105401943546773e17,
                           -7.1661652561756670113e18};
  if (x == 1) return std::numeric_limits<double>::infinity();
  if (x < 1) return std::numeric_limits<double>::quiet_NaN();
  if (q == std::numeric_limits<double>::infinity()) return 0.0;
  if (q <= 0) {
    if (q == std::floor(q)) return std::numeric_limits<double>::infinity();
    if (x != std::floor(x)) return std::numeric_limits<double>::quiet_NaN();
  }
  double s = std::pow(q, -x), a = q, b = 0;
  int i = 0;
  while (i < 9 || a <= 9.0) {
    i += 1;
    a += 1.0;
    b = std::pow(a, -x);
    s += b;
    if (-kMachEp * s < b && b < kMachEp * s) return s;
  }
  const double w = a;
  s += b * w / (x - 1);
  s -= 0.5 * b;
  a = 1.0;
  double k = 0.0;
  for (double coefficient : kA) {
    a *= x + k;
    b /= w;
    const double t = a * b / coefficient;
    s += t;
    if (std::fabs(t / s) < kMachEp) return s;
    k += 1.0;
    a *= x + k;
    b /= w;
    k += 1.0;
  }
  return s;
}

// The n-th derivative of digamma, n >= 0: (-1)^(n+1) n! zeta(n + 1, x) beyond digamma.
EMBER_INLINE double polygamma(double n, double x) {
  if (n == 0) return digamma(x);
  // zeta(2, x) is accurate to the last digits where trigamma's series gives about 1e-9.
  if (n == 1) return x > 0 ? zeta(2.0, x) : trigamma(x);
  const double sign = std::fmod(n, 2.0) == 1.0 ? 1.0 : -1.0;
  return sign * std::exp(std::lgamma(n + 1.0)) * zeta(n + 1.0, x);
}

// erf^-1(y): a rational first guess (Giles-style, as PyTorch's) refined by two Newton steps.
EMBER_INLINE double erfinv(double y) {
  const double y_abs = std::fabs(y);
  if (y_abs > 1.0) return std::numeric_limits<double>::quiet_NaN();
  if (y_abs == 1.0) return std::copysign(std::numeric_limits<double>::infinity(), y);
  constexpr double a[] = {0.886226899, -1.645349621, 0.914624893, -0.140543331};
  constexpr double b[] = {-2.118377725, 1.442710462, -0.329097515, 0.012229801};
  constexpr double c[] = {-1.970840454, -1.624906493, 3.429567803, 1.641345311};
  constexpr double d[] = {3.543889200, 1.637067800};
  double x;
  if (y_abs <= 0.7) {
    const double z = y * y;
    const double num = ((a[3] * z + a[2]) * z + a[1]) * z + a[0];
    const double den = (((b[3] * z + b[2]) * z + b[1]) * z + b[0]) * z + 1.0;
    x = y * num / den;
  } else {
    const double z = std::sqrt(-std::log((1.0 - y_abs) / 2.0));
    const double num = ((c[3] * z + c[2]) * z + c[1]) * z + c[0];
    const double den = (d[1] * z + d[0]) * z + 1.0;
    x = std::copysign(num / den, y);
  }
  const double two_over_sqrt_pi = 2.0 / std::sqrt(std::numbers::pi);
  for (int step = 0; step < 2; ++step) {
    x -= (std::erf(x) - y) / (two_over_sqrt_pi * std::exp(-x * x));
  }
  return x;
}

// I_n(x) for an integer order n >= 0: I_n is even in x for even n and odd for odd n, and the
// library function takes x >= 0 only. Beyond its range (|x| > 713) I_n overflows to inf.
inline double modified_bessel_i(double n, double x) {
  if (std::isnan(x)) return x;
  // The library function returns NaN for subnormal x; there I_n(x) = (x/2)^n / n! to all digits.
  if (std::fabs(x) < 1e-100) return n == 0 ? 1.0 : (n == 1 ? x / 2 : 0.0);
  const double magnitude = std::fabs(x) > 713.0 ? std::numeric_limits<double>::infinity()
                                                : std::cyl_bessel_i(n, std::fabs(x));
  return (x < 0 && std::fmod(n, 2.0) == 1.0) ? -magnitude : magnitude;
}

}  // namespace ember::special
