// The math of every elementwise op, defined once as a host/device functor named like its .def
// row. The CPU loops (backend/cpu), the CUDA kernels and the kernel-emulation test all call these.
// Functors see the "opmath" type: float for float16/bfloat16, the storage type otherwise.
// Signed integer arithmetic wraps (two's complement), as PyTorch's does, without UB.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <type_traits>

#include "ember/base/host_device.h"
#include "ember/elementwise/fast_math.h"
#include "ember/elementwise/special_math.h"

namespace ember::math {

template <typename T>
inline constexpr bool is_signed_int_v = std::is_integral_v<T>&& std::is_signed_v<T>;

template <typename T>
EMBER_INLINE T wrapping_add(T a, T b) {
  if constexpr (is_signed_int_v<T>) {
    using U = std::make_unsigned_t<T>;
    return static_cast<T>(static_cast<U>(static_cast<U>(a) + static_cast<U>(b)));
  } else {
    return static_cast<T>(a + b);
  }
}
template <typename T>
EMBER_INLINE T wrapping_sub(T a, T b) {
  if constexpr (is_signed_int_v<T>) {
    using U = std::make_unsigned_t<T>;
    return static_cast<T>(static_cast<U>(static_cast<U>(a) - static_cast<U>(b)));
  } else {
    return static_cast<T>(a - b);
  }
}
template <typename T>
EMBER_INLINE T wrapping_mul(T a, T b) {
  if constexpr (is_signed_int_v<T>) {
    using U = std::make_unsigned_t<T>;
    return static_cast<T>(static_cast<U>(static_cast<U>(a) * static_cast<U>(b)));
  } else if constexpr (std::is_same_v<T, bool>) {
    return a && b;
  } else {
    return static_cast<T>(a * b);
  }
}

// x < 0, without an always-false comparison for unsigned types.
template <typename T>
EMBER_INLINE bool is_negative(T x) {
  if constexpr (std::is_signed_v<T>)
    return x < T(0);
  else
    return false;
}

// ---------------------------------------------------------------- unary

// y = -x
struct Neg {
  template <typename T>
  EMBER_INLINE T operator()(T x) const {
    return wrapping_sub(T(0), x);
  }
};
// y = |x|
struct Abs {
  template <typename T>
  EMBER_INLINE T operator()(T x) const {
    if constexpr (std::is_floating_point_v<T>)
      return std::fabs(x);
    else if constexpr (std::is_unsigned_v<T>)
      return x;
    else
      return x < 0 ? wrapping_sub(T(0), x) : x;
  }
};
// y = (x > 0) - (x < 0); NaN gives 0 as in PyTorch
struct Sign {
  template <typename T>
  EMBER_INLINE T operator()(T x) const {
    return static_cast<T>((T(0) < x) - (x < T(0)));
  }
};
// y = e^x
struct Exp {
  EMBER_INLINE float operator()(float x) const { return fast_math::exp(x); }
  EMBER_INLINE double operator()(double x) const { return std::exp(x); }
};
// y = ln x
struct Log {
  EMBER_INLINE float operator()(float x) const { return fast_math::log(x); }
  EMBER_INLINE double operator()(double x) const { return std::log(x); }
};
// y = ln(1 + x)
struct Log1p {
  EMBER_INLINE float operator()(float x) const { return fast_math::log1p(x); }
  EMBER_INLINE double operator()(double x) const { return std::log1p(x); }
};
// y = e^x - 1
struct Expm1 {
  EMBER_INLINE float operator()(float x) const { return fast_math::expm1(x); }
  EMBER_INLINE double operator()(double x) const { return std::expm1(x); }
};
// y = sqrt(x)
struct Sqrt {
  template <typename T>
  EMBER_INLINE T operator()(T x) const {
    return std::sqrt(x);
  }
};
// y = 1 / sqrt(x)
struct Rsqrt {
  template <typename T>
  EMBER_INLINE T operator()(T x) const {
    return T(1) / std::sqrt(x);
  }
};
// y = sin x
struct Sin {
  EMBER_INLINE float operator()(float x) const { return fast_math::sin(x); }
  EMBER_INLINE double operator()(double x) const { return std::sin(x); }
};
// y = cos x
struct Cos {
  EMBER_INLINE float operator()(float x) const { return fast_math::cos(x); }
  EMBER_INLINE double operator()(double x) const { return std::cos(x); }
};
// y = tanh x
struct Tanh {
  EMBER_INLINE float operator()(float x) const { return fast_math::tanh(x); }
  EMBER_INLINE double operator()(double x) const { return std::tanh(x); }
};
// y = 1 / (1 + e^-x)
struct Sigmoid {
  EMBER_INLINE float operator()(float x) const { return fast_math::sigmoid(x); }
  EMBER_INLINE double operator()(double x) const { return 1.0 / (1.0 + std::exp(-x)); }
};
// y = max(x, 0), NaN kept
struct Relu {
  template <typename T>
  EMBER_INLINE T operator()(T x) const {
    return x < T(0) ? T(0) : x;
  }
};
// y = erf x
struct Erf {
  EMBER_INLINE float operator()(float x) const { return fast_math::erf(x); }
  EMBER_INLINE double operator()(double x) const { return std::erf(x); }
};
// y = floor x
struct Floor {
  template <typename T>
  EMBER_INLINE T operator()(T x) const {
    if constexpr (std::is_floating_point_v<T>)
      return std::floor(x);
    else
      return x;
  }
};
// y = ceil x
struct Ceil {
  template <typename T>
  EMBER_INLINE T operator()(T x) const {
    if constexpr (std::is_floating_point_v<T>)
      return std::ceil(x);
    else
      return x;
  }
};
// y = x rounded half to even (torch.round)
struct Round {
  template <typename T>
  EMBER_INLINE T operator()(T x) const {
    if constexpr (std::is_floating_point_v<T>)
      return std::nearbyint(x);
    else
      return x;
  }
};
// y = trunc x
struct Trunc {
  template <typename T>
  EMBER_INLINE T operator()(T x) const {
    if constexpr (std::is_floating_point_v<T>)
      return std::trunc(x);
    else
      return x;
  }
};
// y = 1 / x
struct Reciprocal {
  template <typename T>
  EMBER_INLINE T operator()(T x) const {
    return T(1) / x;
  }
};
// y = x * x
struct Square {
  template <typename T>
  EMBER_INLINE T operator()(T x) const {
    return wrapping_mul(x, x);
  }
};

// y = ~x (logical not for bool)
struct BitwiseNot {
  template <typename T>
  EMBER_INLINE T operator()(T x) const {
    if constexpr (std::is_same_v<T, bool>)
      return !x;
    else
      return static_cast<T>(~x);
  }
};

// y = tan x (and likewise the inverse trigonometric, hyperbolic, log2/log10/exp2 functors below:
// fast_math for float, libm for double)
struct Tan {
  EMBER_INLINE float operator()(float x) const { return fast_math::tan(x); }
  EMBER_INLINE double operator()(double x) const { return std::tan(x); }
};
struct Asin {
  EMBER_INLINE float operator()(float x) const { return fast_math::asin(x); }
  EMBER_INLINE double operator()(double x) const { return std::asin(x); }
};
struct Acos {
  EMBER_INLINE float operator()(float x) const { return fast_math::acos(x); }
  EMBER_INLINE double operator()(double x) const { return std::acos(x); }
};
struct Atan {
  EMBER_INLINE float operator()(float x) const { return fast_math::atan(x); }
  EMBER_INLINE double operator()(double x) const { return std::atan(x); }
};
struct Sinh {
  EMBER_INLINE float operator()(float x) const { return fast_math::sinh(x); }
  EMBER_INLINE double operator()(double x) const { return std::sinh(x); }
};
struct Cosh {
  EMBER_INLINE float operator()(float x) const { return fast_math::cosh(x); }
  EMBER_INLINE double operator()(double x) const { return std::cosh(x); }
};
struct Asinh {
  EMBER_INLINE float operator()(float x) const { return fast_math::asinh(x); }
  EMBER_INLINE double operator()(double x) const { return std::asinh(x); }
};
struct Acosh {
  EMBER_INLINE float operator()(float x) const { return fast_math::acosh(x); }
  EMBER_INLINE double operator()(double x) const { return std::acosh(x); }
};
struct Atanh {
  EMBER_INLINE float operator()(float x) const { return fast_math::atanh(x); }
  EMBER_INLINE double operator()(double x) const { return std::atanh(x); }
};
struct Log2 {
  EMBER_INLINE float operator()(float x) const { return fast_math::log2(x); }
  EMBER_INLINE double operator()(double x) const { return std::log2(x); }
};
struct Log10 {
  EMBER_INLINE float operator()(float x) const { return fast_math::log10(x); }
  EMBER_INLINE double operator()(double x) const { return std::log10(x); }
};
struct Exp2 {
  EMBER_INLINE float operator()(float x) const { return fast_math::exp2(x); }
  EMBER_INLINE double operator()(double x) const { return std::exp2(x); }
};
// y = 1 - erf x, accurate where erf x is close to 1
struct Erfc {
  template <typename T>
  EMBER_INLINE T operator()(T x) const {
    return std::erfc(x);
  }
};
// The special functions below compute in double for every floating type (special_math.h).
// y = erf^-1 x
struct Erfinv {
  template <typename T>
  EMBER_INLINE T operator()(T x) const {
    return static_cast<T>(special::erfinv(x));
  }
};
// y = ln |Gamma(x)|
struct Lgamma {
  template <typename T>
  EMBER_INLINE T operator()(T x) const {
    return static_cast<T>(std::lgamma(static_cast<double>(x)));
  }
};
// y = psi(x) = d/dx ln Gamma(x)
struct Digamma {
  template <typename T>
  EMBER_INLINE T operator()(T x) const {
    return static_cast<T>(special::digamma(x));
  }
};
// y = sin(pi x) / (pi x), 1 at 0; pi x in double, so that large float x are not rounded first
struct Sinc {
  template <typename T>
  EMBER_INLINE T operator()(T x) const {
    const double product = std::numbers::pi * static_cast<double>(x);
    return x == T(0) ? T(1) : static_cast<T>(std::sin(product) / product);
  }
};

// ---------------------------------------------------------------- binary

// y = a + b
struct Add {
  template <typename T>
  EMBER_INLINE T operator()(T a, T b) const {
    if constexpr (std::is_same_v<T, bool>)
      return a || b;
    else
      return wrapping_add(a, b);
  }
};
// y = a - b
struct Sub {
  template <typename T>
  EMBER_INLINE T operator()(T a, T b) const {
    return wrapping_sub(a, b);
  }
};
// y = a * b
struct Mul {
  template <typename T>
  EMBER_INLINE T operator()(T a, T b) const {
    return wrapping_mul(a, b);
  }
};
// y = a / b (floating point only: integers are promoted first)
struct Div {
  template <typename T>
  EMBER_INLINE T operator()(T a, T b) const {
    return a / b;
  }
};
// y = trunc(a / b); integer division by zero is rejected before the kernel runs
struct DivTrunc {
  template <typename T>
  EMBER_INLINE T operator()(T a, T b) const {
    if constexpr (std::is_floating_point_v<T>)
      return std::trunc(a / b);
    else if constexpr (is_signed_int_v<T>)
      return b == T(-1) ? wrapping_sub(T(0), a) : T(a / b);
    else
      return static_cast<T>(a / b);
  }
};
// y = floor(a / b), computed from fmod so that exact quotients are not lost to rounding
struct FloorDivide {
  template <typename T>
  EMBER_INLINE T operator()(T a, T b) const {
    if constexpr (std::is_floating_point_v<T>) {
      if (b == T(0)) return a / b;
      const T mod = std::fmod(a, b);
      T quotient = (a - mod) / b;
      if (mod != T(0) && ((b < T(0)) != (mod < T(0)))) quotient -= T(1);
      if (quotient == T(0)) return std::copysign(T(0), a / b);
      const T floored = std::floor(quotient);
      return quotient - floored > T(0.5) ? floored + T(1) : floored;
    } else if constexpr (is_signed_int_v<T>) {
      if (b == T(-1)) return wrapping_sub(T(0), a);
      const T quotient = static_cast<T>(a / b);
      return (a % b != 0 && ((a < 0) != (b < 0))) ? T(quotient - 1) : quotient;
    } else {
      return static_cast<T>(a / b);
    }
  }
};
// y = a - floor(a / b) * b: the result takes the divisor's sign (Python's %)
struct Remainder {
  template <typename T>
  EMBER_INLINE T operator()(T a, T b) const {
    if constexpr (std::is_floating_point_v<T>) {
      T mod = std::fmod(a, b);
      if (mod != T(0) && ((b < T(0)) != (mod < T(0)))) mod += b;
      return mod;
    } else if constexpr (is_signed_int_v<T>) {
      if (b == T(-1)) return T(0);
      T mod = static_cast<T>(a % b);
      if (mod != 0 && ((b < 0) != (mod < 0))) mod = static_cast<T>(mod + b);
      return mod;
    } else {
      return static_cast<T>(a % b);
    }
  }
};
// y = a ^ b; integer powers by squaring, negative integer exponents give 0 unless |a| == 1
struct Pow {
  template <typename T>
  EMBER_INLINE T operator()(T a, T b) const {
    if constexpr (std::is_floating_point_v<T>) {
      return std::pow(a, b);
    } else {
      if constexpr (std::is_signed_v<T>) {
        if (b < 0) return a == T(1) ? T(1) : (a == T(-1) ? T((b & 1) ? -1 : 1) : T(0));
      }
      T result = 1, base = a;
      for (T exponent = b; exponent != 0; exponent = static_cast<T>(exponent >> 1)) {
        if (exponent & 1) result = wrapping_mul(result, base);
        base = wrapping_mul(base, base);
      }
      return result;
    }
  }
};
// y = max(a, b), NaN if either is NaN
struct Maximum {
  template <typename T>
  EMBER_INLINE T operator()(T a, T b) const {
    return (a > b || a != a) ? a : b;
  }
};
// y = min(a, b), NaN if either is NaN
struct Minimum {
  template <typename T>
  EMBER_INLINE T operator()(T a, T b) const {
    return (a < b || a != a) ? a : b;
  }
};
// y = a == b (and likewise for the other comparisons)
struct Eq {
  template <typename T>
  EMBER_INLINE bool operator()(T a, T b) const {
    return a == b;
  }
};
struct Ne {
  template <typename T>
  EMBER_INLINE bool operator()(T a, T b) const {
    return a != b;
  }
};
struct Lt {
  template <typename T>
  EMBER_INLINE bool operator()(T a, T b) const {
    return a < b;
  }
};
struct Le {
  template <typename T>
  EMBER_INLINE bool operator()(T a, T b) const {
    return a <= b;
  }
};
struct Gt {
  template <typename T>
  EMBER_INLINE bool operator()(T a, T b) const {
    return a > b;
  }
};
struct Ge {
  template <typename T>
  EMBER_INLINE bool operator()(T a, T b) const {
    return a >= b;
  }
};
// y = bool(a) and bool(b) (and likewise or, xor)
struct LogicalAnd {
  template <typename T>
  EMBER_INLINE bool operator()(T a, T b) const {
    return (a != T(0)) && (b != T(0));
  }
};
struct LogicalOr {
  template <typename T>
  EMBER_INLINE bool operator()(T a, T b) const {
    return (a != T(0)) || (b != T(0));
  }
};
struct LogicalXor {
  template <typename T>
  EMBER_INLINE bool operator()(T a, T b) const {
    return (a != T(0)) != (b != T(0));
  }
};

// y = a & b (and likewise or, xor); for bool these are the logical operations
struct BitwiseAnd {
  template <typename T>
  EMBER_INLINE T operator()(T a, T b) const {
    return static_cast<T>(a & b);
  }
};
struct BitwiseOr {
  template <typename T>
  EMBER_INLINE T operator()(T a, T b) const {
    return static_cast<T>(a | b);
  }
};
struct BitwiseXor {
  template <typename T>
  EMBER_INLINE T operator()(T a, T b) const {
    return static_cast<T>(a ^ b);
  }
};
// y = a << b, bits shifted out are lost. A shift by a negative amount or by at least the width
// of T gives 0 (PyTorch 2's definition; C++ leaves it undefined).
struct BitwiseLeftShift {
  template <typename T>
  EMBER_INLINE T operator()(T a, T b) const {
    using U = std::make_unsigned_t<T>;
    if (is_negative(b) || b >= static_cast<T>(8 * sizeof(T))) return T(0);
    return static_cast<T>(static_cast<U>(static_cast<U>(a) << b));
  }
};
// y = a >> b, arithmetic for signed types. A shift by a negative amount or by at least the
// width of T fills with the sign bit (0 or -1), as PyTorch 2 defines it.
struct BitwiseRightShift {
  template <typename T>
  EMBER_INLINE T operator()(T a, T b) const {
    if (is_negative(b) || b >= static_cast<T>(8 * sizeof(T))) return is_negative(a) ? T(-1) : T(0);
    return static_cast<T>(a >> b);
  }
};

// y = atan(a / b) in the quadrant of (b, a)
struct Atan2 {
  EMBER_INLINE float operator()(float a, float b) const { return fast_math::atan2(a, b); }
  EMBER_INLINE double operator()(double a, double b) const { return std::atan2(a, b); }
};
// y = sqrt(a^2 + b^2) without intermediate overflow
struct Hypot {
  template <typename T>
  EMBER_INLINE T operator()(T a, T b) const {
    return std::hypot(a, b);
  }
};
// y = |a| with the sign of b
struct Copysign {
  template <typename T>
  EMBER_INLINE T operator()(T a, T b) const {
    return std::copysign(a, b);
  }
};
// y = a - trunc(a / b) * b: the result takes the dividend's sign (C's fmod); integer division by
// zero is rejected before the kernel runs
struct Fmod {
  template <typename T>
  EMBER_INLINE T operator()(T a, T b) const {
    if constexpr (std::is_floating_point_v<T>)
      return std::fmod(a, b);
    else if constexpr (is_signed_int_v<T>)
      return b == T(-1) ? T(0) : static_cast<T>(a % b);
    else
      return static_cast<T>(a % b);
  }
};
// y = ln(e^a + e^b) = max + log1p(e^-|a - b|); equal arguments (two infinities too) give a + ln 2
struct Logaddexp {
  EMBER_INLINE float operator()(float a, float b) const {
    const float larger = fast_math::detail::select(a > b, a, b);
    const float result = larger + fast_math::log1p(fast_math::exp(-fast_math::detail::abs(a - b)));
    return fast_math::detail::select(a == b, a + 0.693147181f, result);
  }
  EMBER_INLINE double operator()(double a, double b) const {
    if (a == b) return a + std::numbers::ln2;
    return std::max(a, b) + std::log1p(std::exp(-std::fabs(a - b)));
  }
};
// y = log2(2^a + 2^b) = max + log1p(2^-|a - b|) / ln 2; equal arguments give a + 1
struct Logaddexp2 {
  EMBER_INLINE float operator()(float a, float b) const {
    const float larger = fast_math::detail::select(a > b, a, b);
    const float tail = fast_math::log1p(fast_math::exp2(-fast_math::detail::abs(a - b)));
    return fast_math::detail::select(a == b, a + 1.0f, larger + tail * 1.44269504f);
  }
  EMBER_INLINE double operator()(double a, double b) const {
    if (a == b) return a + 1.0;
    return std::max(a, b) + std::log1p(std::exp2(-std::fabs(a - b))) / std::numbers::ln2;
  }
};
// y = a ln b, 0 where a == 0 unless b is NaN
struct Xlogy {
  template <typename T>
  EMBER_INLINE T operator()(T a, T b) const {
    if (b != b) return b;
    return a == T(0) ? T(0) : a * Log()(b);
  }
};
// y = b where a == 0, else (a > 0)
struct Heaviside {
  template <typename T>
  EMBER_INLINE T operator()(T a, T b) const {
    return a == T(0) ? b : static_cast<T>(a > T(0));
  }
};
// |a| and |b| as unsigned magnitudes, so that the minimum of a signed type has one
template <typename T>
EMBER_INLINE std::make_unsigned_t<T> magnitude(T x) {
  using U = std::make_unsigned_t<T>;
  return is_negative(x) ? static_cast<U>(U(0) - static_cast<U>(x)) : static_cast<U>(x);
}
template <typename U>
EMBER_INLINE U gcd_of_magnitudes(U a, U b) {
  while (a != 0) {
    const U next = static_cast<U>(b % a);
    b = a;
    a = next;
  }
  return b;
}
// y = the greatest common divisor of |a| and |b| (0 for two zeros)
struct Gcd {
  template <typename T>
  EMBER_INLINE T operator()(T a, T b) const {
    return static_cast<T>(gcd_of_magnitudes(magnitude(a), magnitude(b)));
  }
};
// y = the least common multiple of |a| and |b| (0 if either is 0), wrapping as PyTorch's does
struct Lcm {
  template <typename T>
  EMBER_INLINE T operator()(T a, T b) const {
    using U = std::make_unsigned_t<T>;
    const U g = gcd_of_magnitudes(magnitude(a), magnitude(b));
    return g == 0 ? T(0) : static_cast<T>(static_cast<U>(magnitude(a) / g * magnitude(b)));
  }
};
// y = polygamma(n, a) for the order n = b, a non-negative integer (checked by polygamma)
struct Polygamma {
  template <typename T>
  EMBER_INLINE T operator()(T a, T b) const {
    return static_cast<T>(special::polygamma(b, a));
  }
};
// y = I_n(a), the modified Bessel function of the first kind, for the order n = b in {0, 1, ...}
struct ModifiedBesselI {
  template <typename T>
  EMBER_INLINE T operator()(T a, T b) const {
    return static_cast<T>(special::modified_bessel_i(b, a));
  }
};

}  // namespace ember::math
