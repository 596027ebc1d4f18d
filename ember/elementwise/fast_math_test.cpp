// Accuracy of ember/elementwise/fast_math.h against float64 libm rounded to float. Each function
// runs as a plain loop over a large input array, so when this file is built with SIMD flags the
// auto-vectorized code is what gets checked. Inputs: every power of two, a stride through all 2^32
// bit patterns (subnormals, NaNs, both signs), dense random values where each function bends, and
// the overflow / underflow edges. The max ulp error per function is printed.
#include "ember/elementwise/fast_math.h"
#include "ember/elementwise/fast_trig.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

namespace {

namespace fm = ember::fast_math;

float from_bits(uint32_t bits) {
  float value;
  std::memcpy(&value, &bits, sizeof(value));
  return value;
}

uint32_t to_bits(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  return bits;
}

// Position on the float number line; -0 sits one step below +0 so a wrong zero sign shows up.
int64_t ordinal(float value) {
  const uint32_t bits = to_bits(value);
  return (bits >> 31) ? -static_cast<int64_t>(bits & 0x7fffffffu) - 1 : static_cast<int64_t>(bits);
}

int64_t ulp_distance(float a, float b) {
  if (std::isnan(a) || std::isnan(b)) {
    return std::isnan(a) && std::isnan(b) ? 0 : std::numeric_limits<int64_t>::max();
  }
  const int64_t d = ordinal(a) - ordinal(b);
  return d < 0 ? -d : d;
}

void append_uniform(std::vector<float>& out, std::mt19937& rng, float lo, float hi, int count) {
  std::uniform_real_distribution<float> dist(lo, hi);
  for (int i = 0; i < count; ++i) out.push_back(dist(rng));
}

// Inputs every function is checked on; `lo`/`hi` add a dense uniform sample of its curved region.
std::vector<float> make_inputs(float lo, float hi) {
  std::vector<float> inputs;
  const float inf = std::numeric_limits<float>::infinity();
  for (float v : {0.0f, inf, std::numeric_limits<float>::quiet_NaN(),
                  std::numeric_limits<float>::denorm_min(), std::numeric_limits<float>::min(),
                  std::numeric_limits<float>::max(), 1.0f}) {
    inputs.push_back(v);
    inputs.push_back(-v);
  }
  // Every power of two, and its neighbours, with both signs.
  for (int k = -149; k <= 127; ++k) {
    const float p = std::ldexp(1.0f, k);
    for (float v : {p, std::nextafter(p, 0.0f), std::nextafter(p, inf), p * 1.5f}) {
      inputs.push_back(v);
      inputs.push_back(-v);
    }
  }
  // A stride through all bit patterns: log-uniform magnitudes, subnormals, NaN payloads.
  for (uint64_t bits = 12345; bits < (uint64_t{1} << 32); bits += 2053) {
    inputs.push_back(from_bits(static_cast<uint32_t>(bits)));
  }
  std::mt19937 rng(20240601u);
  for (int i = 0; i < (1 << 18); ++i) inputs.push_back(from_bits(static_cast<uint32_t>(rng())));
  append_uniform(inputs, rng, lo, hi, 1 << 20);
  append_uniform(inputs, rng, -1.0f, 1.0f, 1 << 18);
  // Around exp's overflow (88.72) and subnormal (-87.34) and zero (-103.97) thresholds.
  append_uniform(inputs, rng, 88.0f, 89.5f, 1 << 16);
  append_uniform(inputs, rng, -88.5f, -86.5f, 1 << 16);
  append_uniform(inputs, rng, -105.0f, -102.0f, 1 << 16);
  return inputs;
}

struct Result {
  int64_t max_ulp = 0;
  float worst_input = 0.0f;
  float worst_value = 0.0f;
  float worst_reference = 0.0f;
};

template <typename Fast, typename Reference>
Result measure(const char* name, Fast fast, Reference reference, float lo, float hi) {
  const std::vector<float> inputs = make_inputs(lo, hi);
  std::vector<float> outputs(inputs.size());
  // Written as the SIMD loops in ember are, so the vectorized code path is the one under test.
  const float* in = inputs.data();
  float* out = outputs.data();
  const size_t n = inputs.size();
  for (size_t i = 0; i < n; ++i) out[i] = fast(in[i]);

  Result result;
  for (size_t i = 0; i < n; ++i) {
    const float expected = static_cast<float>(reference(static_cast<double>(in[i])));
    const int64_t ulp = ulp_distance(out[i], expected);
    if (ulp > result.max_ulp) {
      result = {ulp, in[i], out[i], expected};
    }
  }
  std::printf(
      "%-8s max error %lld ulp over %zu inputs (worst: x = %.9g gives %.9g, expected %.9g)\n", name,
      static_cast<long long>(result.max_ulp), n, result.worst_input, result.worst_value,
      result.worst_reference);
  return result;
}

#define EMBER_EXPECT_ULP(result, bound)                                                  \
  EXPECT_LE((result).max_ulp, (bound))                                                   \
      << "x = " << (result).worst_input << " (bits 0x" << std::hex                       \
      << to_bits((result).worst_input) << std::dec << ") gives " << (result).worst_value \
      << ", expected " << (result).worst_reference

TEST(FastMathAccuracy, Exp) {
  const Result r = measure(
      "exp", [](float x) { return fm::exp(x); }, [](double x) { return std::exp(x); }, -104.0f,
      89.0f);
  EMBER_EXPECT_ULP(r, 2);
}

TEST(FastMathAccuracy, Expm1) {
  const Result r = measure(
      "expm1", [](float x) { return fm::expm1(x); }, [](double x) { return std::expm1(x); }, -20.0f,
      20.0f);
  EMBER_EXPECT_ULP(r, 2);
}

TEST(FastMathAccuracy, Log) {
  const Result r = measure(
      "log", [](float x) { return fm::log(x); }, [](double x) { return std::log(x); }, 0.0f, 4.0f);
  EMBER_EXPECT_ULP(r, 2);
}

TEST(FastMathAccuracy, Log1p) {
  const Result r = measure(
      "log1p", [](float x) { return fm::log1p(x); }, [](double x) { return std::log1p(x); }, -1.0f,
      4.0f);
  EMBER_EXPECT_ULP(r, 2);
}

TEST(FastMathAccuracy, Tanh) {
  const Result r = measure(
      "tanh", [](float x) { return fm::tanh(x); }, [](double x) { return std::tanh(x); }, -10.0f,
      10.0f);
  EMBER_EXPECT_ULP(r, 2);
}

TEST(FastMathAccuracy, Sigmoid) {
  const Result r = measure(
      "sigmoid", [](float x) { return fm::sigmoid(x); },
      [](double x) { return 1.0 / (1.0 + std::exp(-x)); }, -110.0f, 20.0f);
  EMBER_EXPECT_ULP(r, 2);
}

TEST(FastMathAccuracy, Erf) {
  const Result r = measure(
      "erf", [](float x) { return fm::erf(x); }, [](double x) { return std::erf(x); }, -4.5f, 4.5f);
  EMBER_EXPECT_ULP(r, 4);
}

TEST(FastMathAccuracy, Sin) {
  const Result r = measure(
      "sin", [](float x) { return fm::sin(x); }, [](double x) { return std::sin(x); }, -1e5f, 1e5f);
  EMBER_EXPECT_ULP(r, 4);
}

TEST(FastMathAccuracy, Cos) {
  const Result r = measure(
      "cos", [](float x) { return fm::cos(x); }, [](double x) { return std::cos(x); }, -1e5f, 1e5f);
  EMBER_EXPECT_ULP(r, 4);
}

// The IEEE special cases must hold exactly, not just within an ulp, including zero signs.
void expect_same(float actual, float expected, const char* what) {
  if (std::isnan(expected)) {
    EXPECT_TRUE(std::isnan(actual)) << what << " gave " << actual;
  } else {
    EXPECT_EQ(to_bits(actual), to_bits(expected))
        << what << " gave " << actual << ", expected " << expected;
  }
}

TEST(FastMathSpecialValues, ExactResults) {
  const float inf = std::numeric_limits<float>::infinity();
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float denorm_min = std::numeric_limits<float>::denorm_min();
  expect_same(fm::exp(nan), nan, "exp(nan)");
  expect_same(fm::exp(inf), inf, "exp(inf)");
  expect_same(fm::exp(-inf), 0.0f, "exp(-inf)");
  expect_same(fm::exp(88.73f), inf, "exp(88.73)");
  expect_same(fm::exp(0.0f), 1.0f, "exp(0)");
  expect_same(fm::exp(-103.3f), denorm_min, "exp(-103.3)");
  expect_same(fm::exp(-104.0f), 0.0f, "exp(-104)");
  expect_same(fm::expm1(-0.0f), -0.0f, "expm1(-0)");
  expect_same(fm::expm1(inf), inf, "expm1(inf)");
  expect_same(fm::expm1(-inf), -1.0f, "expm1(-inf)");
  expect_same(fm::expm1(nan), nan, "expm1(nan)");
  expect_same(fm::expm1(denorm_min), denorm_min, "expm1(denorm_min)");
  expect_same(fm::log(0.0f), -inf, "log(0)");
  expect_same(fm::log(-0.0f), -inf, "log(-0)");
  expect_same(fm::log(-1.0f), nan, "log(-1)");
  expect_same(fm::log(-inf), nan, "log(-inf)");
  expect_same(fm::log(inf), inf, "log(inf)");
  expect_same(fm::log(nan), nan, "log(nan)");
  expect_same(fm::log(1.0f), 0.0f, "log(1)");
  expect_same(fm::log(denorm_min), static_cast<float>(std::log(static_cast<double>(denorm_min))),
              "log(denorm_min)");
  expect_same(fm::log1p(-1.0f), -inf, "log1p(-1)");
  expect_same(fm::log1p(-2.0f), nan, "log1p(-2)");
  expect_same(fm::log1p(inf), inf, "log1p(inf)");
  expect_same(fm::log1p(-0.0f), -0.0f, "log1p(-0)");
  expect_same(fm::log1p(nan), nan, "log1p(nan)");
  expect_same(fm::log1p(-denorm_min), -denorm_min, "log1p(-denorm_min)");
  expect_same(fm::tanh(inf), 1.0f, "tanh(inf)");
  expect_same(fm::tanh(-inf), -1.0f, "tanh(-inf)");
  expect_same(fm::tanh(-0.0f), -0.0f, "tanh(-0)");
  expect_same(fm::tanh(nan), nan, "tanh(nan)");
  expect_same(fm::sigmoid(inf), 1.0f, "sigmoid(inf)");
  expect_same(fm::sigmoid(-inf), 0.0f, "sigmoid(-inf)");
  expect_same(fm::sigmoid(0.0f), 0.5f, "sigmoid(0)");
  expect_same(fm::sigmoid(nan), nan, "sigmoid(nan)");
  expect_same(fm::erf(inf), 1.0f, "erf(inf)");
  expect_same(fm::erf(-inf), -1.0f, "erf(-inf)");
  expect_same(fm::erf(-0.0f), -0.0f, "erf(-0)");
  expect_same(fm::erf(nan), nan, "erf(nan)");
  expect_same(fm::sin(-0.0f), -0.0f, "sin(-0)");
  expect_same(fm::sin(inf), nan, "sin(inf)");
  expect_same(fm::sin(-inf), nan, "sin(-inf)");
  expect_same(fm::sin(nan), nan, "sin(nan)");
  expect_same(fm::cos(0.0f), 1.0f, "cos(0)");
  expect_same(fm::cos(inf), nan, "cos(inf)");
  expect_same(fm::cos(nan), nan, "cos(nan)");
}

TEST(FastMathAccuracy, Tan) {
  const Result r = measure(
      "tan", [](float x) { return fm::tan(x); }, [](double x) { return std::tan(x); }, -1e4f, 1e4f);
  EMBER_EXPECT_ULP(r, 4);
}

// fast_trig.h's moderate paths take |x| < 2^20 only: every input is folded into that range
// (exactly, by fmod; NaN and infinities become 0) before both the function and its reference.
float moderate(float x) { return std::isfinite(x) ? std::fmod(x, fm::kModerateTrigBound) : 0.0f; }

TEST(FastMathAccuracy, SinModerate) {
  const Result r = measure(
      "sin_mod", [](float x) { return fm::sin_moderate(moderate(x)); },
      [](double x) { return std::sin(static_cast<double>(moderate(static_cast<float>(x)))); },
      -0x1p20f, 0x1p20f);
  EMBER_EXPECT_ULP(r, 4);
}

TEST(FastMathAccuracy, CosModerate) {
  const Result r = measure(
      "cos_mod", [](float x) { return fm::cos_moderate(moderate(x)); },
      [](double x) { return std::cos(static_cast<double>(moderate(static_cast<float>(x)))); },
      -0x1p20f, 0x1p20f);
  EMBER_EXPECT_ULP(r, 4);
}

TEST(FastMathAccuracy, TanModerate) {
  const Result r = measure(
      "tan_mod", [](float x) { return fm::tan_moderate(moderate(x)); },
      [](double x) { return std::tan(static_cast<double>(moderate(static_cast<float>(x)))); },
      -0x1p20f, 0x1p20f);
  EMBER_EXPECT_ULP(r, 4);
}

TEST(FastMathAccuracy, InverseTrigonometric) {
  const Result asin = measure(
      "asin", [](float x) { return fm::asin(x); }, [](double x) { return std::asin(x); }, -1.0f,
      1.0f);
  EMBER_EXPECT_ULP(asin, 2);
  const Result acos = measure(
      "acos", [](float x) { return fm::acos(x); }, [](double x) { return std::acos(x); }, -1.0f,
      1.0f);
  EMBER_EXPECT_ULP(acos, 2);
  const Result atan = measure(
      "atan", [](float x) { return fm::atan(x); }, [](double x) { return std::atan(x); }, -4.0f,
      4.0f);
  EMBER_EXPECT_ULP(atan, 2);
  // atan2 against a fixed x of each sign and a stride of y values (both orders).
  for (float other : {1.0f, -1.0f, 3e-3f, -250.0f}) {
    const Result y_first = measure(
        "atan2(y)", [other](float y) { return fm::atan2(y, other); },
        [other](double y) { return std::atan2(y, static_cast<double>(other)); }, -4.0f, 4.0f);
    EMBER_EXPECT_ULP(y_first, 3);
    const Result x_first = measure(
        "atan2(x)", [other](float x) { return fm::atan2(other, x); },
        [other](double x) { return std::atan2(static_cast<double>(other), x); }, -4.0f, 4.0f);
    EMBER_EXPECT_ULP(x_first, 3);
  }
}

TEST(FastMathAccuracy, Hyperbolic) {
  const Result sinh = measure(
      "sinh", [](float x) { return fm::sinh(x); }, [](double x) { return std::sinh(x); }, -10.0f,
      10.0f);
  EMBER_EXPECT_ULP(sinh, 3);
  const Result cosh = measure(
      "cosh", [](float x) { return fm::cosh(x); }, [](double x) { return std::cosh(x); }, -10.0f,
      10.0f);
  EMBER_EXPECT_ULP(cosh, 2);
  const Result asinh = measure(
      "asinh", [](float x) { return fm::asinh(x); }, [](double x) { return std::asinh(x); }, -10.0f,
      10.0f);
  EMBER_EXPECT_ULP(asinh, 2);
  const Result acosh = measure(
      "acosh", [](float x) { return fm::acosh(x); }, [](double x) { return std::acosh(x); }, 1.0f,
      10.0f);
  EMBER_EXPECT_ULP(acosh, 2);
  const Result atanh = measure(
      "atanh", [](float x) { return fm::atanh(x); }, [](double x) { return std::atanh(x); }, -1.0f,
      1.0f);
  EMBER_EXPECT_ULP(atanh, 2);
}

TEST(FastMathAccuracy, Log2Log10Exp2) {
  const Result log2 = measure(
      "log2", [](float x) { return fm::log2(x); }, [](double x) { return std::log2(x); }, 0.0f,
      4.0f);
  EMBER_EXPECT_ULP(log2, 2);
  const Result log10 = measure(
      "log10", [](float x) { return fm::log10(x); }, [](double x) { return std::log10(x); }, 0.0f,
      4.0f);
  EMBER_EXPECT_ULP(log10, 2);
  const Result exp2 = measure(
      "exp2", [](float x) { return fm::exp2(x); }, [](double x) { return std::exp2(x); }, -150.0f,
      128.0f);
  EMBER_EXPECT_ULP(exp2, 1);
}

TEST(FastMathSpecialValues, NewFunctions) {
  const float inf = std::numeric_limits<float>::infinity();
  const float nan = std::numeric_limits<float>::quiet_NaN();
  expect_same(fm::tan(-0.0f), -0.0f, "tan(-0)");
  expect_same(fm::tan(inf), nan, "tan(inf)");
  expect_same(fm::atan(inf), 1.57079637f, "atan(inf)");
  expect_same(fm::atan(-0.0f), -0.0f, "atan(-0)");
  expect_same(fm::atan2(0.0f, -0.0f), 3.14159274f, "atan2(0, -0)");
  expect_same(fm::atan2(-0.0f, 0.0f), -0.0f, "atan2(-0, 0)");
  expect_same(fm::atan2(inf, -inf), 2.35619449f, "atan2(inf, -inf)");
  expect_same(fm::atan2(nan, 0.0f), nan, "atan2(nan, 0)");
  expect_same(fm::asin(1.5f), nan, "asin(1.5)");
  expect_same(fm::acos(1.0f), 0.0f, "acos(1)");
  expect_same(fm::sinh(-inf), -inf, "sinh(-inf)");
  expect_same(fm::cosh(-inf), inf, "cosh(-inf)");
  expect_same(fm::cosh(0.0f), 1.0f, "cosh(0)");
  expect_same(fm::asinh(-inf), -inf, "asinh(-inf)");
  expect_same(fm::acosh(0.5f), nan, "acosh(0.5)");
  expect_same(fm::atanh(1.0f), inf, "atanh(1)");
  expect_same(fm::log2(8.0f), 3.0f, "log2(8)");
  expect_same(fm::log2(0.0f), -inf, "log2(0)");
  expect_same(fm::log10(-1.0f), nan, "log10(-1)");
  expect_same(fm::exp2(10.0f), 1024.0f, "exp2(10)");
  expect_same(fm::exp2(-149.0f), std::numeric_limits<float>::denorm_min(), "exp2(-149)");
  expect_same(fm::exp2(128.0f), inf, "exp2(128)");
  expect_same(fm::exp2(-inf), 0.0f, "exp2(-inf)");
}

// Arguments whose distance to a multiple of pi/2 is tiny need all the bits of the reduction.
TEST(FastMathSpecialValues, TrigNearMultiplesOfHalfPi) {
  for (float x : {3.14159274f, 6.28318548f, 1.57079637f, 1e5f, 1e10f, 1e30f,
                  std::numeric_limits<float>::max(), 16367173.0f * 0x1p72f}) {
    EXPECT_LE(ulp_distance(fm::sin(x), static_cast<float>(std::sin(static_cast<double>(x)))), 4)
        << "sin(" << x << ")";
    EXPECT_LE(ulp_distance(fm::cos(x), static_cast<float>(std::cos(static_cast<double>(x)))), 4)
        << "cos(" << x << ")";
  }
}

}  // namespace
