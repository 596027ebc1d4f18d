// The bodies of the Reduce kernels (every ReduceOp, and CountNonzero's count), in the vocabulary of
// kernel_grid.h: reduce.cu launches them on the GPU, the kernel-emulation tests run them in the
// CPU emulator. The folds and their accumulate types are the CPU's (backend/cpu/reduce_folds.h):
// int64 for integer and bool sums and products, float for float16/bfloat16, bool for all/any;
// results convert to the output's dtype on store (convert, as the CPU's store_run).
// Two walks: a block per output when the reduced elements are one contiguous run (the innermost
// dim: threads stride over it, then a block reduce through warp shuffles and shared memory), and
// a thread per output otherwise (outer dims: neighbouring threads read neighbouring columns).
#pragma once

#include <cstdint>
#include <limits>
#include <type_traits>

#include "ember/backend/cuda/kernel_grid.h"
#include "ember/backend/cuda/reduce_layout.h"
#include "ember/base/half.h"
#include "ember/tensor/dtype_visit.h"

namespace ember::cuda {

// The accumulate type of sums and products: int64 for integers and bool, opmath otherwise.
template <typename T>
using WideAcc = std::conditional_t<std::is_integral_v<T>, int64_t, opmath_t<T>>;

// Integer sums and products wrap around in int64 as PyTorch's (and the CPU backend's) do,
// computed unsigned to avoid overflow's undefined behaviour.
template <typename T>
struct SumReduce {
  using Acc = WideAcc<T>;
  static EMBER_INLINE Acc identity() { return Acc(0); }
  static EMBER_INLINE Acc load(T x) { return static_cast<Acc>(static_cast<opmath_t<T>>(x)); }
  static EMBER_INLINE Acc fold(Acc a, Acc b) {
    if constexpr (std::is_integral_v<Acc>) {
      return static_cast<Acc>(static_cast<uint64_t>(a) + static_cast<uint64_t>(b));
    } else {
      return a + b;
    }
  }
};

// x * x rounded before the add, as the CPU's SumSquaresFold (the 2-norm's fold).
template <typename T>
struct SumSquaresReduce {
  using Acc = WideAcc<T>;
  static EMBER_INLINE Acc identity() { return Acc(0); }
  static EMBER_INLINE Acc load(T x) {
    const Acc value = SumReduce<T>::load(x);
    if constexpr (std::is_integral_v<Acc>) {
      return static_cast<Acc>(static_cast<uint64_t>(value) * static_cast<uint64_t>(value));
    } else {
      return value * value;
    }
  }
  static EMBER_INLINE Acc fold(Acc a, Acc b) { return SumReduce<T>::fold(a, b); }
};

template <typename T>
struct ProdReduce {
  using Acc = WideAcc<T>;
  static EMBER_INLINE Acc identity() { return Acc(1); }
  static EMBER_INLINE Acc load(T x) { return SumReduce<T>::load(x); }
  static EMBER_INLINE Acc fold(Acc a, Acc b) {
    if constexpr (std::is_integral_v<Acc>) {
      return static_cast<Acc>(static_cast<uint64_t>(a) * static_cast<uint64_t>(b));
    } else {
      return a * b;
    }
  }
};

// all/any test x != 0 (NaN is true), as convert<bool>.
template <typename T>
struct AllReduce {
  using Acc = bool;
  static EMBER_INLINE Acc identity() { return true; }
  static EMBER_INLINE Acc load(T x) { return convert<bool>(x); }
  static EMBER_INLINE Acc fold(Acc a, Acc b) { return a && b; }
};
template <typename T>
struct AnyReduce {
  using Acc = bool;
  static EMBER_INLINE Acc identity() { return false; }
  static EMBER_INLINE Acc load(T x) { return convert<bool>(x); }
  static EMBER_INLINE Acc fold(Acc a, Acc b) { return a || b; }
};

// CountNonzero's count: a sum of x != 0.
template <typename T>
struct NonzeroCountReduce {
  using Acc = int64_t;
  static EMBER_INLINE Acc identity() { return 0; }
  static EMBER_INLINE Acc load(T x) { return convert<bool>(x) ? 1 : 0; }
  static EMBER_INLINE Acc fold(Acc a, Acc b) { return a + b; }
};

// amax/amin propagate NaN: a NaN operand wins every fold.
template <typename T, bool kMax>
struct ExtremumReduce {
  using Acc = opmath_t<T>;
  static EMBER_INLINE Acc identity() {
    if constexpr (std::is_floating_point_v<Acc>) {
      return kMax ? -std::numeric_limits<Acc>::infinity() : std::numeric_limits<Acc>::infinity();
    } else {
      return kMax ? std::numeric_limits<Acc>::lowest() : std::numeric_limits<Acc>::max();
    }
  }
  static EMBER_INLINE Acc load(T x) { return static_cast<Acc>(x); }
  static EMBER_INLINE Acc fold(Acc a, Acc b) {
    if constexpr (std::is_floating_point_v<Acc>) {
      if (a != a) return a;
      if (b != b) return b;
    }
    return (kMax ? b > a : b < a) ? b : a;
  }
};
template <typename T>
using MaxReduce = ExtremumReduce<T, true>;
template <typename T>
using MinReduce = ExtremumReduce<T, false>;

inline constexpr unsigned kReduceBlockThreads = 256;
inline constexpr int64_t kMaxReduceBlocks = int64_t{1} << 16;
// Fewer outputs than this take a block each whatever their layout: a thread each would leave
// most of the device idle (a full reduction, CountNonzero).
inline constexpr int64_t kFewOutputs = 1024;

// The block of a block-per-output walk over `reduced` elements: whole warps, no more than the
// run needs (one when it is empty).
inline unsigned reduce_block_threads(int64_t reduced) {
  const int64_t warps = reduced > kWarpSize ? (reduced + kWarpSize - 1) / kWarpSize : 1;
  const int64_t max_warps = kReduceBlockThreads / kWarpSize;
  return static_cast<unsigned>((warps < max_warps ? warps : max_warps) * kWarpSize);
}

// Folds value over the 32 lanes of the caller's warp; lane 0 holds the result.
template <typename Fold, typename Ctx>
EMBER_INLINE typename Fold::Acc warp_reduce(Ctx& ctx, typename Fold::Acc value) {
  for (int offset = kWarpSize / 2; offset > 0; offset /= 2) {
    value = Fold::fold(value, ctx.shfl_down(value, offset));
  }
  return value;
}

// Folds value over the block (a whole number of warps; shared memory for one Acc per warp);
// thread 0 holds the result. Every thread of the block must call it.
template <typename Fold, typename Ctx>
EMBER_INLINE typename Fold::Acc block_reduce(Ctx& ctx, typename Fold::Acc value) {
  using Acc = typename Fold::Acc;
  Acc* partial = ctx.template shared<Acc>();
  const int thread = linear_thread_in_block(ctx);
  const int warps = static_cast<int>(ctx.block_dim().x / kWarpSize);
  value = warp_reduce<Fold>(ctx, value);
  if (ctx.lane() == 0) partial[thread / kWarpSize] = value;
  ctx.barrier();
  if (thread < kWarpSize) {
    value = warp_reduce<Fold>(ctx, thread < warps ? partial[thread] : Fold::identity());
  }
  ctx.barrier();  // the partials are read before the caller's next block_reduce writes them
  return value;
}

// Folds value over the block through shared memory, one Acc per thread (block_fold_shared_bytes),
// for accumulators a warp shuffle cannot move (value-index pairs, softmax's max-sum pairs). Fold
// must be commutative: the halves fold in a tree. Every thread gets the result; every thread of
// the block must call it.
template <typename Fold, typename Ctx>
EMBER_INLINE typename Fold::Acc block_fold_shared(Ctx& ctx, typename Fold::Acc value) {
  using Acc = typename Fold::Acc;
  Acc* slots = ctx.template shared<Acc>();
  const int thread = linear_thread_in_block(ctx);
  const Dim3 block = ctx.block_dim();
  int count = static_cast<int>(block.x * block.y * block.z);
  slots[thread] = value;
  ctx.barrier();
  while (count > 1) {
    const int half = (count + 1) / 2;
    if (thread < count - half) slots[thread] = Fold::fold(slots[thread], slots[thread + half]);
    ctx.barrier();
    count = half;
  }
  value = slots[0];
  ctx.barrier();  // everyone has read slot 0 before the caller's next fold writes the slots
  return value;
}
template <typename Acc>
constexpr size_t block_fold_shared_bytes(unsigned threads) {
  return sizeof(Acc) * threads;
}

// A block per output (grid-stride over outputs), its threads striding over the reduced elements:
// a contiguous run (the innermost dims), or any walk when there are too few outputs to give each
// a thread.
template <typename Fold, typename In, typename Out, typename Index>
struct InnerReduce {
  const In* in;
  Out* out;
  OffsetCalculator<2, Index> kept;    // output index -> (input offset, output offset)
  OffsetCalculator<1, Index> folded;  // reduced index -> input offset from the output's base
  bool contiguous_run;                // the reduced elements are row[0, reduced)
  int64_t outputs;
  int64_t reduced;

