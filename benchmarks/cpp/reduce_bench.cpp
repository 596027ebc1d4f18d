// Reductions: a full sum over 16M contiguous float32 values (memory bound: compare bytes/s with
// the machine's stream bandwidth, single-threaded and with every thread), the same over 64K values
// that stay in L2 (the kernel's own speed, without DRAM; run with EMBER_CPU_CAPABILITY=avx2 to see
// the AVX2 table's), the outer (dim 0) and
// inner (last dim) layouts of a 4096 x 4096 matrix, rows of 4 elements, and argmax over a long
// row.
#include <benchmark/benchmark.h>

#include "ember/base/parallel.h"
#include "ember/ops/ops.h"

namespace {

constexpr int64_t kLong = int64_t{1} << 24;

// Runs `reduce` on x with `threads` threads (0: the default) and counts the bytes read.
template <typename Reduce>
void run(benchmark::State& state, const ember::Tensor& x, int threads, Reduce reduce) {
  const int saved = ember::get_num_threads();
  if (threads > 0) ember::set_num_threads(threads);
  for (auto _ : state) {
    ember::Tensor result = reduce(x);
    benchmark::DoNotOptimize(result.data_ptr());
  }
  ember::set_num_threads(saved);
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(x.nbytes()));
}

void BM_SumFloat32(benchmark::State& state) {
  const ember::Tensor x = ember::rand({kLong});
  run(state, x, static_cast<int>(state.range(0)), [](const ember::Tensor& t) { return t.sum(); });
}
BENCHMARK(BM_SumFloat32)->Arg(1)->Arg(0)->ArgName("threads")->UseRealTime();

void BM_SumFloat32InCache(benchmark::State& state) {
  const ember::Tensor x = ember::rand({int64_t{1} << 16});
  run(state, x, 1, [](const ember::Tensor& t) { return t.sum(); });
}
BENCHMARK(BM_SumFloat32InCache)->UseRealTime();

void BM_SumDim0(benchmark::State& state) {
  const ember::Tensor x = ember::rand({4096, 4096});
  run(state, x, static_cast<int>(state.range(0)),
      [](const ember::Tensor& t) { return t.sum({0}); });
}
BENCHMARK(BM_SumDim0)->Arg(1)->Arg(0)->ArgName("threads")->UseRealTime();

void BM_SumLastDim(benchmark::State& state) {
  const ember::Tensor x = ember::rand({4096, 4096});
  run(state, x, static_cast<int>(state.range(0)),
      [](const ember::Tensor& t) { return t.sum({1}); });
}
BENCHMARK(BM_SumLastDim)->Arg(1)->Arg(0)->ArgName("threads")->UseRealTime();

void BM_SumNarrowRows(benchmark::State& state) {
  const ember::Tensor x = ember::rand({int64_t{1} << 22, 4});
  run(state, x, static_cast<int>(state.range(0)),
      [](const ember::Tensor& t) { return t.sum({1}); });
}
BENCHMARK(BM_SumNarrowRows)->Arg(1)->Arg(0)->ArgName("threads")->UseRealTime();

void BM_Argmax(benchmark::State& state) {
  const ember::Tensor x = ember::rand({kLong});
  run(state, x, static_cast<int>(state.range(0)),
      [](const ember::Tensor& t) { return t.argmax(); });
}
BENCHMARK(BM_Argmax)->Arg(1)->Arg(0)->ArgName("threads")->UseRealTime();

}  // namespace
