// The bodies of the Softmax kernels (softmax and log_softmax forward along one dim of a
// contiguous input), in the vocabulary of kernel_grid.h: softmax.cu launches them on the GPU, the
// kernel-emulation tests run them in the CPU emulator. The input is (outer, n, inner) around the
// dim. inner == 1: a block per row, whose threads fold (max, sum of exp(x - max)) pairs online
// over their strided elements, combine the pairs through shared memory, then write the row. A
// thread per (outer, inner) column otherwise, folding the same pairs in order. The exp and log are
// elementwise/math.h's; float16/bfloat16 compute in float, as the CPU.
#pragma once

#include <cstdint>
#include <limits>

#include "ember/backend/cuda/kernel_grid.h"
#include "ember/backend/cuda/reduce_kernels.cuh"
#include "ember/base/half.h"
#include "ember/elementwise/math.h"
#include "ember/tensor/dtype_visit.h"

namespace ember::cuda {

template <typename A>
struct MaxSum {
  A max;
  A sum;  // of exp(x - max); 0 only for the identity
};

// The online softmax fold: two partial (max, sum) pairs rescaled to the larger max. Equal maxima
// add without a rescale, so a row of -inf gives (−inf, n) and then NaN outputs (exp(-inf - -inf))
// as the CPU's two passes do; NaN anywhere makes the sum NaN, and every output with it.
template <typename A>
struct MaxSumFold {
  using Acc = MaxSum<A>;
  static EMBER_INLINE Acc identity() { return Acc{-std::numeric_limits<A>::infinity(), A(0)}; }
  static EMBER_INLINE Acc load(A x) { return Acc{x, A(1)}; }
  static EMBER_INLINE Acc fold(Acc a, Acc b) {
    if (a.sum == A(0)) return b;
    if (b.sum == A(0)) return a;
    if (a.max == b.max) return Acc{a.max, a.sum + b.sum};
    const math::Exp exp;
    const A max = b.max > a.max ? b.max : a.max;
    return Acc{max, a.sum * exp(a.max - max) + b.sum * exp(b.max - max)};
  }
};

// y = exp(x - max) / sum, or (x - max) - log(sum) for log_softmax.
template <typename T, typename A>
EMBER_INLINE T softmax_output(A x, const MaxSum<A>& row, A scale_or_log_sum, bool log) {
  const math::Exp exp;
  return convert<T>(log ? (x - row.max) - scale_or_log_sum : exp(x - row.max) * scale_or_log_sum);
}

template <typename A>
EMBER_INLINE A softmax_scale(const MaxSum<A>& row, bool log) {
  const math::Log ln;
  return log ? ln(row.sum) : A(1) / row.sum;
}

template <typename T>
struct SoftmaxRows {
  const T* in;
  T* out;
  int64_t rows;
  int64_t n;
  bool log;

  template <typename Ctx>
  EMBER_HOST_DEVICE void operator()(Ctx& ctx) const {
    using A = opmath_t<T>;
    using Fold = MaxSumFold<A>;
    const int thread = linear_thread_in_block(ctx);
    for (int64_t r = ctx.block_idx().x; r < rows; r += ctx.grid_dim().x) {
      const T* x = in + r * n;
      T* y = out + r * n;
      MaxSum<A> acc = Fold::identity();
      for (int64_t i = thread; i < n; i += ctx.block_dim().x) {
        acc = Fold::fold(acc, Fold::load(static_cast<A>(x[i])));
      }
      acc = block_fold_shared<Fold>(ctx, acc);
      const A scale = softmax_scale(acc, log);
      for (int64_t i = thread; i < n; i += ctx.block_dim().x) {
        y[i] = softmax_output<T>(static_cast<A>(x[i]), acc, scale, log);
      }
    }
  }
};

template <typename T>
struct SoftmaxColumns {
  const T* in;
  T* out;
  int64_t columns;  // outer * inner
  int64_t n;
  int64_t inner;
  bool log;

  template <typename Ctx>
  EMBER_HOST_DEVICE void operator()(Ctx& ctx) const {
    using A = opmath_t<T>;
    using Fold = MaxSumFold<A>;
    for (int64_t c = global_thread_x(ctx); c < columns; c += grid_threads_x(ctx)) {
      const int64_t base = c / inner * n * inner + c % inner;
      MaxSum<A> acc = Fold::identity();
      for (int64_t i = 0; i < n; ++i) {
        acc = Fold::fold(acc, Fold::load(static_cast<A>(in[base + i * inner])));
      }
      const A scale = softmax_scale(acc, log);
      for (int64_t i = 0; i < n; ++i) {
        out[base + i * inner] =
            softmax_output<T>(static_cast<A>(in[base + i * inner]), acc, scale, log);
      }
    }
  }
};

// Launches softmax over dense (outer, n, inner) data through launch(shape, body).
template <typename T, typename Launch>
void run_softmax(const T* in, T* out, int64_t outer, int64_t n, int64_t inner, bool log,
                 Launch&& launch) {
  if (outer == 0 || n == 0 || inner == 0) return;
  LaunchShape shape;
  if (inner == 1) {
    shape.grid.x = static_cast<uint32_t>(outer < kMaxReduceBlocks ? outer : kMaxReduceBlocks);
    shape.block.x = reduce_block_threads(n);
    shape.shared_bytes = block_fold_shared_bytes<MaxSum<opmath_t<T>>>(shape.block.x);
    launch(shape, SoftmaxRows<T>{in, out, outer, n, log});
  } else {
    const int64_t columns = outer * inner;
    const int64_t blocks = (columns + kReduceBlockThreads - 1) / kReduceBlockThreads;
    shape.grid.x = static_cast<uint32_t>(blocks < kMaxReduceBlocks ? blocks : kMaxReduceBlocks);
    shape.block.x = kReduceBlockThreads;
    launch(shape, SoftmaxColumns<T>{in, out, columns, n, inner, log});
  }
}

}  // namespace ember::cuda
