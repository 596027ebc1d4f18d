// The bodies of the Scan kernels (cumsum, cumprod, cummax, cummin, logcumsumexp), in the
// vocabulary of kernel_grid.h: scan.cu launches them on the GPU, the kernel-emulation tests run
// them in the CPU emulator. A block per scanned row walks it in chunks of one element per thread:
// an inclusive scan of the chunk in shared memory (Hillis-Steele: log2(threads) rounds of
// combine-with-the-element-`offset`-back), then the carry of the chunks before it. Written here
// rather than with CUB, whose block scan the emulator cannot run. Many strided rows (a scan along
// an outer dim) take a thread each instead. Accumulate types and update
// rules are the CPU's (backend/cpu/scan.cpp): double for float32 sums and products, float for
// float16/bfloat16; integer scans wrap.
#pragma once

#include <cstdint>
#include <type_traits>

#include "ember/backend/cuda/kernel_grid.h"
#include "ember/backend/cuda/reduce_kernels.cuh"
#include "ember/backend/cuda/scan_layout.h"
#include "ember/base/half.h"
#include "ember/elementwise/math.h"
#include "ember/tensor/dtype_visit.h"

namespace ember::cuda {

// The accumulate type of sums, products and logcumsumexp, as PyTorch's CPU scans.
template <typename T>
using ScanAcc = std::conditional_t<std::is_same_v<T, float>, double, opmath_t<T>>;

// Each scan is an associative combine(earlier, later) of partial results, the first of which is
// the loaded element; store turns a partial result into the values (and index) outputs.
template <typename T>
struct CumSum {
  using Acc = ScanAcc<T>;
  static EMBER_INLINE Acc load(T x, int64_t) {
    return static_cast<Acc>(static_cast<opmath_t<T>>(x));
  }
  static EMBER_INLINE Acc combine(Acc a, Acc b) { return math::wrapping_add(a, b); }
  static EMBER_INLINE T value(Acc a) { return convert<T>(a); }
  static EMBER_INLINE int64_t index(Acc) { return 0; }
};

template <typename T>
struct CumProd {
  using Acc = ScanAcc<T>;
  static EMBER_INLINE Acc load(T x, int64_t i) { return CumSum<T>::load(x, i); }
  static EMBER_INLINE Acc combine(Acc a, Acc b) { return math::wrapping_mul(a, b); }
  static EMBER_INLINE T value(Acc a) { return convert<T>(a); }
  static EMBER_INLINE int64_t index(Acc) { return 0; }
};

// log(exp(a) + exp(b)) as the CPU's log_add_exp: equal infinities stay as they are.
template <typename T>
struct LogCumSumExp {
  using Acc = ScanAcc<T>;
  static EMBER_INLINE Acc load(T x, int64_t i) { return CumSum<T>::load(x, i); }
  static EMBER_INLINE Acc combine(Acc a, Acc b) {
    const bool infinite = a - a != a - a && a == a;  // +-inf (NaN compares unequal to itself)
    if (infinite && a == b) return a;
    const Acc high = a < b ? b : a;
    const Acc distance = a < b ? b - a : a - b;
    return high + math::Log1p{}(math::Exp{}(-distance));
  }
  static EMBER_INLINE T value(Acc a) { return convert<T>(a); }
  static EMBER_INLINE int64_t index(Acc) { return 0; }
};

template <typename T>
struct ValueIndex {
  opmath_t<T> value;
  int64_t index;
};

// cummax/cummin: the running extremum and where it was last reached. A later part wins when its
// extremum is NaN, or neither is NaN and it is at least as extreme (ties move the index forward),
// which is the CPU's element-by-element rule applied to whole parts.
template <typename T, bool kMax>
struct CumExtremum {
  using Acc = ValueIndex<T>;
  static EMBER_INLINE Acc load(T x, int64_t i) { return Acc{static_cast<opmath_t<T>>(x), i}; }
  static EMBER_INLINE Acc combine(Acc a, Acc b) {
    const bool a_nan = a.value != a.value;
    const bool b_nan = b.value != b.value;
    const bool later_wins = kMax ? b.value >= a.value : b.value <= a.value;
    return b_nan || (!a_nan && later_wins) ? b : a;
  }
  static EMBER_INLINE T value(Acc a) { return convert<T>(a.value); }
  static EMBER_INLINE int64_t index(Acc a) { return a.index; }
};

template <typename Scan, typename T>
struct ScanRows {
  const T* in;
  T* values;
  int64_t* indices;  // null unless the scan has indices
  OffsetCalculator<3, int64_t> rows_walk;
  int64_t step[3];
  int64_t rows;
  int64_t n;

