// Philox4x32-10 counter-based generator (Salmon et al., "Parallel random numbers: as easy as
// 1, 2, 3", SC'11) and the maps from its 32-bit words to samples. Every function is host/device
// so the CPU fills and the CUDA kernels share one definition of each sample: a stream is a pure
// function of (seed, offset, element index), never of thread count or launch shape. Device-neutral,
// so it sits in base: the generator (ops/random.cpp) and every backend's fills share it.
#pragma once

#include <cmath>
#include <cstdint>

#include "ember/base/host_device.h"

namespace ember {

// The stream position of one fill: the generator's seed and the offset it reserved.
struct PhiloxState {
  uint64_t seed;
  uint64_t offset;
};

// How far to advance PhiloxState::offset after filling n elements: 1, or 0 when n == 0.
EMBER_INLINE constexpr uint64_t counters_used(int64_t n) { return n > 0 ? 1 : 0; }

// Four 32-bit words: a Philox counter or one Philox output block.
struct PhiloxWords {
  uint32_t w[4];
};

struct FloatPair {
  float first;
  float second;
};

struct DoublePair {
  double first;
  double second;
};

inline constexpr uint32_t kPhiloxMul0 = 0xD2511F53u;
inline constexpr uint32_t kPhiloxMul1 = 0xCD9E8D57u;
inline constexpr uint32_t kPhiloxWeyl0 = 0x9E3779B9u;
inline constexpr uint32_t kPhiloxWeyl1 = 0xBB67AE85u;

// The bijection of the Random123 paper: counter words (c0, c1, c2, c3), key words (k0, k1).
EMBER_INLINE PhiloxWords philox4x32_10(PhiloxWords counter, uint32_t key0, uint32_t key1) {
  for (int round = 0; round < 10; ++round) {
    if (round > 0) {
      key0 += kPhiloxWeyl0;
      key1 += kPhiloxWeyl1;
    }
    const uint64_t p0 = static_cast<uint64_t>(kPhiloxMul0) * counter.w[0];
    const uint64_t p1 = static_cast<uint64_t>(kPhiloxMul1) * counter.w[2];
    counter = PhiloxWords{
        {static_cast<uint32_t>(p1 >> 32) ^ counter.w[1] ^ key0, static_cast<uint32_t>(p1),
         static_cast<uint32_t>(p0 >> 32) ^ counter.w[3] ^ key1, static_cast<uint32_t>(p0)}};
  }
  return counter;
}

// Block `block` of the stream (seed, offset): key = seed, counter = (block, offset) with the low
// word first. Each offset owns a full 2^64-block space, so a fill advances offset by one
// whatever its size (counters_used).
EMBER_INLINE PhiloxWords philox_block(uint64_t seed, uint64_t offset, uint64_t block) {
  const PhiloxWords counter{{static_cast<uint32_t>(block), static_cast<uint32_t>(block >> 32),
                             static_cast<uint32_t>(offset), static_cast<uint32_t>(offset >> 32)}};
  return philox4x32_10(counter, static_cast<uint32_t>(seed), static_cast<uint32_t>(seed >> 32));
}

// Top 24 bits: every value is exactly representable, so the result is < 1 with no rounding.
EMBER_INLINE float uniform01_f32(uint32_t bits) { return static_cast<float>(bits >> 8) * 0x1p-24f; }

// Top 53 bits of hi:lo, exactly representable, in [0, 1).
EMBER_INLINE double uniform01_f64(uint32_t hi, uint32_t lo) {
  const uint64_t bits = (static_cast<uint64_t>(hi) << 32) | lo;
  return static_cast<double>(bits >> 11) * 0x1p-53;
}

// Uniform in [low, high) for finite low <= high. Both products are exact in double and the sum
// is rounded once, so fused and unfused multiply-add (CPU vs nvcc) agree bit for bit, and the
// lerp form cannot overflow even for [-FLT_MAX, FLT_MAX). Rounding to float can land on `high`;
// those rare draws move to the float just below it.
EMBER_INLINE float uniform_f32(uint32_t bits, float low, float high) {
  const double u = uniform01_f32(bits);
  const float v =
      static_cast<float>(static_cast<double>(low) * (1.0 - u) + static_cast<double>(high) * u);
  return v < high ? v : ::nextafterf(high, low);
}

// Uniform in [low, high) for finite low <= high with finite high - low. The CUDA kernel must not
// contract this multiply-add (use __dmul_rn/__dadd_rn) to stay bit-identical with the CPU.
EMBER_INLINE double uniform_f64(uint32_t hi, uint32_t lo, double low, double high) {
  const double v = low + uniform01_f64(hi, lo) * (high - low);
  return v < high ? v : ::nextafter(high, low);
}

// Box-Muller from two words. The radius uses u in (0, 1] so log never sees 0: |z| <= 5.77.
EMBER_INLINE FloatPair normal_pair_f32(uint32_t a, uint32_t b) {
  const float u = static_cast<float>((a >> 8) + 1) * 0x1p-24f;
  const float radius = ::sqrtf(-2.0f * ::logf(u));
  const float theta = 6.28318530717958647692f * uniform01_f32(b);
  return FloatPair{radius * ::cosf(theta), radius * ::sinf(theta)};
}

// Box-Muller from one block: 53-bit u in (0, 1] for the radius (|z| <= 8.57), 53-bit angle.
EMBER_INLINE DoublePair normal_pair_f64(PhiloxWords words) {
  const uint64_t bits = (static_cast<uint64_t>(words.w[0]) << 32) | words.w[1];
  const double u = static_cast<double>((bits >> 11) + 1) * 0x1p-53;
  const double radius = ::sqrt(-2.0 * ::log(u));
  const double theta = 6.28318530717958647692 * uniform01_f64(words.w[2], words.w[3]);
  return DoublePair{radius * ::cos(theta), radius * ::sin(theta)};
}

// 1 with probability p (to within 2^-32); the comparison is exact in double.
EMBER_INLINE float bernoulli_f32(uint32_t bits, double p) {
  return static_cast<double>(bits) * 0x1p-32 < p ? 1.0f : 0.0f;
}

// In (0, 1): the top 24 bits and half a step, so log(u) and log(1 - u) are finite.
EMBER_INLINE float uniform_open01_f32(uint32_t bits) {
  return (static_cast<float>(bits >> 8) + 0.5f) * 0x1p-24f;
}

// In (0, 1) from 53 bits of hi:lo and half a step.
EMBER_INLINE double uniform_open01_f64(uint32_t hi, uint32_t lo) {
  const uint64_t bits = (static_cast<uint64_t>(hi) << 32) | lo;
  return (static_cast<double>(bits >> 11) + 0.5) * 0x1p-53;
}

// Exponential with rate lambd > 0 by inversion; always > 0.
EMBER_INLINE float exponential_f32(uint32_t bits, float lambd) {
  return -::logf(uniform_open01_f32(bits)) / lambd;
}
EMBER_INLINE double exponential_f64(uint32_t hi, uint32_t lo, double lambd) {
  return -::log(uniform_open01_f64(hi, lo)) / lambd;
}

// Cauchy(median, sigma) by inversion: median + sigma * tan(pi (u - 1/2)).
EMBER_INLINE float cauchy_f32(uint32_t bits, float median, float sigma) {
  return median + sigma * ::tanf(3.14159265358979323846f * (uniform_open01_f32(bits) - 0.5f));
}
EMBER_INLINE double cauchy_f64(uint32_t hi, uint32_t lo, double median, double sigma) {
  return median + sigma * ::tan(3.14159265358979323846 * (uniform_open01_f64(hi, lo) - 0.5));
}

// The number of Bernoulli(p) trials up to the first success (>= 1), by inversion, for 0 < p <= 1.
EMBER_INLINE double geometric_f64(uint32_t hi, uint32_t lo, double p) {
  const double trials = ::ceil(::log(uniform_open01_f64(hi, lo)) / ::log1p(-p));
  return trials < 1.0 ? 1.0 : trials;
}

EMBER_INLINE uint64_t mul_hi_u64(uint64_t a, uint64_t b) {
#if defined(__CUDA_ARCH__)
  return __umul64hi(a, b);
#else
  __extension__ typedef unsigned __int128 Uint128;
  return static_cast<uint64_t>((static_cast<Uint128>(a) * b) >> 64);
#endif
}

// Integer in [low, high) for low < high, by Lemire's multiply-shift on 64 random bits without
// rejection (rejection would make the words per element variable). The bias is at most
// (high - low) / 2^64 per value: below 2^-32 for any range under 2^32. The arithmetic is unsigned
// so the full int64 range cannot overflow.
EMBER_INLINE int64_t randint_i64(uint32_t hi, uint32_t lo, int64_t low, int64_t high) {
  const uint64_t range = static_cast<uint64_t>(high) - static_cast<uint64_t>(low);
  const uint64_t bits = (static_cast<uint64_t>(hi) << 32) | lo;
  return static_cast<int64_t>(static_cast<uint64_t>(low) + mul_hi_u64(bits, range));
}

}  // namespace ember
