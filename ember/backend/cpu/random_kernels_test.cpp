// Philox known answers, the documented counter layout, reproducibility across thread counts and
// chunk sizes, and statistical sanity of every CPU random fill. Tolerances are >= 6 standard
// errors, so a correct generator fails them with probability below 1e-8.
#include <omp.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <set>
#include <vector>

#include <gtest/gtest.h>

#include "ember/backend/cpu/random_kernels.h"
#include "ember/base/philox.h"

namespace ember::cpu {
namespace {

constexpr int64_t kSamples = 1000000;
constexpr PhiloxState kState{0x0123456789abcdefULL, 42};

struct Moments {
  double mean;
  double variance;
};

template <class T>
Moments moments(const std::vector<T>& v) {
  double sum = 0;
  for (T x : v) sum += static_cast<double>(x);
  const double mean = sum / static_cast<double>(v.size());
  double sq = 0;
  for (T x : v) sq += (static_cast<double>(x) - mean) * (static_cast<double>(x) - mean);
  return {mean, sq / static_cast<double>(v.size() - 1)};
}

template <class T>
bool bitwise_equal(const std::vector<T>& a, const std::vector<T>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0;
}

// Every fill, viewed as "n elements of some type from a state", so the reproducibility tests
// run over all of them.
struct AnyFill {
  const char* name;
  std::function<std::vector<uint8_t>(int64_t, PhiloxState)> run;
};

template <class T, class F>
AnyFill make_fill(const char* name, F fill) {
  return {name, [fill](int64_t n, PhiloxState state) {
            std::vector<uint8_t> bytes(static_cast<size_t>(n) * sizeof(T));
            fill(reinterpret_cast<T*>(bytes.data()), n, state);
            return bytes;
          }};
}

std::vector<AnyFill> all_fills() {
  return {
      make_fill<float>("uniform_f32", [](float* o, int64_t n,
                                         PhiloxState s) { fill_uniform_f32(o, n, -2, 3, s); }),
      make_fill<double>("uniform_f64", [](double* o, int64_t n,
                                          PhiloxState s) { fill_uniform_f64(o, n, -2, 3, s); }),
      make_fill<float>("normal_f32",
                       [](float* o, int64_t n, PhiloxState s) { fill_normal_f32(o, n, 1, 2, s); }),
      make_fill<double>("normal_f64", [](double* o, int64_t n,
                                         PhiloxState s) { fill_normal_f64(o, n, 1, 2, s); }),
      make_fill<float>("bernoulli_f32", [](float* o, int64_t n,
                                           PhiloxState s) { fill_bernoulli_f32(o, n, 0.5, s); }),
      make_fill<int64_t>(
          "randint_i64",
          [](int64_t* o, int64_t n, PhiloxState s) { fill_randint_i64(o, n, -100, 1000, s); }),
  };
}

TEST(Philox, KnownAnswers) {
  const struct {
    PhiloxWords counter;
    uint32_t key0, key1;
    PhiloxWords expected;
  } cases[] = {
      {{{0, 0, 0, 0}}, 0, 0, {{0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}}},
      {{{0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}},
       0xffffffff,
       0xffffffff,
       {{0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}}},
      {{{0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}},
       0xa4093822,
       0x299f31d0,
       {{0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}}},
  };
  for (const auto& c : cases) {
    const PhiloxWords out = philox4x32_10(c.counter, c.key0, c.key1);
    for (int k = 0; k < 4; ++k) EXPECT_EQ(out.w[k], c.expected.w[k]) << "word " << k;
  }
}

TEST(Philox, BlockPutsBlockLowOffsetHighSeedInKey) {
  const PhiloxWords got =
      philox_block(0x1111111122222222ULL, 0x3333333344444444ULL, 0x5555555566666666ULL);
  const PhiloxWords want =
      philox4x32_10({{0x66666666, 0x55555555, 0x44444444, 0x33333333}}, 0x22222222, 0x11111111);
  for (int k = 0; k < 4; ++k) EXPECT_EQ(got.w[k], want.w[k]);
}

// The layout documented in random_kernels.h is what a CUDA kernel must reproduce.
TEST(RandomKernels, FillsFollowDocumentedLayout) {
  constexpr int64_t n = 11;
  const auto block = [](int64_t b) {
    return philox_block(kState.seed, kState.offset, static_cast<uint64_t>(b));
  };
  std::vector<float> f(n);
  std::vector<double> d(n);
  std::vector<int64_t> i(n);

  fill_uniform_f32(f.data(), n, -1, 4, kState);
  for (int64_t e = 0; e < n; ++e) EXPECT_EQ(f[e], uniform_f32(block(e / 4).w[e % 4], -1, 4));

  fill_bernoulli_f32(f.data(), n, 0.25, kState);
  for (int64_t e = 0; e < n; ++e) EXPECT_EQ(f[e], bernoulli_f32(block(e / 4).w[e % 4], 0.25));

  fill_normal_f32(f.data(), n, 0, 1, kState);
  for (int64_t e = 0; e < n; ++e) {
    const PhiloxWords w = block(e / 4);
    const int pair = static_cast<int>(e % 4) / 2;
    const FloatPair z = normal_pair_f32(w.w[2 * pair], w.w[2 * pair + 1]);
    EXPECT_EQ(f[e], e % 2 == 0 ? z.first : z.second);
  }

  fill_uniform_f64(d.data(), n, -1, 4, kState);
  for (int64_t e = 0; e < n; ++e) {
    const PhiloxWords w = block(e / 2);
    EXPECT_EQ(d[e], uniform_f64(w.w[2 * (e % 2)], w.w[2 * (e % 2) + 1], -1, 4));
  }

  fill_normal_f64(d.data(), n, 0, 1, kState);
  for (int64_t e = 0; e < n; ++e) {
    const DoublePair z = normal_pair_f64(block(e / 2));
    EXPECT_EQ(d[e], e % 2 == 0 ? z.first : z.second);
  }

  fill_randint_i64(i.data(), n, -7, 9, kState);
  for (int64_t e = 0; e < n; ++e) {
    const PhiloxWords w = block(e / 2);
    EXPECT_EQ(i[e], randint_i64(w.w[2 * (e % 2)], w.w[2 * (e % 2) + 1], -7, 9));
  }
}

TEST(RandomKernels, SameAcrossThreadCounts) {
  // Above the parallel grain and not a multiple of any block size.
  constexpr int64_t n = (int64_t{1} << 18) + 3;
  const int saved = omp_get_max_threads();
  for (const AnyFill& fill : all_fills()) {
    omp_set_num_threads(1);
    const std::vector<uint8_t> one = fill.run(n, kState);
    for (int threads : {2, 3, 8}) {
      omp_set_num_threads(threads);
      EXPECT_TRUE(bitwise_equal(one, fill.run(n, kState))) << fill.name << " " << threads;
    }
  }
  omp_set_num_threads(saved);
}

TEST(RandomKernels, ElementDependsOnlyOnIndex) {
  for (const AnyFill& fill : all_fills()) {
    const std::vector<uint8_t> big = fill.run(1001, kState);
    for (int64_t n : {1, 2, 3, 5, 7}) {
      const std::vector<uint8_t> small = fill.run(n, kState);
      EXPECT_EQ(std::memcmp(small.data(), big.data(), small.size()), 0) << fill.name << " " << n;
    }
  }
}

TEST(RandomKernels, StateSelectsStream) {
  constexpr int64_t n = 1000;
  for (const AnyFill& fill : all_fills()) {
    const std::vector<uint8_t> a = fill.run(n, kState);
    EXPECT_TRUE(bitwise_equal(a, fill.run(n, kState))) << fill.name;
    EXPECT_FALSE(bitwise_equal(a, fill.run(n, {kState.seed, kState.offset + 1}))) << fill.name;
    EXPECT_FALSE(bitwise_equal(a, fill.run(n, {kState.seed + 1, kState.offset}))) << fill.name;
  }
}

TEST(RandomKernels, ConsecutiveFillsDoNotRepeat) {
  std::vector<float> a(64), b(64);
  PhiloxState state = kState;
  fill_uniform_f32(a.data(), 64, 0, 1, state);
  state.offset += counters_used(64);
  fill_uniform_f32(b.data(), 64, 0, 1, state);
  EXPECT_FALSE(bitwise_equal(a, b));
  EXPECT_EQ(counters_used(0), 0u);
  EXPECT_EQ(counters_used(1), 1u);
  EXPECT_EQ(counters_used(int64_t{1} << 40), 1u);
}

TEST(RandomKernels, EmptyFillWritesNothing) {
  float sentinel = 7;
  fill_uniform_f32(&sentinel, 0, 0, 1, kState);
  fill_normal_f32(&sentinel, 0, 0, 1, kState);
  fill_bernoulli_f32(&sentinel, 0, 1, kState);
  EXPECT_EQ(sentinel, 7);
}

TEST(RandomKernels, UniformF32Statistics) {
  std::vector<float> v(kSamples);
  fill_uniform_f32(v.data(), kSamples, 0, 1, kState);
  for (float x : v) ASSERT_TRUE(x >= 0 && x < 1) << x;
  const Moments m = moments(v);
  EXPECT_NEAR(m.mean, 0.5, 2e-3);
  EXPECT_NEAR(m.variance, 1.0 / 12, 5e-4);

  fill_uniform_f32(v.data(), kSamples, -3, 5, kState);
  for (float x : v) ASSERT_TRUE(x >= -3 && x < 5) << x;
  const Moments shifted = moments(v);
  EXPECT_NEAR(shifted.mean, 1, 8 * 2e-3);
  EXPECT_NEAR(shifted.variance, 64.0 / 12, 64 * 5e-4);
}

TEST(RandomKernels, UniformF64Statistics) {
  std::vector<double> v(kSamples);
  fill_uniform_f64(v.data(), kSamples, -3, 5, kState);
  for (double x : v) ASSERT_TRUE(x >= -3 && x < 5) << x;
  const Moments m = moments(v);
  EXPECT_NEAR(m.mean, 1, 8 * 2e-3);
  EXPECT_NEAR(m.variance, 64.0 / 12, 64 * 5e-4);
}

TEST(RandomKernels, UniformNeverReturnsHigh) {
  // The largest draw rounds to `high` in both precisions before the clamp.
  EXPECT_LT(uniform_f32(0xffffffff, 1, 3), 3.0f);
  EXPECT_EQ(uniform_f32(0xffffffff, 1, 3), std::nextafter(3.0f, 0.0f));
  EXPECT_LT(uniform_f64(0xffffffff, 0xffffffff, 1, 3), 3.0);
  EXPECT_EQ(uniform_f32(0, 1, 3), 1.0f);
  EXPECT_EQ(uniform_f64(0, 0, 1, 3), 1.0);
  EXPECT_EQ(uniform_f32(0x12345678, 2, 2), 2.0f);

  // A one-ulp range: without the clamp about half the draws would equal high.
  const float low = 1, high = std::nextafter(1.0f, 2.0f);
  std::vector<float> v(10000);
  fill_uniform_f32(v.data(), 10000, low, high, kState);
  for (float x : v) ASSERT_EQ(x, low);
  const double dlow = 1, dhigh = std::nextafter(1.0, 2.0);
  std::vector<double> d(10000);
  fill_uniform_f64(d.data(), 10000, dlow, dhigh, kState);
  for (double x : d) ASSERT_EQ(x, dlow);
}

TEST(RandomKernels, UniformF32FullRangeStaysFinite) {
  const float big = std::numeric_limits<float>::max();
  std::vector<float> v(100000);
  fill_uniform_f32(v.data(), 100000, -big, big, kState);
  bool negative = false, positive = false;
  for (float x : v) {
    ASSERT_TRUE(std::isfinite(x) && x < big) << x;
    negative |= x < 0;
    positive |= x > 0;
  }
  EXPECT_TRUE(negative && positive);
}

template <class T>
void expect_standard_normal_shape(const std::vector<T>& v, double mean, double stddev) {
  int64_t within_one = 0;
  for (T x : v) {
    ASSERT_TRUE(std::isfinite(x)) << x;
    within_one += std::abs((static_cast<double>(x) - mean) / stddev) < 1;
  }
  const Moments m = moments(v);
  // Standard errors: stddev / 1000 for the mean, sqrt(2) stddev^2 / 1000 for the variance.
  EXPECT_NEAR(m.mean, mean, 7 * stddev / 1000);
  EXPECT_NEAR(m.variance, stddev * stddev, 7 * 1.4143 * stddev * stddev / 1000);
  EXPECT_NEAR(static_cast<double>(within_one) / static_cast<double>(v.size()), 0.682689, 3e-3);
  // Box-Muller pairs are independent; a broken angle or radius shows up as correlation.
  double cross = 0;
  for (size_t k = 0; k + 1 < v.size(); k += 2) {
    cross += (static_cast<double>(v[k]) - mean) * (static_cast<double>(v[k + 1]) - mean);
  }
  EXPECT_NEAR(cross / static_cast<double>(v.size() / 2) / (stddev * stddev), 0, 1e-2);
}

TEST(RandomKernels, NormalF32Statistics) {
  std::vector<float> v(kSamples);
  fill_normal_f32(v.data(), kSamples, 2, 3, kState);
  expect_standard_normal_shape(v, 2, 3);
}

TEST(RandomKernels, NormalF64Statistics) {
  std::vector<double> v(kSamples);
  fill_normal_f64(v.data(), kSamples, -1, 0.5, kState);
  expect_standard_normal_shape(v, -1, 0.5);
}

TEST(RandomKernels, NormalExtremeWordsStayFinite) {
  for (uint32_t a : {0u, 1u, 0xffu, 0x100u, 0xffffffffu}) {
    for (uint32_t b : {0u, 0x80000000u, 0xffffffffu}) {
      const FloatPair f = normal_pair_f32(a, b);
      EXPECT_TRUE(std::isfinite(f.first) && std::isfinite(f.second)) << a << " " << b;
      const DoublePair d = normal_pair_f64({{a, a, b, b}});
      EXPECT_TRUE(std::isfinite(d.first) && std::isfinite(d.second)) << a << " " << b;
    }
  }
  EXPECT_FLOAT_EQ(normal_pair_f32(0, 0).first, std::sqrt(48 * std::log(2.0f)));
}

TEST(RandomKernels, BernoulliFrequency) {
  std::vector<float> v(kSamples);
  fill_bernoulli_f32(v.data(), kSamples, 0.3, kState);
  int64_t ones = 0;
  for (float x : v) {
    ASSERT_TRUE(x == 0 || x == 1) << x;
    ones += x == 1;
  }
  EXPECT_NEAR(static_cast<double>(ones) / kSamples, 0.3, 3e-3);

  // The extreme words decide whether p = 0 and p = 1 are exact.
  EXPECT_EQ(bernoulli_f32(0, 0.0), 0.0f);
  EXPECT_EQ(bernoulli_f32(0xffffffff, 1.0), 1.0f);
  fill_bernoulli_f32(v.data(), kSamples, 0, kState);
  for (float x : v) ASSERT_EQ(x, 0);
  fill_bernoulli_f32(v.data(), kSamples, 1, kState);
  for (float x : v) ASSERT_EQ(x, 1);
}

TEST(RandomKernels, RandintSmallRangeCoversAndStaysInside) {
  std::vector<int64_t> v(kSamples);
  fill_randint_i64(v.data(), kSamples, -5, 5, kState);
  std::vector<int64_t> counts(10);
  for (int64_t x : v) {
    ASSERT_TRUE(x >= -5 && x < 5) << x;
    ++counts[static_cast<size_t>(x + 5)];
  }
  for (int64_t c : counts) EXPECT_NEAR(static_cast<double>(c) / kSamples, 0.1, 2e-3);

  fill_randint_i64(v.data(), 1000, 17, 18, kState);
  for (int k = 0; k < 1000; ++k) ASSERT_EQ(v[static_cast<size_t>(k)], 17);
}

TEST(RandomKernels, RandintHugeRanges) {
  constexpr int64_t lo = std::numeric_limits<int64_t>::min();
  constexpr int64_t hi = std::numeric_limits<int64_t>::max();
  std::vector<int64_t> v(kSamples);

  // The whole int64 range but its top value: signs balanced, mean near zero.
  fill_randint_i64(v.data(), kSamples, lo, hi, kState);
  int64_t negatives = 0;
  double scaled_sum = 0;
  for (int64_t x : v) {
    ASSERT_NE(x, hi);
    negatives += x < 0;
    scaled_sum += std::ldexp(static_cast<double>(x), -63);
  }
  EXPECT_NEAR(static_cast<double>(negatives) / kSamples, 0.5, 3e-3);
  EXPECT_NEAR(scaled_sum / kSamples, 0, 4e-3);

  // Range 3 * 2^62, two thirds of it negative. Reducing 64 bits modulo the range would give the
  // lowest 2^62 values double weight and 3/4 negatives.
  const int64_t wide_hi = int64_t{1} << 62;
  fill_randint_i64(v.data(), kSamples, lo, wide_hi, kState);
  int64_t below_zero = 0;
  for (int64_t x : v) {
    ASSERT_LT(x, wide_hi);
    below_zero += x < 0;
  }
  EXPECT_NEAR(static_cast<double>(below_zero) / kSamples, 2.0 / 3, 3e-3);

  // A range ending at INT64_MAX.
  fill_randint_i64(v.data(), kSamples, hi - 3, hi, kState);
  std::set<int64_t> seen;
  for (int64_t x : v) {
    ASSERT_TRUE(x >= hi - 3 && x < hi) << x;
    seen.insert(x);
  }
  EXPECT_EQ(seen.size(), 3u);
}

}  // namespace
}  // namespace ember::cpu