  template <typename Ctx>
  EMBER_HOST_DEVICE void operator()(Ctx& ctx) const {
    using Acc = typename Scan::Acc;
    Acc* chunk = ctx.template shared<Acc>();
    const int thread = linear_thread_in_block(ctx);
    const int threads = static_cast<int>(ctx.block_dim().x);
    for (int64_t r = ctx.block_idx().x; r < rows; r += ctx.grid_dim().x) {
      int64_t base[3];
      rows_walk.get(r, base);
      Acc carry{};
      for (int64_t first = 0; first < n; first += threads) {
        const int64_t i = first + thread;
        const int64_t count = n - first < threads ? n - first : threads;
        // Threads past the row's end scan a copy of its first element: only positions at or
        // before a thread's own reach its result, and those past the end are never stored.
        const int64_t at = i < n ? i : first;
        Acc acc = Scan::load(in[base[0] + at * step[0]], at);
        chunk[thread] = acc;
        ctx.barrier();
        for (int offset = 1; offset < threads; offset *= 2) {
          if (thread >= offset) acc = Scan::combine(chunk[thread - offset], acc);
          ctx.barrier();
          chunk[thread] = acc;
          ctx.barrier();
        }
        if (first > 0) acc = Scan::combine(carry, acc);
        if (i < n) {
          values[base[1] + i * step[1]] = Scan::value(acc);
          if (indices != nullptr) indices[base[2] + i * step[2]] = Scan::index(acc);
        }
        const Acc last = chunk[count - 1];
        carry = first > 0 ? Scan::combine(carry, last) : last;
        ctx.barrier();  // every thread has read the chunk before the next one overwrites it
      }
    }
  }
};

// A thread per row, combining its elements in order (the CPU's order): rows that are not
// contiguous (a scan along an outer dim), when there are enough of them to fill the device.
// Neighbouring threads read neighbouring elements there.
template <typename Scan, typename T>
struct ScanColumns {
  const T* in;
  T* values;
  int64_t* indices;
  OffsetCalculator<3, int64_t> rows_walk;
  int64_t step[3];
  int64_t rows;
  int64_t n;

  template <typename Ctx>
  EMBER_HOST_DEVICE void operator()(Ctx& ctx) const {
    for (int64_t r = global_thread_x(ctx); r < rows; r += grid_threads_x(ctx)) {
      int64_t base[3];
      rows_walk.get(r, base);
      typename Scan::Acc acc = Scan::load(in[base[0]], 0);
      for (int64_t i = 0; i < n; ++i) {
        if (i > 0) acc = Scan::combine(acc, Scan::load(in[base[0] + i * step[0]], i));
        values[base[1] + i * step[1]] = Scan::value(acc);
        if (indices != nullptr) indices[base[2] + i * step[2]] = Scan::index(acc);
      }
    }
  }
};

inline constexpr unsigned kScanBlockThreads = 256;
// At least this many strided rows take a thread each (ScanColumns) rather than a block each.
inline constexpr int64_t kScanColumnRows = 1024;

// Launches Scan over `layout` through launch(shape, body).
template <typename Scan, typename T, typename Launch>
void run_scan(const ScanLayout& layout, Launch&& launch) {
  if (layout.rows == 0 || layout.n == 0) return;
  const auto rows_walk = layout.walk.calculator<3, int64_t>();
  const T* in = static_cast<const T*>(layout.in);
  T* values = static_cast<T*>(layout.values);
  LaunchShape shape;
  if (layout.step[0] != 1 && layout.rows >= kScanColumnRows) {
    const int64_t blocks = (layout.rows + kScanBlockThreads - 1) / kScanBlockThreads;
    shape.grid.x = static_cast<uint32_t>(blocks < kMaxReduceBlocks ? blocks : kMaxReduceBlocks);
    shape.block.x = kScanBlockThreads;
    launch(shape, ScanColumns<Scan, T>{in,
                                       values,
                                       layout.indices,
                                       rows_walk,
                                       {layout.step[0], layout.step[1], layout.step[2]},
                                       layout.rows,
                                       layout.n});
    return;
  }
  shape.grid.x =
      static_cast<uint32_t>(layout.rows < kMaxReduceBlocks ? layout.rows : kMaxReduceBlocks);
  shape.block.x = layout.n < kScanBlockThreads ? reduce_block_threads(layout.n) : kScanBlockThreads;
  shape.shared_bytes = sizeof(typename Scan::Acc) * shape.block.x;
  launch(shape, ScanRows<Scan, T>{in,
                                  values,
                                  layout.indices,
                                  rows_walk,
                                  {layout.step[0], layout.step[1], layout.step[2]},
                                  layout.rows,
                                  layout.n});
}

}  // namespace ember::cuda
