// float16 and bfloat16 storage types. They hold bits only: arithmetic happens in float32
// ("opmath", Note [reduced precision] in docs/architecture.md) and rounds to nearest even on store.
#pragma once

#include <cstdint>
#include <cstring>

#include "ember/base/host_device.h"

namespace ember {

namespace detail {
EMBER_INLINE uint32_t float_bits(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  return bits;
}
EMBER_INLINE float bits_float(uint32_t bits) {
  float value;
  std::memcpy(&value, &bits, sizeof(value));
  return value;
}

// Round-to-nearest-even float32 -> IEEE binary16, with overflow to inf and NaN kept quiet.
EMBER_INLINE uint16_t float_to_half_bits(float value) {
  uint32_t bits = float_bits(value);
  const uint32_t sign = bits & 0x80000000u;
  bits ^= sign;
  uint32_t half;
  if (bits >= (127u + 16u) << 23) {
    half = bits > (255u << 23) ? 0x7e00u : 0x7c00u;
  } else if (bits < (113u << 23)) {
    // Subnormal or zero: adding a magic number lets the FPU do the rounding shift.
    const uint32_t magic = ((127u - 15u) + (23u - 10u) + 1u) << 23;
    half = float_bits(bits_float(bits) + bits_float(magic)) - magic;
  } else {
    const uint32_t mantissa_odd = (bits >> 13) & 1u;
    bits += (static_cast<uint32_t>(15 - 127) << 23) + 0xfffu + mantissa_odd;
    half = bits >> 13;
  }
  return static_cast<uint16_t>(half | (sign >> 16));
}

EMBER_INLINE float half_bits_to_float(uint16_t half) {
  const uint32_t sign = static_cast<uint32_t>(half & 0x8000u) << 16;
  const uint32_t exponent = (half >> 10) & 0x1fu;
  const uint32_t mantissa = half & 0x3ffu;
  if (exponent == 0) {
    const float magnitude = static_cast<float>(mantissa) * 5.9604644775390625e-8f;  // 2^-24
    return bits_float(float_bits(magnitude) | sign);
  }
  if (exponent == 31) return bits_float(sign | 0x7f800000u | (mantissa << 13));
  return bits_float(sign | ((exponent + 112u) << 23) | (mantissa << 13));
}

EMBER_INLINE uint16_t float_to_bfloat16_bits(float value) {
  const uint32_t bits = float_bits(value);
  if ((bits & 0x7fffffffu) > 0x7f800000u) return static_cast<uint16_t>((bits >> 16) | 0x0040u);
  return static_cast<uint16_t>((bits + 0x7fffu + ((bits >> 16) & 1u)) >> 16);
}

EMBER_INLINE float bfloat16_bits_to_float(uint16_t bits) {
  return bits_float(static_cast<uint32_t>(bits) << 16);
}
}  // namespace detail

struct Half {
  uint16_t bits = 0;
  Half() = default;
  EMBER_INLINE Half(float value) : bits(detail::float_to_half_bits(value)) {}
  EMBER_INLINE operator float() const { return detail::half_bits_to_float(bits); }
  static EMBER_INLINE Half from_bits(uint16_t raw) {
    Half result;
    result.bits = raw;
    return result;
  }
};

struct BFloat16 {
  uint16_t bits = 0;
  BFloat16() = default;
  EMBER_INLINE BFloat16(float value) : bits(detail::float_to_bfloat16_bits(value)) {}
  EMBER_INLINE operator float() const { return detail::bfloat16_bits_to_float(bits); }
  static EMBER_INLINE BFloat16 from_bits(uint16_t raw) {
    BFloat16 result;
    result.bits = raw;
    return result;
  }
};

// The type arithmetic on T happens in: float for the 16-bit floats, T itself otherwise.
template <typename T>
struct OpMath {
  using type = T;
};
template <>
struct OpMath<Half> {
  using type = float;
};
template <>
struct OpMath<BFloat16> {
  using type = float;
};
template <typename T>
using opmath_t = typename OpMath<T>::type;

}  // namespace ember
