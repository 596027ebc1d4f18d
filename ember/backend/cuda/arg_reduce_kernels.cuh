// The bodies of the ArgReduce kernels (argmax/argmin with their values, as max(dim) and min(dim)
// return them), in the vocabulary of kernel_grid.h: arg_reduce.cu launches them on the GPU, the
// kernel-emulation tests run them in the CPU emulator. The walks are the Reduce kernels' (a block
// per output over a contiguous run or when outputs are few, a thread per output otherwise); the
// fold carries (value, index) pairs, which a warp shuffle cannot move, so blocks combine them
// through shared memory (block_fold_shared).
#pragma once

#include <cstdint>
#include <limits>
#include <type_traits>

#include "ember/backend/cuda/kernel_grid.h"
#include "ember/backend/cuda/reduce_kernels.cuh"
#include "ember/backend/cuda/reduce_layout.h"
#include "ember/base/half.h"
#include "ember/tensor/dtype_visit.h"

namespace ember::cuda {

template <typename T>
struct ArgPair {
  opmath_t<T> value;
  int64_t index;
};

// The CPU's order (backend/cpu/arg_reduce_kernels.inc): the more extreme value wins, equal values
// keep the lower index, and NaN beats every number (the first NaN among NaNs). Commutative, so
// the tree of block_fold_shared finds the CPU's answer.
template <typename T, bool kMax>
struct ArgFold {
  using Acc = ArgPair<T>;
  static EMBER_INLINE Acc identity() {
    return Acc{ExtremumReduce<T, kMax>::identity(), std::numeric_limits<int64_t>::max()};
  }
  static EMBER_INLINE Acc fold(Acc a, Acc b) {
    if constexpr (std::is_floating_point_v<opmath_t<T>>) {
      const bool a_nan = a.value != a.value;
      const bool b_nan = b.value != b.value;
      if (a_nan != b_nan) return a_nan ? a : b;
      if (a_nan) return a.index < b.index ? a : b;
    }
    if (kMax ? b.value > a.value : b.value < a.value) return b;
    if (kMax ? a.value > b.value : a.value < b.value) return a;
    return a.index < b.index ? a : b;
  }
};

template <typename T>
struct ArgReducePointers {
  const T* in;
  T* values;
  int64_t* indices;  // at the values' offsets (the primitive's outputs share strides)
};

// A block per output; the reduced index is the position along the primitive's dim.
template <typename T, bool kMax, typename Index>
struct InnerArgReduce {
  ArgReducePointers<T> p;
  OffsetCalculator<2, Index> kept;
  OffsetCalculator<1, Index> folded;
  bool contiguous_run;
  int64_t outputs;
  int64_t reduced;

  template <typename Ctx>
  EMBER_HOST_DEVICE void operator()(Ctx& ctx) const {
    using Fold = ArgFold<T, kMax>;
    const int thread = linear_thread_in_block(ctx);
    for (int64_t o = ctx.block_idx().x; o < outputs; o += ctx.grid_dim().x) {
      Index offset[2];
      kept.get(static_cast<Index>(o), offset);
      const T* row = p.in + offset[0];
      typename Fold::Acc acc = Fold::identity();
      for (int64_t r = thread; r < reduced; r += ctx.block_dim().x) {
        Index step[1] = {static_cast<Index>(r)};
        if (!contiguous_run) folded.get(static_cast<Index>(r), step);
        acc = Fold::fold(acc, {static_cast<opmath_t<T>>(row[step[0]]), r});
      }
      acc = block_fold_shared<Fold>(ctx, acc);
      if (thread == 0) {
        p.values[offset[1]] = convert<T>(acc.value);
        p.indices[offset[1]] = acc.index;
      }
    }
  }
};

// A thread per output, walking its elements in order.
template <typename T, bool kMax, typename Index>
struct OuterArgReduce {
  ArgReducePointers<T> p;
  OffsetCalculator<2, Index> kept;
  OffsetCalculator<1, Index> folded;
  int64_t outputs;
  int64_t reduced;

  template <typename Ctx>
  EMBER_HOST_DEVICE void operator()(Ctx& ctx) const {
    using Fold = ArgFold<T, kMax>;
    for (int64_t o = global_thread_x(ctx); o < outputs; o += grid_threads_x(ctx)) {
      Index offset[2];
      kept.get(static_cast<Index>(o), offset);
      typename Fold::Acc acc = Fold::identity();
      for (int64_t r = 0; r < reduced; ++r) {
        Index step[1];
        folded.get(static_cast<Index>(r), step);
        acc = Fold::fold(acc, {static_cast<opmath_t<T>>(p.in[offset[0] + step[0]]), r});
      }
      p.values[offset[1]] = convert<T>(acc.value);
      p.indices[offset[1]] = acc.index;
    }
  }
};

// Launches the arg fold of `layout` (make_reduce_layout of the input and the values output, one
// reduced dim) through launch(shape, body).
template <typename T, bool kMax, typename Index, typename Launch>
void run_arg_reduce_with_index(const ReduceLayout& layout, int64_t* indices, Launch&& launch) {
  const ArgReducePointers<T> p{static_cast<const T*>(layout.in), static_cast<T*>(layout.out),
                               indices};
  const auto kept = layout.kept.calculator<2, Index>();
  const auto folded = layout.folded.calculator<1, Index>();
  LaunchShape shape;
  if (layout.inner || layout.outputs < kFewOutputs) {
    shape.grid.x = static_cast<uint32_t>(layout.outputs < kMaxReduceBlocks ? layout.outputs
                                                                           : kMaxReduceBlocks);
    shape.block.x = reduce_block_threads(layout.reduced);
    shape.shared_bytes = block_fold_shared_bytes<ArgPair<T>>(shape.block.x);
    launch(shape, InnerArgReduce<T, kMax, Index>{p, kept, folded, layout.inner, layout.outputs,
                                                 layout.reduced});
  } else {
    const int64_t blocks = (layout.outputs + kReduceBlockThreads - 1) / kReduceBlockThreads;
    shape.grid.x = static_cast<uint32_t>(blocks < kMaxReduceBlocks ? blocks : kMaxReduceBlocks);
    shape.block.x = kReduceBlockThreads;
    launch(shape, OuterArgReduce<T, kMax, Index>{p, kept, folded, layout.outputs, layout.reduced});
  }
}

template <typename T, bool kMax, typename Launch>
void run_arg_reduce(const ReduceLayout& layout, int64_t* indices, Launch&& launch) {
  if (layout.outputs == 0) return;
  if (layout.fits_32bit) {
    run_arg_reduce_with_index<T, kMax, int32_t>(layout, indices, launch);
  } else {
    run_arg_reduce_with_index<T, kMax, int64_t>(layout, indices, launch);
  }
}

}  // namespace ember::cuda
