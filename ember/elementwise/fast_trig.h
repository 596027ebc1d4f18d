// sin, cos and tan of float32 arguments below 2^20 in magnitude, for the CPU loops' blocks whose
// arguments all lie there (unary_kernels.inc): the same polynomials as fast_math.h's, after a
// Cody-Waite reduction in float64 that costs a fraction of the full (Payne-Hanek) one. Results
// are those of fast_math::sin/cos/tan to within the polynomials' rounding (max error 1, 1 and
// 3 ulp); NaN and infinities are never passed here.
#pragma once

#include <cstdint>

#include "ember/elementwise/fast_math.h"

namespace ember::fast_math {

// Arguments with |x| below this take the moderate path.
inline constexpr float kModerateTrigBound = 0x1p20f;

namespace detail {

// |x| = quadrant pi/2 + r for |x| < 2^20: n = rint(|x| 2/pi) < 2^20, and pi/2 = P1 + P2 + P3
// with P1 and P2 of 32 significant bits, so n P1 and n P2 are exact in float64, as is |x| - n P1
// (a multiple of 2^-31 below 1 in magnitude). r's error is then below 2^-53 |r| + 2^-100, far
// inside the 2^-70 the full reduction keeps. Below pi/4, n is 0 and r is |x| exactly.
EMBER_INLINE TrigReduced trig_reduce_moderate(float a) {
  const double x = a;
  // Adding and subtracting 1.5 2^52 rounds to the nearest integer (no -ffast-math here to fold it).
  const double shifted = x * 0x1.45f306dc9c883p-1 + 0x1.8p52;
  const double n = shifted - 0x1.8p52;
  const double r = ((x - n * 0x1.921fb544p0) - n * 0x1.0b4611a6p-34) - n * 0x1.3198a2e037073p-69;
  const float r_head = static_cast<float>(r);
  const float r_tail = static_cast<float>(r - static_cast<double>(r_head));
  return {r_head, r_tail, static_cast<uint32_t>(static_cast<int32_t>(n))};
}

}  // namespace detail

EMBER_INLINE float sin_moderate(float x) {
  const uint32_t sign = detail::float_bits(x) & 0x80000000u;
  const auto [r, r_tail, quadrant] = detail::trig_reduce_moderate(detail::abs(x));
  return detail::bits_float(detail::float_bits(detail::sin_quadrant(r, r_tail, quadrant)) ^ sign);
}

EMBER_INLINE float cos_moderate(float x) {
  const auto [r, r_tail, quadrant] = detail::trig_reduce_moderate(detail::abs(x));
  return detail::sin_quadrant(r, r_tail, quadrant + 1u);
}

EMBER_INLINE float tan_moderate(float x) {
  const uint32_t sign = detail::float_bits(x) & 0x80000000u;
  const auto [r, r_tail, quadrant] = detail::trig_reduce_moderate(detail::abs(x));
  const float sine = detail::sin_quadrant(r, r_tail, quadrant);
  const float cosine = detail::sin_quadrant(r, r_tail, quadrant + 1u);
  return detail::xor_sign(sine / cosine, sign);
}

}  // namespace ember::fast_math
