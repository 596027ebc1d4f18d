// Throughput of ember::fast_math against the libm functions over 16M contiguous floats, as
// bytes/second read + written. Build with -O3 -mavx512f -mavx512dq -mavx512bw -mavx512vl -mfma:
// the fast_math loops should auto-vectorize to zmm code and reach memory speed (PERFORMANCE.md,
// trap 4), while libm is called once per element.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstddef>
#include <random>
#include <vector>

#include "ember/elementwise/fast_math.h"

namespace {

namespace fm = ember::fast_math;

constexpr size_t kCount = size_t{16} << 20;

// Inputs drawn from where each function is interesting; the buffers are touched before timing so
// page faults stay out of the measurement.
std::vector<float> make_input(float lo, float hi) {
  std::vector<float> values(kCount);
  std::mt19937 rng(7u);
  std::uniform_real_distribution<float> dist(lo, hi);
  for (float& v : values) v = dist(rng);
  return values;
}

// noinline keeps one loop per function in the binary, easy to find with objdump.
template <typename F>
__attribute__((noinline)) void apply(const float* __restrict in, float* __restrict out, size_t n,
                                     F f) {
  for (size_t i = 0; i < n; ++i) out[i] = f(in[i]);
}

template <typename F>
void run(benchmark::State& state, float lo, float hi, F f) {
  const std::vector<float> input = make_input(lo, hi);
  std::vector<float> output(kCount, 0.0f);
  for (auto _ : state) {
    apply(input.data(), output.data(), kCount, f);
    benchmark::DoNotOptimize(output.data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(kCount * 2 * sizeof(float)));
}

// The memory-speed ceiling the others are measured against: same traffic, one multiply.
BENCHMARK_CAPTURE(run, scale_baseline, -10.0f, 10.0f, [](float x) { return 2.0f * x; });
BENCHMARK_CAPTURE(run, exp_fast, -10.0f, 10.0f, [](float x) { return fm::exp(x); });
BENCHMARK_CAPTURE(run, exp_std, -10.0f, 10.0f, [](float x) { return std::exp(x); });
BENCHMARK_CAPTURE(run, tanh_fast, -5.0f, 5.0f, [](float x) { return fm::tanh(x); });
BENCHMARK_CAPTURE(run, tanh_std, -5.0f, 5.0f, [](float x) { return std::tanh(x); });
BENCHMARK_CAPTURE(run, log_fast, 1e-3f, 1e3f, [](float x) { return fm::log(x); });
BENCHMARK_CAPTURE(run, log_std, 1e-3f, 1e3f, [](float x) { return std::log(x); });
BENCHMARK_CAPTURE(run, sigmoid_fast, -10.0f, 10.0f, [](float x) { return fm::sigmoid(x); });
BENCHMARK_CAPTURE(run, sigmoid_std, -10.0f, 10.0f,
                  [](float x) { return 1.0f / (1.0f + std::exp(-x)); });
BENCHMARK_CAPTURE(run, expm1_fast, -5.0f, 5.0f, [](float x) { return fm::expm1(x); });
BENCHMARK_CAPTURE(run, log1p_fast, -0.5f, 1e3f, [](float x) { return fm::log1p(x); });
BENCHMARK_CAPTURE(run, erf_fast, -4.0f, 4.0f, [](float x) { return fm::erf(x); });
BENCHMARK_CAPTURE(run, sin_fast, -100.0f, 100.0f, [](float x) { return fm::sin(x); });
BENCHMARK_CAPTURE(run, cos_fast, -100.0f, 100.0f, [](float x) { return fm::cos(x); });

}  // namespace