  template <typename Ctx>
  EMBER_HOST_DEVICE void operator()(Ctx& ctx) const {
    const int thread = linear_thread_in_block(ctx);
    for (int64_t o = ctx.block_idx().x; o < outputs; o += ctx.grid_dim().x) {
      Index offset[2];
      kept.get(static_cast<Index>(o), offset);
      const In* row = in + offset[0];
      typename Fold::Acc acc = Fold::identity();
      for (int64_t r = thread; r < reduced; r += ctx.block_dim().x) {
        Index step[1] = {static_cast<Index>(r)};
        if (!contiguous_run) folded.get(static_cast<Index>(r), step);
        acc = Fold::fold(acc, Fold::load(row[step[0]]));
      }
      acc = block_reduce<Fold>(ctx, acc);
      if (thread == 0) out[offset[1]] = convert<Out>(acc);
    }
  }
};

// A thread per output, folding the reduced elements in order.
template <typename Fold, typename In, typename Out, typename Index>
struct OuterReduce {
  const In* in;
  Out* out;
  OffsetCalculator<2, Index> kept;
  OffsetCalculator<1, Index> folded;  // reduced index -> input offset from the output's base
  int64_t outputs;
  int64_t reduced;

  template <typename Ctx>
  EMBER_HOST_DEVICE void operator()(Ctx& ctx) const {
    for (int64_t o = global_thread_x(ctx); o < outputs; o += grid_threads_x(ctx)) {
      Index offset[2];
      kept.get(static_cast<Index>(o), offset);
      typename Fold::Acc acc = Fold::identity();
      for (int64_t r = 0; r < reduced; ++r) {
        Index step[1];
        folded.get(static_cast<Index>(r), step);
        acc = Fold::fold(acc, Fold::load(in[offset[0] + step[0]]));
      }
      out[offset[1]] = convert<Out>(acc);
    }
  }
};

// Launches Fold over `layout` through launch(shape, body), as run_elementwise does.
template <typename Fold, typename In, typename Out, typename Index, typename Launch>
void run_reduce_with_index(const ReduceLayout& layout, Launch&& launch) {
  const In* in = static_cast<const In*>(layout.in);
  Out* out = static_cast<Out*>(layout.out);
  const auto kept = layout.kept.calculator<2, Index>();
  LaunchShape shape;
  if (layout.inner || layout.outputs < kFewOutputs) {
    shape.grid.x = static_cast<uint32_t>(layout.outputs < kMaxReduceBlocks ? layout.outputs
                                                                           : kMaxReduceBlocks);
    shape.block.x = reduce_block_threads(layout.reduced);
    shape.shared_bytes = sizeof(typename Fold::Acc) * (shape.block.x / kWarpSize);
    launch(shape,
           InnerReduce<Fold, In, Out, Index>{in, out, kept, layout.folded.calculator<1, Index>(),
                                             layout.inner, layout.outputs, layout.reduced});
  } else {
    const int64_t blocks = (layout.outputs + kReduceBlockThreads - 1) / kReduceBlockThreads;
    shape.grid.x = static_cast<uint32_t>(blocks < kMaxReduceBlocks ? blocks : kMaxReduceBlocks);
    shape.block.x = kReduceBlockThreads;
    launch(shape,
           OuterReduce<Fold, In, Out, Index>{in, out, kept, layout.folded.calculator<1, Index>(),
                                             layout.outputs, layout.reduced});
  }
}

template <typename Fold, typename In, typename Out, typename Launch>
void run_reduce(const ReduceLayout& layout, Launch&& launch) {
  if (layout.outputs == 0) return;
  if (layout.fits_32bit) {
    run_reduce_with_index<Fold, In, Out, int32_t>(layout, launch);
  } else {
    run_reduce_with_index<Fold, In, Out, int64_t>(layout, launch);
  }
}

}  // namespace ember::cuda
