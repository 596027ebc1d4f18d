// ember's op-level benchmarks from C++, the cases of bench/RESULTS.md and the budgets of
// PERFORMANCE.md: per-op overhead of tiny ops, memory-bound elementwise ops and reductions on 16M
// floats (GB/s), float32 matmul (GFLOP/s) and the seed two-layer net with hand-written gradients
// (us per step). Tiny ops run on one thread; the other cases take the thread count as their last
// argument (ember::set_num_threads). Single-thread figures are the ones to compare, since
// two-thread figures collapse whenever anything else runs on the machine. Every result is a fresh
// tensor, as in user code, so the caching allocator is part of what is measured.
#include <benchmark/benchmark.h>

#include <cstdint>

#include "ember/ember.h"

namespace {

constexpr int64_t kBig = int64_t{1} << 24;  // 16M floats = 64 MiB
constexpr double kBigBytes = static_cast<double>(kBig) * sizeof(float);

// Setup hooks: the thread count is range(0) (one-argument cases) or range(1) (sized cases).
void threads_arg0(const benchmark::State& state) {
  ember::set_num_threads(static_cast<int>(state.range(0)));
}
void threads_arg1(const benchmark::State& state) {
  ember::set_num_threads(static_cast<int>(state.range(1)));
}
void one_thread(const benchmark::State&) { ember::set_num_threads(1); }

// Bytes (or flops) per iteration as a rate counter: GB/s when `per_iteration` is in GB.
void rate(benchmark::State& state, const char* name, double per_iteration) {
  state.counters[name] = benchmark::Counter(per_iteration * static_cast<double>(state.iterations()),
                                            benchmark::Counter::kIsRate);
  state.counters["threads"] = ember::get_num_threads();
}

// ------------------------------------------------------------------ per-op overhead
// One thread: below the grain size no op forks anyway. range(0): side of the square operands
// (1 means shape {1}).
void tiny_add(benchmark::State& state) {
  const int64_t side = state.range(0);
  const ember::Tensor a = side == 1 ? ember::ones({1}) : ember::ones({side, side});
  const ember::Tensor b = side == 1 ? ember::ones({1}) : ember::ones({side, side});
  for (auto _ : state) {
    ember::Tensor c = a + b;
    benchmark::DoNotOptimize(c.data_ptr());
  }
  state.counters["threads"] = ember::get_num_threads();
}
BENCHMARK(tiny_add)->Arg(1)->Arg(16)->Setup(one_thread);

// The same on a tensor of one element with a Python-like scalar operand (x + 1.0).
void tiny_add_scalar(benchmark::State& state) {
  const ember::Tensor a = ember::ones({1});
  for (auto _ : state) {
    ember::Tensor c = a + 1.0;
    benchmark::DoNotOptimize(c.data_ptr());
  }
}
BENCHMARK(tiny_add_scalar)->Setup(one_thread);

// A view: no kernel, no allocation of data, only the TensorImpl.
void tiny_view(benchmark::State& state) {
  const ember::Tensor a = ember::ones({16, 16});
  for (auto _ : state) {
    ember::Tensor c = a.t();
    benchmark::DoNotOptimize(c.data_ptr());
  }
}
BENCHMARK(tiny_view)->Setup(one_thread);

// ------------------------------------------------------------------ memory-bound, 16M floats
// range(0): threads. `op` makes a fresh result from two inputs (unary ops ignore the second);
// `streams` is how many 64 MiB arrays one call reads or writes.
using BigOp = ember::Tensor (*)(const ember::Tensor&, const ember::Tensor&);

void big_op(benchmark::State& state, BigOp op, int streams) {
  const ember::Tensor a = ember::rand({kBig});
  const ember::Tensor b = ember::rand({kBig});
  for (auto _ : state) {
    ember::Tensor c = op(a, b);
    benchmark::DoNotOptimize(c.data_ptr());
  }
  rate(state, "GB/s", streams * kBigBytes * 1e-9);
}

ember::Tensor add_op(const ember::Tensor& a, const ember::Tensor& b) { return a + b; }
ember::Tensor exp_op(const ember::Tensor& a, const ember::Tensor&) { return ember::exp(a); }
ember::Tensor tanh_op(const ember::Tensor& a, const ember::Tensor&) { return ember::tanh(a); }
ember::Tensor sum_op(const ember::Tensor& a, const ember::Tensor&) { return a.sum(); }

// Wall time, because with two threads the pool's workers do part of the work. The warm-up fills
// the caching allocator, so first-touch page faults (~190 ms per 64 MiB here) are not measured.
#define EMBER_BIG_BENCHMARK(name, op, streams) \
  BENCHMARK_CAPTURE(big_op, name, op, streams) \
      ->Arg(1)                                 \
      ->Arg(2)                                 \
      ->Setup(threads_arg0)                    \
      ->MinWarmUpTime(0.3)                     \
      ->UseRealTime()                          \
      ->Unit(benchmark::kMillisecond)
EMBER_BIG_BENCHMARK(add_16M, add_op, 3);
EMBER_BIG_BENCHMARK(exp_16M, exp_op, 2);
EMBER_BIG_BENCHMARK(tanh_16M, tanh_op, 2);
EMBER_BIG_BENCHMARK(sum_16M, sum_op, 1);

// ------------------------------------------------------------------ matmul
// range(0): n; range(1): threads.
void matmul_f32(benchmark::State& state) {
  const int64_t n = state.range(0);
  const ember::Tensor a = ember::rand({n, n});
  const ember::Tensor b = ember::rand({n, n});
  for (auto _ : state) {
    ember::Tensor c = a.mm(b);
    benchmark::DoNotOptimize(c.data_ptr());
  }
  rate(state, "GFLOP/s", 2e-9 * static_cast<double>(n) * static_cast<double>(n * n));
}
BENCHMARK(matmul_f32)
    ->ArgsProduct({{256, 512, 1024, 2048}, {1, 2}})
    ->Setup(threads_arg1)
    ->MinWarmUpTime(0.2)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

// ------------------------------------------------------------------ the seed's two-layer net
// One step of examples/cpp/two_layer_tensor.cpp (N=64, 1000->100->10, hand-written backprop),
// with the loss read as a number instead of printed. range(0): threads.
void two_layer_manual(benchmark::State& state) {
  const int64_t N = 64, D_in = 1000, H = 100, D_out = 10;
  ember::manual_seed(0);
  const ember::Tensor x = ember::randn({N, D_in});
  const ember::Tensor y = ember::randn({N, D_out});
  ember::Tensor w1 = ember::randn({D_in, H});
  ember::Tensor w2 = ember::randn({H, D_out});
  const double learning_rate = 1e-6;
  for (auto _ : state) {
    ember::Tensor h = x.mm(w1);
    ember::Tensor h_relu = h.clamp(0);
    ember::Tensor y_pred = h_relu.mm(w2);

    ember::Tensor loss = (y_pred - y).pow(2).sum();
    benchmark::DoNotOptimize(loss.item<float>());

    ember::Tensor grad_y_pred = 2.0 * (y_pred - y);
    ember::Tensor grad_w2 = h_relu.t().mm(grad_y_pred);
    ember::Tensor grad_h_relu = grad_y_pred.mm(w2.t());
    ember::Tensor grad_h = grad_h_relu.clone();
    grad_h.masked_fill_(h < 0, 0);
    ember::Tensor grad_w1 = x.t().mm(grad_h);

    w1 -= learning_rate * grad_w1;
    w2 -= learning_rate * grad_w2;
  }
  state.counters["threads"] = ember::get_num_threads();
}
BENCHMARK(two_layer_manual)
    ->Arg(1)
    ->Arg(2)
    ->Setup(threads_arg0)
    ->MinWarmUpTime(0.2)
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

}  // namespace
