// The per-element samplers with a variable number of draws (the gamma, binomial and Poisson
// variates) and the gamma's reparameterisation gradient, host/device: the CPU loops (backend/cpu
// random_kernels.cpp) and the CUDA kernels (backend/cuda/sampling_kernels.cuh) share these one
// definitions, so the same PhiloxState draws the same numbers on both (up to libm's last bit on
// the device: exp, log and lgamma are the device's own).
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>

#include "ember/base/host_device.h"
#include "ember/base/philox.h"
#include "ember/elementwise/special_math.h"

namespace ember::sampling {

// The uniforms in (0, 1) of one element of a variable-draw sampler: element i reads its own run
// of blocks i * 2^24, i * 2^24 + 1, ..., two uniforms per block.
class ElementStream {
 public:
  EMBER_INLINE ElementStream(PhiloxState state, uint64_t element)
      : state_(state), block_(element << 24) {}
  EMBER_INLINE double next() {
    if (used_ == 2) {
      words_ = philox_block(state_.seed, state_.offset, block_++);
      used_ = 0;
    }
    const int pair = used_++;
    return uniform_open01_f64(words_.w[2 * pair], words_.w[2 * pair + 1]);
  }

 private:
  PhiloxState state_;
  uint64_t block_;
  PhiloxWords words_{};
  int used_ = 2;
};

// A standard normal from two uniforms of the stream (Box-Muller, one of the pair).
EMBER_INLINE double stream_normal(ElementStream& stream) {
  const double radius = std::sqrt(-2 * std::log(stream.next()));
  return radius * std::cos(2 * 3.14159265358979323846 * stream.next());
}

// Marsaglia and Tsang, "A simple method for generating gamma variables" (2000), alpha >= 1.
EMBER_INLINE double gamma_at_least_one(double alpha, ElementStream& stream) {
  const double d = alpha - 1.0 / 3.0, c = 1 / std::sqrt(9 * d);
  while (true) {
    double z, v;
    do {
      z = stream_normal(stream);
      v = 1 + c * z;
    } while (v <= 0);
    v = v * v * v;
    const double u = stream.next(), z2 = z * z;
    if (u < 1 - 0.0331 * z2 * z2) return d * v;
    if (std::log(u) < 0.5 * z2 + d * (1 - v + std::log(v))) return d * v;
  }
}

// Gamma(alpha, 1) for finite alpha > 0, at least the smallest normal double (never 0).
EMBER_INLINE double gamma_sample(double alpha, ElementStream& stream) {
  double sample;
  if (alpha >= 1) {
    sample = gamma_at_least_one(alpha, stream);
  } else {
    // The boost: Gamma(alpha) = Gamma(alpha + 1) u^(1/alpha), in logs (u^(1/alpha) underflows
    // for tiny alphas).
    const double boosted = gamma_at_least_one(alpha + 1, stream);
    sample = std::exp(std::log(boosted) + std::log(stream.next()) / alpha);
  }
  constexpr double kSmallest = std::numeric_limits<double>::min();
  return sample < kSmallest ? kSmallest : sample;
}

// d x / d alpha at fixed P(alpha, x) (see random_kernels.h in backend/cpu). With r_k the k-th
// series term over the density, r_0 = x / alpha and r_(k+1) = r_k x / (alpha + k + 1), so no
// term over/underflows for samples inside the distribution's bulk; the sum loses ~1e-16 /
// Q(alpha, x) of relative precision in the far upper tail.
EMBER_INLINE double standard_gamma_grad(double alpha, double x) {
  if (!(x > 0)) return 0;
  if (alpha >= 1000) {
    const double w = std::cbrt(x / alpha), root = std::sqrt(alpha);
    const double score = 3 * root * (w - 1 + 1 / (9 * alpha));
    const double dw = 1 / (9 * alpha * alpha) - score / (6 * alpha * root);
    return w * w * w + 3 * alpha * w * w * dw;
  }
  const double log_x = std::log(x);
  double ratio = x / alpha, psi = special::digamma(alpha + 1), sum = 0;
  for (int64_t k = 1;; ++k) {
    const double term = ratio * (log_x - psi);
    sum += term;
    // Past the largest term (k > x - alpha) the terms shrink geometrically.
    if (static_cast<double>(k) > x - alpha && std::fabs(term) <= 1e-17 * std::fabs(sum)) break;
    if (k > 100000) break;
    psi += 1 / (alpha + static_cast<double>(k));
    ratio *= x / (alpha + static_cast<double>(k));
  }
  return -sum;
}

// Inversion by sequential search from 0 (count * min(p, 1 - p) < 10, p <= 1/2).
EMBER_INLINE double binomial_inversion(double count, double p, ElementStream& stream) {
  const double q = 1 - p, s = p / q, a = (count + 1) * s, start = std::pow(q, count);
  while (true) {
    double r = start, u = stream.next(), k = 0;
    while (u > r && k <= count) {
      u -= r;
      ++k;
      r *= a / k - s;
    }
    if (k <= count) return k;
  }
}

// Hormann's BTRS ("The generation of binomial random variates", 1993), p <= 1/2 and
// count * p >= 10.
EMBER_INLINE double binomial_btrs(double count, double p, ElementStream& stream) {
  const double q = 1 - p, spq = std::sqrt(count * p * q);
  const double b = 1.15 + 2.53 * spq, a = -0.0873 + 0.0248 * b + 0.01 * p;
  const double c = count * p + 0.5, v_r = 0.92 - 4.2 / b;
  const double alpha = (2.83 + 5.1 / b) * spq, log_odds = std::log(p / q);
  const double m = std::floor((count + 1) * p);
  const double h = std::lgamma(m + 1) + std::lgamma(count - m + 1);
  while (true) {
    const double u = stream.next() - 0.5, v = stream.next();
    const double us = 0.5 - std::fabs(u);
    const double k = std::floor((2 * a / us + b) * u + c);
    if (k < 0 || k > count) continue;
    if (us >= 0.07 && v <= v_r) return k;
    const double log_v = std::log(v * alpha / (a / (us * us) + b));
    if (log_v <= h - std::lgamma(k + 1) - std::lgamma(count - k + 1) + (k - m) * log_odds) return k;
  }
}

// Binomial(count, p) for integral count >= 0 and p in [0, 1].
EMBER_INLINE double binomial_sample(double count, double p, ElementStream& stream) {
  if (count == 0 || p == 0) return 0;
  if (p == 1) return count;
  const bool flip = p > 0.5;
  const double small_p = flip ? 1 - p : p;
  const double k = count * small_p < 10 ? binomial_inversion(count, small_p, stream)
                                        : binomial_btrs(count, small_p, stream);
  return flip ? count - k : k;
}

// Knuth's product of uniforms for small rates, Hormann's PTRS ("The transformed rejection
// method for generating Poisson random variables", 1993; numpy's choice) above.
EMBER_INLINE double poisson_sample(double rate, ElementStream& stream) {
  if (rate == 0) return 0;
  if (rate < 10) {
    const double limit = std::exp(-rate);
    double product = stream.next();
    double count = 0;
    while (product > limit) {
      product *= stream.next();
      ++count;
    }
    return count;
  }
  const double root = std::sqrt(rate), log_rate = std::log(rate);
  const double b = 0.931 + 2.53 * root, a = -0.059 + 0.02483 * b;
  const double inv_alpha = 1.1239 + 1.1328 / (b - 3.4), vr = 0.9277 - 3.6224 / (b - 2);
  while (true) {
    const double u = stream.next() - 0.5, v = stream.next();
    const double us = 0.5 - std::fabs(u);
    const double k = std::floor((2 * a / us + b) * u + rate + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (std::log(v) + std::log(inv_alpha) - std::log(a / (us * us) + b) <=
        -rate + k * log_rate - std::lgamma(k + 1))
      return k;
  }
}

}  // namespace ember::sampling
