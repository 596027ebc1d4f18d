// Branch-free float32 transcendental functions shared by the CPU SIMD loops and CUDA kernels.
// They are plain scalar code on purpose: selects instead of branches, integer bit tricks instead of
// libm calls, so GCC auto-vectorizes a loop that calls them (AVX-512, AVX2, SSE2) and nvcc compiles
// the very same definitions for the device.
//
// Accuracy is stated per function as the max error against float64 libm rounded to float, found by
// checking all 2^32 inputs once (AVX-512 and generic x86-64 builds); fast_math_test.cpp keeps
// checking a sample of them plus the IEEE special values. Polynomial coefficients are Cephes
// minimax fits unless a comment says they were fitted for ember.
#pragma once

#include <cmath>
#include <cstdint>

#include "ember/base/half.h"

namespace ember::fast_math {

namespace detail {

using ember::detail::bits_float;
using ember::detail::float_bits;

EMBER_INLINE float infinity() { return bits_float(0x7f800000u); }
EMBER_INLINE float quiet_nan() { return bits_float(0x7fc00000u); }
EMBER_INLINE float abs(float x) { return bits_float(float_bits(x) & 0x7fffffffu); }

// condition ? a : b, with both sides always computed. Given a plain ?:, GCC sinks the computation
// of each side into its own conditional block, and under -ftrapping-math (the default) it then
// cannot if-convert them back, so the loop stays scalar.
EMBER_INLINE float select(bool condition, float a, float b) {
  const uint32_t mask = 0u - static_cast<uint32_t>(condition);
  return bits_float((float_bits(a) & mask) | (float_bits(b) & ~mask));
}

EMBER_INLINE uint32_t select(bool condition, uint32_t a, uint32_t b) {
  const uint32_t mask = 0u - static_cast<uint32_t>(condition);
  return (a & mask) | (b & ~mask);
}

// x limited to [lo, hi]; NaN passes through. Built on select, as a plain ?: (or min/max) lets GCC
// fold the whole function for the constant bounds into branches of their own.
EMBER_INLINE float clamp(float x, float lo, float hi) {
  return select(x < lo, lo, select(x > hi, hi, x));
}

// 2^n for n in [-126, 127], built directly from the exponent field.
EMBER_INLINE float pow2i(int32_t n) { return bits_float(static_cast<uint32_t>(n + 127) << 23); }

struct ExpReduced {
  float r;
  uint32_t biased;  // n + 254 in the low 9 bits, under bits that a shift left by 23 drops
};

// x = n ln2 + r with |r| <= ln2/2, for x in [-104, 89]. Adding 1.5 * 2^23 + 254 rounds x/ln2 to an
// integer and leaves n + 254 in the low mantissa bits, so no float-to-int conversion (undefined
// for NaN in C++) is needed. ln2 is split Cody-Waite style: n * kLn2Hi is exact for |n| < 2^15.
EMBER_INLINE ExpReduced exp_reduce(float x) {
  constexpr float kShifter = 0x1.8p23f + 254.0f;
  constexpr float kLn2Hi = 0.693359375f;
  constexpr float kLn2Lo = -2.12194440e-4f;
  const float shifted = x * 1.44269504f + kShifter;
  const float n = shifted - kShifter;
  const float r = (x - n * kLn2Hi) - n * kLn2Lo;
  return {r, float_bits(shifted)};
}

// expm1(r) - r for |r| <= ln2/2; expm1(r) has relative error 1.8e-8. Coefficients fitted for
// ember (near-minimax, Lawson): one degree lower than Cephes', which matters in the loops that are
// compute-bound.
EMBER_INLINE float expm1_tail(float r) {
  float p = 1.38822675e-3f;
  p = p * r + 8.36785417e-3f;
  p = p * r + 4.16672453e-2f;
  p = p * r + 1.66665331e-1f;
  p = p * r + 4.99999970e-1f;
  return r * r * p;
}

// e^x for x in [-104, 89] (or NaN), where 2^n stays within two-step scaling.
EMBER_INLINE float exp_in_range(float x) {
  const auto [r, biased] = exp_reduce(x);
  // 2^n as 2^(k1 - 127) 2^(k2 - 127) with k1 + k2 = n + 254 and both in [52, 191]: each factor is
  // a normal float, so subnormal results are rounded once, by the second. Shifting the exponent
  // fields into place drops the shifter's upper bits.
  const uint32_t k1 = biased >> 1;
  const float scale1 = bits_float(k1 << 23);
  const float scale2 = bits_float((biased - k1) << 23);
  return ((r + expm1_tail(r)) * scale1 + scale1) * scale2;
}

// e^x for x <= 89 (or NaN). Below -104 the result is 0; it is computed from a stand-in argument
// so that no multiplication underflows: on x86 each underflowing result costs a microcode assist of
// over 100 cycles, and arguments far below -104 are common (masked softmax, saturated sigmoid).
// Results that are subnormal, for x in (-104, -87.3), still take the assist.
EMBER_INLINE float exp_up_to_89(float x) {
  const bool zero = x < -104.0f;
  return select(zero, 0.0f, exp_in_range(select(zero, 0.0f, x)));
}

// 1/d for d in [1, 2^27] within about 1 ulp: a bit-trick first guess (at most 12% off) refined by
// three Newton steps. Cheaper than a vector division, which costs as much as ~14 FMAs.
EMBER_INLINE float reciprocal(float d) {
  float y = bits_float(0x7ef311c3u - float_bits(d));
  for (int step = 0; step < 3; ++step) y = y * (1.0f - d * y) + y;
  return y;
}

// log(m * 2^(e + exponent_offset)) + tail for the bits of a positive, finite, normal float. The
// mantissa is taken in [sqrt(1/2), sqrt(2)) so that f = m - 1 is small and exact; tail is a
// correction far below f that joins the small terms before the final roundings.
EMBER_INLINE float log_normal(uint32_t bits, float exponent_offset, float tail) {
  constexpr float kLn2Hi = 0.693359375f;
  constexpr float kLn2Lo = -2.12194440e-4f;
  const int32_t e = static_cast<int32_t>(bits - 0x3f3504f3u) >> 23;
  const float f = bits_float(bits - (static_cast<uint32_t>(e) << 23)) - 1.0f;
  const float exponent = static_cast<float>(e) + exponent_offset;
  const float z = f * f;
  float p = 7.0376836292e-2f;
  p = p * f - 1.1514610310e-1f;
  p = p * f + 1.1676998740e-1f;
  p = p * f - 1.2420140846e-1f;
  p = p * f + 1.4249322787e-1f;
  p = p * f - 1.6668057665e-1f;
  p = p * f + 2.0000714765e-1f;
  p = p * f - 2.4999993993e-1f;
  p = p * f + 3.3333331174e-1f;
  const float small = f * z * p - 0.5f * z + (exponent * kLn2Lo + tail);
  return (f + small) + exponent * kLn2Hi;
}

struct TrigReduced {
  float r;
  float r_tail;  // r rounded to float misses this much; it would cost sin and cos an extra ulp
  uint32_t quadrant;
};

// The high word of hi:lo shifted left by `shift` (< 32): one word of an unaligned bit window. Kept
// in 32-bit lanes; lo is shifted in two steps because a shift by 32 is undefined.
EMBER_INLINE uint32_t funnel_word(uint32_t hi, uint32_t lo, uint32_t shift) {
  return (hi << shift) | ((lo >> 1) >> (31u - shift));
}

// The entry at `index` (at most 4) of {w0, ..., w4}. Selects instead of an array load: GCC emulates
// a vector gather with scalar inserts, which would cost more than this.
EMBER_INLINE uint32_t pick(uint32_t index, uint32_t w0, uint32_t w1, uint32_t w2, uint32_t w3,
                           uint32_t w4) {
  return select(index >= 4u, w4,
                select(index >= 3u, w3, select(index >= 2u, w2, select(index >= 1u, w1, w0))));
}

// |x| = (quadrant + 4k) pi/2 + r with |r| <= pi/4, for every finite float (Payne-Hanek), so that
// sin and cos stay accurate for huge arguments too. For x = m 2^e (m a 24-bit integer) the bits of
// 2/pi at weights 2^(1-e) .. 2^(-94-e) decide x 2/pi mod 4 to 2^-70: earlier bits only add
// multiples of 4, later ones add less than m 2^-94. That 96-bit window W is cut out of the bits
// of 2/pi and m W mod 2^96 is formed from three 32x32-bit products.
EMBER_INLINE TrigReduced trig_reduce(uint32_t abs_bits) {
  // 2/pi = 0.a2f9836e 4e441529 ... (hex), after a zero word for the bits before the binary
  // point, where the window starts when |x| < 2^26.
  constexpr uint32_t k0 = 0x00000000u, k1 = 0xa2f9836eu, k2 = 0x4e441529u, k3 = 0xfc2757d1u,
                     k4 = 0xf534ddc0u, k5 = 0xdb629599u, k6 = 0x3c439041u, k7 = 0xfe5163abu;
  // Below 1/2 the reduction is done for 1/2 instead, which gives quadrant 0 as every |x| < pi/4
  // needs, and keeps the window inside the table; r is then |x| itself.
  const uint32_t bits = abs_bits < 0x3f000000u ? 0x3f000000u : abs_bits;
  const uint32_t mantissa = (bits & 0x7fffffu) | 0x800000u;
  const uint32_t start = (bits >> 23) - 120u;  // e + 30, with x = mantissa 2^e
  const uint32_t word = start >> 5;            // at most 4
  const uint32_t shift = start & 31u;
  const uint32_t t0 = pick(word, k0, k1, k2, k3, k4);
  const uint32_t t1 = pick(word, k1, k2, k3, k4, k5);
  const uint32_t t2 = pick(word, k2, k3, k4, k5, k6);
  const uint32_t t3 = pick(word, k3, k4, k5, k6, k7);
  // Only the low half of m W0 matters: the rest is a multiple of 2^96.
  const uint32_t p0 = mantissa * funnel_word(t0, t1, shift);
  const uint64_t p1 = static_cast<uint64_t>(mantissa) * funnel_word(t1, t2, shift);
  const uint64_t p2 = static_cast<uint64_t>(mantissa) * funnel_word(t2, t3, shift);
  // Bits 32..95 of m W: 2 integer bits (the quadrant mod 4) and 62 fraction bits.
  const uint64_t top = (static_cast<uint64_t>(p0) << 32) + p1 + (p2 >> 32);
  const uint64_t quadrant = (top + (uint64_t{1} << 61)) >> 62;
  // The fraction in [-1/2, 1/2) quadrants, as a two's complement multiple of 2^-62, converted in
  // float64 in two halves (int64 -> double does not vectorize without AVX-512DQ).
  const uint64_t fraction = top - (quadrant << 62);
  const int32_t fraction_hi = static_cast<int32_t>(static_cast<uint32_t>(fraction >> 32));
  const int32_t fraction_lo = static_cast<int32_t>(static_cast<uint32_t>(fraction) >> 1);
  const double r = static_cast<double>(fraction_hi) * 0x1.921fb54442d18p-30 +
                   static_cast<double>(fraction_lo) * 0x1.921fb54442d18p-61;
  const float r_head = static_cast<float>(r);
  const float r_tail = static_cast<float>(r - static_cast<double>(r_head));
  const float x = bits_float(abs_bits);
  const bool small = x < 0.785398f;
  return {select(small, x, r_head), select(small, 0.0f, r_tail), static_cast<uint32_t>(quadrant)};
}

// sin(r + r_tail + quadrant pi/2) for |r| <= pi/4 and |r_tail| <= ulp(r) / 2.
EMBER_INLINE float sin_quadrant(float r, float r_tail, uint32_t quadrant) {
  const float z = r * r;
  float s = -1.9515295891e-4f;
  s = s * z + 8.3321608736e-3f;
  s = s * z - 1.6666654611e-1f;
  const float sin_r = r + (r * z * s + r_tail);
  float c = 2.443315711809948e-5f;
  c = c * z - 1.388731625493765e-3f;
  c = c * z + 4.166664568298827e-2f;
  const float cos_r = 1.0f - 0.5f * z + (z * z * c - r * r_tail);
  const float value = select((quadrant & 1u) != 0u, cos_r, sin_r);
  return bits_float(float_bits(value) ^ ((quadrant & 2u) << 30));
}

// 2^k1 2^k2 (e^r) for exp_reduce-style parts: `biased` holds n + 254 in its low 9 bits, with n in
// [-150, 128]; see exp_in_range.
EMBER_INLINE float scale_by_biased(float r, uint32_t biased) {
  const uint32_t k1 = biased >> 1;
  const float scale1 = bits_float(k1 << 23);
  const float scale2 = bits_float((biased - k1) << 23);
  return ((r + expm1_tail(r)) * scale1 + scale1) * scale2;
}

// e^a / 2 for a in [0, 89.5] (or NaN), where e^a itself may already exceed the float range: the
// halving is folded into the power of two.
EMBER_INLINE float half_exp(float a) {
  const auto [r, biased] = exp_reduce(a);
  return scale_by_biased(r, biased - 1u);
}

// The mantissa m in [sqrt(1/2), sqrt(2)) and exponent e of a positive, finite, normal float's bits
// (x = m 2^e), as log_normal splits them; log2/log10 scale ln m and add e on their own.
struct LogParts {
  float ln_m;
  float e;
};
EMBER_INLINE LogParts log_parts(float x) {
  const bool subnormal = x < 0x1p-126f;
  const uint32_t bits = float_bits(select(subnormal, x * 0x1p23f, x));
  const int32_t e = static_cast<int32_t>(bits - 0x3f3504f3u) >> 23;
  const uint32_t m_bits = bits - (static_cast<uint32_t>(e) << 23);
  return {log_normal(m_bits, 0.0f, 0.0f), static_cast<float>(e) - (subnormal ? 23.0f : 0.0f)};
}

// log's special values around a finite result: log(0) = -inf, log(inf) = inf, log(x < 0) = NaN.
EMBER_INLINE float log_special(float x, float result) {
  result = select(x == infinity(), x, result);
  result = select(x == 0.0f, -infinity(), result);
  return select(x >= 0.0f, result, quiet_nan());
}

// atan(a) for a >= 0 (or NaN), Cephes' atanf: a > tan(3pi/8) uses pi/2 + atan(-1/a), a >
// tan(pi/8) uses pi/4 + atan((a-1)/(a+1)); one division serves all three ranges. The constants
// pi/2, pi/4 are split in two so that their rounding does not add an ulp.
EMBER_INLINE float atan_nonnegative(float a) {
  const bool big = a > 2.414213562373095f;
  const bool mid = a > 0.4142135623730950f;
  const float u =
      select(big, -1.0f, select(mid, a - 1.0f, a)) / select(big, a, select(mid, a + 1.0f, 1.0f));
  const float base = select(big, 1.57079637f, select(mid, 0.785398185f, 0.0f));
  const float base_lo = select(big, -4.37113883e-8f, select(mid, -2.18556941e-8f, 0.0f));
  const float z = u * u;
  float p = 8.05374449538e-2f;
  p = p * z - 1.38776856032e-1f;
  p = p * z + 1.99777106478e-1f;
  p = p * z - 3.33329491539e-1f;
  return base + (u + (u * z * p + base_lo));
}

// asin(s) for |s| <= 1/2 given z = s * s (Cephes' asinf polynomial; also used on sqrt((1 - a)/2)).
EMBER_INLINE float asin_small(float s, float z) {
  float p = 4.2163199048e-2f;
  p = p * z + 2.4181311049e-2f;
  p = p * z + 4.5470025998e-2f;
  p = p * z + 7.4953002686e-2f;
  p = p * z + 1.6666752422e-1f;
  return s + s * z * p;
}

// value with its sign flipped when `sign` (a float's sign bit, in place) is set.
EMBER_INLINE float xor_sign(float value, uint32_t sign) {
  return bits_float(float_bits(value) ^ sign);
}

}  // namespace detail

// e^x. Max error 1 ulp; overflows to inf above 88.7228, rounds into subnormals below -87.34.
EMBER_INLINE float exp(float x) {
  // Above 89 the result is already inf.
  return detail::exp_up_to_89(detail::select(x > 89.0f, 89.0f, x));
}

// e^x - 1, accurate near 0. Max error 1 ulp.
EMBER_INLINE float expm1(float x) {
  // expm1 rounds to -1 below -17.4 and overflows above 88.73: clamping keeps n in [-44, 128].
  const auto [r, biased] = detail::exp_reduce(detail::clamp(x, -30.0f, 89.0f));
  const int32_t n = static_cast<int32_t>(biased & 0x1ffu) - 254;
  // (2^n - 1) + 2^n r + 2^n expm1_tail(r). The first two are added exactly, as a rounded sum and
  // its error (Fast2Sum: |2^n - 1| >= |2^n r| for n != 0, and for n = 0 the sum is r itself), so
  // the result is rounded about once. n = 128 is applied as 2^127 * 2 to stay representable.
  const int32_t n_low = n > 127 ? 127 : n;
  const float scale = detail::pow2i(n_low);
  const float scaled_r = scale * r;
  const float minus_one = scale - 1.0f;
  const float head = minus_one + scaled_r;
  const float head_error = scaled_r - (head - minus_one);
  const float result =
      (head + (head_error + scale * detail::expm1_tail(r))) * detail::pow2i(n - n_low);
  return detail::select(x == 0.0f, x, result);  // keeps the sign of -0
}

// Natural logarithm. Max error 1 ulp; log(0) = -inf, log(x < 0) = NaN.
EMBER_INLINE float log(float x) {
  // Subnormals are scaled by 2^23 into the normal range; the exponent offset undoes it.
  const bool subnormal = x < 0x1p-126f;
  const float scaled = detail::select(subnormal, x * 0x1p23f, x);
  float result = detail::log_normal(detail::float_bits(scaled), subnormal ? -23.0f : 0.0f, 0.0f);
  result = detail::select(x == detail::infinity(), x, result);
  result = detail::select(x == 0.0f, -detail::infinity(), result);
  return detail::select(x >= 0.0f, result, detail::quiet_nan());
}

// log(1 + x), accurate near 0. Max error 1 ulp.
EMBER_INLINE float log1p(float x) {
  const float u = 1.0f + x;
  // The rounding error of 1 + x, exact by Fast2Sum (the larger operand is subtracted first);
  // log1p(x) = log(u) + c/u to first order.
  const float c = detail::select(x > 1.0f, 1.0f - (u - x), x - (u - 1.0f));
  float result = detail::log_normal(detail::float_bits(u), 0.0f, c / u);
  result = detail::select(x == detail::infinity(), x, result);
  result = detail::select(x == -1.0f, -detail::infinity(), result);
  result = detail::select(x == 0.0f, x, result);  // keeps the sign of -0
  return detail::select(x >= -1.0f, result, detail::quiet_nan());
}

// Hyperbolic tangent. Max error 1 ulp (2 ulp in builds without FMA).
EMBER_INLINE float tanh(float x) {
  const uint32_t sign = detail::float_bits(x) & 0x80000000u;
  const float a = detail::bits_float(detail::float_bits(x) ^ sign);
  const float z = a * a;
  float p = -5.70498872745e-3f;
  p = p * z + 2.06390887954e-2f;
  p = p * z - 5.37397155531e-2f;
  p = p * z + 1.33314422036e-1f;
  p = p * z - 3.33332819422e-1f;
  const float small = a + a * z * p;
  // From |x| = 0.625 on, the subtracted term is below 0.45, so its error costs under half an ulp of
  // the result. Beyond 9.1, tanh rounds to 1; the clamp keeps e^2|x| + 1 within reciprocal's range.
  const float e = detail::exp_in_range(2.0f * detail::select(a > 9.1f, 9.1f, a));
  const float large = 1.0f - 2.0f * detail::reciprocal(e + 1.0f);
  return detail::bits_float(detail::float_bits(detail::select(a < 0.625f, small, large)) | sign);
}

// Logistic function 1 / (1 + e^-x). Max error 2 ulp.
EMBER_INLINE float sigmoid(float x) {
  // e^-|x| never overflows; for x < 0 the form e^x / (1 + e^x) keeps tiny results accurate down
  // into the subnormals instead of flushing to 0.
  const float e = detail::exp_up_to_89(-detail::abs(x));
  return detail::select(x >= 0.0f, 1.0f, e) / (1.0f + e);
}

// Error function. Max error 1 ulp. Coefficients were fitted for ember (near-minimax, Lawson).
EMBER_INLINE float erf(float x) {
  const uint32_t sign = detail::float_bits(x) & 0x80000000u;
  const float a = detail::bits_float(detail::float_bits(x) ^ sign);
  // |x| < 0.9: erf(x) / x - 1 as a polynomial in x^2 (relative error 1.2e-8); adding x last keeps
  // the rounding of the leading coefficient 2/sqrt(pi) out of the result.
  const float s = a * a;
  float p = -6.09039853e-4f;
  p = p * s + 5.01197157e-3f;
  p = p * s - 2.67789159e-2f;
  p = p * s + 1.12821408e-1f;
  p = p * s - 3.76125246e-1f;
  p = p * s + 1.28379154e-1f;
  const float small = a + a * p;
  // 0.9 <= |x|: erf = 1 - exp(q(x) - x^2), q = log(erfc(x) e^(x^2)) as a polynomial in x - 2.4,
  // absolute error 8e-9 on [0.9, 3.92]. Beyond 3.92, erfc is below half an ulp of 1.
  const float b = detail::select(a > 3.92f, 3.92f, a);
  const float t = b - 2.4f;
  float q = 1.63254981e-6f;
  q = q * t - 1.45848753e-5f;
  q = q * t + 8.70829026e-5f;
  q = q * t - 4.69523511e-4f;
  q = q * t + 2.38742516e-3f;
  q = q * t - 1.17681334e-2f;
  q = q * t + 5.94981015e-2f;
  q = q * t - 3.64236593e-1f;
  q = q * t - 1.52097511f;
  const float large = 1.0f - detail::exp_in_range(q - b * b);
  return detail::bits_float(detail::float_bits(detail::select(a < 0.9f, small, large)) | sign);
}

// Sine, with full range reduction. Max error 1 ulp for every finite float.
EMBER_INLINE float sin(float x) {
  const uint32_t abs_bits = detail::float_bits(x) & 0x7fffffffu;
  const auto [r, r_tail, quadrant] = detail::trig_reduce(abs_bits);
  const float result =
      detail::bits_float(detail::float_bits(detail::sin_quadrant(r, r_tail, quadrant)) ^
                         (detail::float_bits(x) & 0x80000000u));
  return detail::select(abs_bits >= 0x7f800000u, x - x, result);  // sin(inf), sin(NaN): NaN
}

// Cosine, with full range reduction. Max error 1 ulp for every finite float.
EMBER_INLINE float cos(float x) {
  const uint32_t abs_bits = detail::float_bits(x) & 0x7fffffffu;
  const auto [r, r_tail, quadrant] = detail::trig_reduce(abs_bits);
  const float result = detail::sin_quadrant(r, r_tail, quadrant + 1u);
  return detail::select(abs_bits >= 0x7f800000u, x - x, result);
}

// Tangent, with full range reduction: sin / cos from one reduction. Max error 3 ulp. (A tan
// polynomial with -1/tan in odd quadrants is as accurate, but GCC does not vectorize that loop.)
EMBER_INLINE float tan(float x) {
  const uint32_t sign = detail::float_bits(x) & 0x80000000u;
  const uint32_t abs_bits = detail::float_bits(x) & 0x7fffffffu;
  const auto [r, r_tail, quadrant] = detail::trig_reduce(abs_bits);
  const float sine = detail::sin_quadrant(r, r_tail, quadrant);
  const float cosine = detail::sin_quadrant(r, r_tail, quadrant + 1u);
  const float result = detail::xor_sign(sine / cosine, sign);
  return detail::select(abs_bits >= 0x7f800000u, x - x, result);  // tan(inf), tan(NaN): NaN
}

// Arc tangent. Max error 2 ulp.
EMBER_INLINE float atan(float x) {
  const uint32_t sign = detail::float_bits(x) & 0x80000000u;
  return detail::xor_sign(detail::atan_nonnegative(detail::abs(x)), sign);
}

// atan(y / x) in the quadrant of (x, y), with C's special cases (signed zeros, infinities).
// Max error 3 ulp.
EMBER_INLINE float atan2(float y, float x) {
  const float ay = detail::abs(y), ax = detail::abs(x);
  const bool swap = ay > ax;
  const float num = detail::select(swap, ax, ay);
  const float den = detail::select(swap, ay, ax);
  // Two infinities make the angle pi/4 of their quadrant, two zeros 0 (or pi).
  const bool both_infinite = (ax == detail::infinity()) & (ay == detail::infinity());
  const float t = detail::select(both_infinite, 1.0f, detail::select(den == 0.0f, 0.0f, num / den));
  float angle = detail::atan_nonnegative(t);
  angle = detail::select(swap, (1.57079637f - angle) - 4.37113883e-8f, angle);
  angle = detail::select((detail::float_bits(x) >> 31) != 0u,
                         (3.14159274f - angle) - 8.74227766e-8f, angle);
  const float result = detail::xor_sign(angle, detail::float_bits(y) & 0x80000000u);
  return detail::select((x != x) | (y != y), x + y, result);
}

// Arc sine (Cephes' asinf). Max error 2 ulp; NaN outside [-1, 1].
EMBER_INLINE float asin(float x) {
  const uint32_t sign = detail::float_bits(x) & 0x80000000u;
  const float a = detail::abs(x);
  const bool large = a > 0.5f;
  // asin(a) = pi/2 - 2 asin(sqrt((1 - a) / 2)) for a > 1/2; 1 - a < 0 gives NaN through sqrt.
  const float z = detail::select(large, 0.5f * (1.0f - a), a * a);
  const float s = detail::select(large, std::sqrt(z), a);
  const float r = detail::asin_small(s, z);
  const float result = detail::select(large, (1.57079637f - 2.0f * r) - 4.37113883e-8f, r);
  return detail::xor_sign(result, sign);
}

// Arc cosine. Max error 2 ulp; NaN outside [-1, 1].
EMBER_INLINE float acos(float x) {
  const float a = detail::abs(x);
  const bool large = a > 0.5f;
  // |x| > 1/2: acos(x) = 2 asin(sqrt((1 - |x|) / 2)), reflected to pi - that for x < 0.
  const float z = detail::select(large, 0.5f * (1.0f - a), x * x);
  const float s = detail::select(large, std::sqrt(z), x);
  const float r = detail::asin_small(s, z);
  const float reflected =
      detail::select(x < 0.0f, (3.14159274f - 2.0f * r) - 8.74227766e-8f, 2.0f * r);
  return detail::select(large, reflected, (1.57079637f - r) - 4.37113883e-8f);
}

// Hyperbolic sine: (expm1 + expm1 / (expm1 + 1)) / 2, which stays accurate near 0; e^|x| / 2
// from 88 on, where expm1 overflows but sinh does not yet. Max error 3 ulp.
EMBER_INLINE float sinh(float x) {
  const uint32_t sign = detail::float_bits(x) & 0x80000000u;
  const float a = detail::abs(x);
  const float em = expm1(detail::select(a > 88.0f, 88.0f, a));
  const float small = 0.5f * (em + em / (em + 1.0f));
  const float large = detail::half_exp(detail::select(a > 89.5f, 89.5f, a));
  return detail::xor_sign(detail::select(a > 88.0f, large, small), sign);
}

// Hyperbolic cosine: e^|x| / 2 + 1 / (2 e^|x|). Max error 2 ulp.
EMBER_INLINE float cosh(float x) {
  const float a = detail::abs(x);
  const float half = detail::half_exp(detail::select(a > 89.5f, 89.5f, a));
  return detail::select(a > 89.5f, detail::infinity(), half + 0.25f / half);
}

// Inverse hyperbolic sine: log1p(a + a^2 / (1 + sqrt(1 + a^2))), or log(2a) beyond 2^28 where
// a^2 would overflow and 1 / a^2 no longer counts. Max error 2 ulp.
EMBER_INLINE float asinh(float x) {
  const uint32_t sign = detail::float_bits(x) & 0x80000000u;
  const float a = detail::abs(x);
  const bool huge = a > 0x1p28f;
  const float b = detail::select(huge, 1.0f, a);
  const float small = log1p(b + b * b / (1.0f + std::sqrt(1.0f + b * b)));
  const float large = log(a) + 0.693147181f;
  return detail::xor_sign(detail::select(huge, large, small), sign);
}

// Inverse hyperbolic cosine: log1p(t + sqrt(2t + t^2)) with t = x - 1, or log(2x) beyond 2^28.
// Max error 2 ulp; NaN below 1.
EMBER_INLINE float acosh(float x) {
  const bool huge = x > 0x1p28f;
  const float t = detail::select(huge, 0.0f, x - 1.0f);
  const float small = log1p(t + std::sqrt(2.0f * t + t * t));
  const float result = detail::select(huge, log(x) + 0.693147181f, small);
  return detail::select(x >= 1.0f, result, detail::quiet_nan());
}

// Inverse hyperbolic tangent: log1p(2a / (1 - a)) / 2. Max error 2 ulp; NaN outside [-1, 1].
EMBER_INLINE float atanh(float x) {
  const uint32_t sign = detail::float_bits(x) & 0x80000000u;
  const float a = detail::abs(x);
  return detail::xor_sign(0.5f * log1p(2.0f * a / (1.0f - a)), sign);
}

// Base-2 logarithm: the exponent plus ln(m) / ln 2, so powers of two are exact. Max error 2 ulp.
EMBER_INLINE float log2(float x) {
  const auto [ln_m, e] = detail::log_parts(x);
  return detail::log_special(x, e + ln_m * 1.44269504f);
}

// Base-10 logarithm: e log10(2) (split, so its product is exact) + ln(m) log10(e). Max error 2 ulp.
EMBER_INLINE float log10(float x) {
  const auto [ln_m, e] = detail::log_parts(x);
  return detail::log_special(x, (ln_m * 0.434294482f + e * 2.48745663981e-4f) + e * 0.30078125f);
}

// 2^x: 2^n for the nearest integer n times e^((x - n) ln 2), x - n exact. Max error 1 ulp.
EMBER_INLINE float exp2(float x) {
  const bool zero = x < -150.0f;  // below half the smallest subnormal
  const float clamped = detail::select(zero, 0.0f, detail::select(x > 128.0f, 128.0f, x));
  constexpr float kShifter = 0x1.8p23f + 254.0f;
  const float shifted = clamped + kShifter;
  const float n = shifted - kShifter;
  const float r = (clamped - n) * 0.693147181f;
  return detail::select(zero, 0.0f, detail::scale_by_biased(r, detail::float_bits(shifted)));
}

}  // namespace ember::fast_math
