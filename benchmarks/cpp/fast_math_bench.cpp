// Throughput of ember::fast_math against the libm functions over 16M contiguous floats, as
// bytes/second read + written. Build with -O3 -mavx512f -mavx512dq -mavx512bw -mavx512vl -mfma:
// the fast_math loops should auto-vectorize to zmm code and approach memory speed (PERFORMANCE.md,
// trap 4), while libm is called once per element. Each case also runs on 16K floats, which stay in
// L2 and so show the arithmetic throughput alone.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstddef>
#include <random>
#include <vector>

#include "ember/elementwise/fast_math.h"

namespace {

namespace fm = ember::fast_math;

// Inputs drawn from where each function is interesting; the buffers are touched before timing so
// page faults stay out of the measurement.
std::vector<float> make_input(size_t count, float lo, float hi) {
  std::vector<float> values(count);
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
  const size_t count = static_cast<size_t>(state.range(0));
  const std::vector<float> input = make_input(count, lo, hi);
  std::vector<float> output(count, 0.0f);
  for (auto _ : state) {
    apply(input.data(), output.data(), count, f);
    benchmark::DoNotOptimize(output.data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(count * 2 * sizeof(float)));
}

#define FAST_MATH_BENCHMARK(name, lo, hi, function) \
  BENCHMARK_CAPTURE(run, name, lo, hi, function)->Arg(int64_t{16} << 20)->Arg(int64_t{16} << 10)

// The memory-speed ceiling the others are measured against: same traffic, one multiply.
FAST_MATH_BENCHMARK(scale_baseline, -10.0f, 10.0f, [](float x) { return 2.0f * x; });
FAST_MATH_BENCHMARK(exp_fast, -10.0f, 10.0f, [](float x) { return fm::exp(x); });
// Arguments far below the subnormal range, as masked softmax entries are: they must not cost x86
// underflow assists. (Results that are subnormal, for x in (-104, -87.3), do cost them; x86 takes
// a microcode assist on any multiply that produces a subnormal.)
FAST_MATH_BENCHMARK(exp_fast_masked, -1000.0f, -110.0f, [](float x) { return fm::exp(x); });
FAST_MATH_BENCHMARK(exp_std, -10.0f, 10.0f, [](float x) { return std::exp(x); });
FAST_MATH_BENCHMARK(tanh_fast, -5.0f, 5.0f, [](float x) { return fm::tanh(x); });
FAST_MATH_BENCHMARK(tanh_std, -5.0f, 5.0f, [](float x) { return std::tanh(x); });
FAST_MATH_BENCHMARK(log_fast, 1e-3f, 1e3f, [](float x) { return fm::log(x); });
FAST_MATH_BENCHMARK(log_std, 1e-3f, 1e3f, [](float x) { return std::log(x); });
FAST_MATH_BENCHMARK(sigmoid_fast, -10.0f, 10.0f, [](float x) { return fm::sigmoid(x); });
FAST_MATH_BENCHMARK(sigmoid_std, -10.0f, 10.0f,
                    [](float x) { return 1.0f / (1.0f + std::exp(-x)); });
FAST_MATH_BENCHMARK(expm1_fast, -5.0f, 5.0f, [](float x) { return fm::expm1(x); });
FAST_MATH_BENCHMARK(log1p_fast, -0.5f, 1e3f, [](float x) { return fm::log1p(x); });
FAST_MATH_BENCHMARK(erf_fast, -4.0f, 4.0f, [](float x) { return fm::erf(x); });
FAST_MATH_BENCHMARK(sin_fast, -100.0f, 100.0f, [](float x) { return fm::sin(x); });
FAST_MATH_BENCHMARK(cos_fast, -100.0f, 100.0f, [](float x) { return fm::cos(x); });

}  // namespace
