// Throughput of the CPU GEMM backend on square matrices, in GFLOP/s, to compare with the machine's
// peak and PyTorch's matmul (PERFORMANCE.md). Runs on one thread unless OMP_NUM_THREADS is set,
// since two-thread figures collapse whenever anything else runs on the machine.
#include <benchmark/benchmark.h>
#include <cblas.h>
#include <omp.h>

#include <cstdint>
#include <cstdlib>
#include <vector>

#include "ember/backend/cpu/gemm.h"

namespace {

void one_thread_unless_asked(const benchmark::State&) {
  if (std::getenv("OMP_NUM_THREADS") == nullptr) {
    omp_set_num_threads(1);
#if defined(OPENBLAS_VERSION)
    openblas_set_num_threads(1);  // OpenBLAS's pthread pool ignores OpenMP's setting
#endif
  }
}

template <typename T, auto Gemm>
void square_gemm(benchmark::State& state) {
  const int64_t n = state.range(0);
  const std::vector<T> a(static_cast<size_t>(n * n), T(0.5));
  const std::vector<T> b(static_cast<size_t>(n * n), T(0.25));
  std::vector<T> c(static_cast<size_t>(n * n), T(0));
  for (auto _ : state) {
    Gemm(false, false, n, n, n, T(1), a.data(), n, b.data(), n, T(0), c.data(), n);
    benchmark::DoNotOptimize(c.data());
    benchmark::ClobberMemory();
  }
  state.counters["GFLOP"] = benchmark::Counter(
      2e-9 * static_cast<double>(n * n * n) * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate);
  state.counters["threads"] = omp_get_max_threads();
}

void gemm_f32(benchmark::State& state) { square_gemm<float, &ember::cpu::gemm_f32>(state); }

// The BLAS's own sgemm (OpenBLAS: its kernel follows OPENBLAS_CORETYPE), the other candidate for
// float32 behind gemm.h: compare it with gemm_f32 under EMBER_CPU_CAPABILITY=avx2 and
// OPENBLAS_CORETYPE=Haswell to see which library an AVX2-only CPU should use.
void blas_sgemm(bool, bool, int64_t m, int64_t n, int64_t k, float alpha, const float* a,
                int64_t lda, const float* b, int64_t ldb, float beta, float* c, int64_t ldc) {
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, static_cast<int>(m), static_cast<int>(n),
              static_cast<int>(k), alpha, a, static_cast<int>(lda), b, static_cast<int>(ldb), beta,
              c, static_cast<int>(ldc));
}
void cblas_f32(benchmark::State& state) { square_gemm<float, &blas_sgemm>(state); }
void gemm_f64(benchmark::State& state) { square_gemm<double, &ember::cpu::gemm_f64>(state); }

// Rates use the calling thread's CPU time: it takes its share of the work when threads > 1, and
// unlike wall time it stays meaningful while other jobs share the machine's two cores.
BENCHMARK(gemm_f32)
    ->RangeMultiplier(2)
    ->Range(256, 2048)
    ->Setup(one_thread_unless_asked)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(cblas_f32)
    ->RangeMultiplier(2)
    ->Range(256, 2048)
    ->Setup(one_thread_unless_asked)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(gemm_f64)
    ->RangeMultiplier(2)
    ->Range(256, 2048)
    ->Setup(one_thread_unless_asked)
    ->Unit(benchmark::kMillisecond);

}  // namespace
