// The bodies of the sorting and selection kernels (Sort, Topk, Mode, SearchSorted, Nonzero), in
// the vocabulary of kernel_grid.h: sort.cu and nonzero.cu launch them on the GPU,
// kernel_emulation_sort_test.cpp runs them in the CPU emulator (Note [CUDA sorting and
// selection] in docs/architecture.md). Elements compare through the CPU's order-preserving keys
// (base/sort_key.h), so NaN sorts above +inf and -0.0 equals +0.0 as on the CPU.
#pragma once

#include <cstdint>
#include <type_traits>

#include "ember/backend/cuda/kernel_grid.h"
#include "ember/backend/cuda/reduce_kernels.cuh"
#include "ember/backend/cuda/sort_layout.h"
#include "ember/base/half.h"
#include "ember/base/sort_key.h"

namespace ember::cuda {

// Rows up to this many elements sort in one block's shared memory: a 64-bit key and a 32-bit
// index each, 48 KiB, the dynamic shared memory every device grants without opting in.
inline constexpr int64_t kMaxBlockSortLength = 4096;
inline constexpr unsigned kMaxSortBlockThreads = 512;
inline constexpr int64_t kMaxSortBlocks = int64_t{1} << 16;

enum class RowTask : uint8_t { Sort, Topk, Mode };

// (keys[i], at[i]) after (keys[j], at[j]): by key, then by index, so equal keys keep their order
// and the sort is stable.
template <typename K>
EMBER_INLINE bool sorts_after(const K* keys, const int32_t* at, int64_t i, int64_t j) {
  return keys[i] > keys[j] || (keys[i] == keys[j] && at[i] > at[j]);
}

// Bitonic sort of `padded` (a power of two) key/index pairs in shared memory, ascending. Every
// thread of the block calls it; each compare-exchange step is a pass of the block's threads
// over the padded / 2 pairs, then a barrier.
template <typename K, typename Ctx>
EMBER_INLINE void block_bitonic_sort(Ctx& ctx, K* keys, int32_t* at, int64_t padded) {
  const int thread = linear_thread_in_block(ctx);
  const int64_t threads = ctx.block_dim().x;
  for (int64_t size = 2; size <= padded; size *= 2) {
    for (int64_t stride = size / 2; stride > 0; stride /= 2) {
      for (int64_t t = thread; t < padded / 2; t += threads) {
        const int64_t i = 2 * t - (t & (stride - 1));
        const int64_t j = i + stride;
        const bool ascending = (i & size) == 0;
        if (sorts_after(keys, at, i, j) == ascending) {
          const K key = keys[i];
          keys[i] = keys[j];
          keys[j] = key;
          const int32_t index = at[i];
          at[i] = at[j];
          at[j] = index;
        }
      }
      ctx.barrier();
    }
  }
}

// A block per row (grid-stride over rows): the row's keys (inverted when `invert`: descending
// sort, top-k largest) with their indices are loaded into shared memory, padded to a power of
// two with keys and indices above every element's, sorted, then
//   Sort: every element written in order;  Topk: the first `kept`;
//   Mode: thread 0 walks the sorted row for the first longest run of equal keys (the smallest
//   most frequent value) and writes its last index; NaNs are each a run of their own, as the CPU.
template <typename T, RowTask kTask>
struct RowSortKernel {
  const T* in;
  T* values;
  int64_t* indices;
  OffsetCalculator<3, int64_t> outer;
  int64_t rows, length, kept, padded;
  int64_t in_step, value_step, index_step;
  bool invert;

  template <typename Ctx>
  EMBER_HOST_DEVICE void operator()(Ctx& ctx) const {
    using K = key_t<T>;
    K* keys = ctx.template shared<K>();
    int32_t* at = reinterpret_cast<int32_t*>(keys + padded);
    const int thread = linear_thread_in_block(ctx);
    const int64_t threads = ctx.block_dim().x;
    for (int64_t row = ctx.block_idx().x; row < rows; row += ctx.grid_dim().x) {
      int64_t offset[3];
      outer.get(row, offset);
      const T* x = in + offset[0];
      for (int64_t i = thread; i < padded; i += threads) {
        K key = static_cast<K>(~K{0});
        if (i < length) {
          key = sort_key(x[i * in_step]);
          if (invert) key = static_cast<K>(~key);
        }
        keys[i] = key;
        at[i] = static_cast<int32_t>(i);
      }
      ctx.barrier();
      block_bitonic_sort(ctx, keys, at, padded);
      if constexpr (kTask == RowTask::Mode) {
        if (thread == 0) {
          int64_t best_count = 0, best_index = 0, run = 0;
          for (int64_t i = 0; i < length; ++i) {
            ++run;
            if (i + 1 == length || keys[i + 1] != keys[i] || is_nan_key<T>(keys[i])) {
              if (run > best_count) {
                best_count = run;
                best_index = at[i];
              }
              run = 0;
            }
          }
          values[offset[1]] = x[best_index * in_step];
          indices[offset[2]] = best_index;
        }
      } else {
        // Values are read back from x, so -0.0 and NaN payloads survive the keys.
        for (int64_t i = thread; i < kept; i += threads) {
          values[offset[1] + i * value_step] = x[at[i] * in_step];
          indices[offset[2] + i * index_step] = at[i];
        }
      }
      ctx.barrier();  // the next row overwrites the shared memory
    }
  }
};

// Whether the rows of `layout` fit the block sort (else they take the segmented sort below).
inline bool fits_block_sort(const SortRowsLayout& layout) {
  return layout.length <= kMaxBlockSortLength;
}

// Sorts (Sort), selects (Topk) or counts (Mode) the rows of `layout` through launch(shape,
// body). The rows must fit the block sort.
template <typename T, RowTask kTask, typename Launch>
void run_row_sort(const SortRowsLayout& layout, bool invert, Launch&& launch) {
  if (layout.rows == 0 || layout.kept == 0) return;
  // At least 2, so that the 32-bit indices after the keys stay 4-byte aligned for 16-bit keys.
  int64_t padded = 2;
  while (padded < layout.length) padded *= 2;
  int64_t threads = padded / 2;
  if (threads < kWarpSize) threads = kWarpSize;
  if (threads > kMaxSortBlockThreads) threads = kMaxSortBlockThreads;
  LaunchShape shape;
  shape.grid.x = static_cast<uint32_t>(layout.rows < kMaxSortBlocks ? layout.rows : kMaxSortBlocks);
  shape.block.x = static_cast<uint32_t>(threads);
  shape.shared_bytes = static_cast<size_t>(padded) * (sizeof(key_t<T>) + sizeof(int32_t));
  launch(shape,
         RowSortKernel<T, kTask>{static_cast<const T*>(layout.in), static_cast<T*>(layout.values),
                                 layout.indices, layout.outer.calculator<3, int64_t>(), layout.rows,
                                 layout.length, layout.kept, padded, layout.step[0], layout.step[1],
                                 layout.step[2], invert});
}

// Rows longer than the block sort: RowKeysKernel writes every row's keys (inverted when
// `invert`) and in-row positions into contiguous buffers, row after row; a segmented sort, stable
// (cub::DeviceSegmentedRadixSort on the GPU), sorts each row's pairs by key; then
// SortedRowsKernel writes the outputs from the sorted pairs: an element per thread for Sort and
// Topk, a row per thread for Mode (the walk of RowSortKernel's Mode).
inline constexpr unsigned kLongSortBlockThreads = 256;

template <typename T>
struct RowKeysKernel {
  const T* in;
  key_t<T>* keys;
  int64_t* positions;
  OffsetCalculator<3, int64_t> outer;
  int64_t count, length, in_step;
  bool invert;

  template <typename Ctx>
  EMBER_HOST_DEVICE void operator()(Ctx& ctx) const {
    using K = key_t<T>;
    for (int64_t e = global_thread_x(ctx); e < count; e += grid_threads_x(ctx)) {
      const int64_t row = e / length, i = e % length;
      int64_t offset[3];
      outer.get(row, offset);
      const K key = sort_key(in[offset[0] + i * in_step]);
      keys[e] = invert ? static_cast<K>(~key) : key;
      positions[e] = i;
    }
  }
};

template <typename T, RowTask kTask>
struct SortedRowsKernel {
  const T* in;
  T* values;
  int64_t* indices;
  const key_t<T>* keys;      // sorted, row after row
  const int64_t* positions;  // sorted with the keys
  OffsetCalculator<3, int64_t> outer;
  int64_t rows, length, kept;
  int64_t in_step, value_step, index_step;

  template <typename Ctx>
  EMBER_HOST_DEVICE void operator()(Ctx& ctx) const {
    if constexpr (kTask == RowTask::Mode) {
      for (int64_t row = global_thread_x(ctx); row < rows; row += grid_threads_x(ctx)) {
        int64_t offset[3];
        outer.get(row, offset);
        const key_t<T>* k = keys + row * length;
        const int64_t* at = positions + row * length;
        int64_t best_count = 0, best_index = 0, run = 0;
        for (int64_t i = 0; i < length; ++i) {
          ++run;
          if (i + 1 == length || k[i + 1] != k[i] || is_nan_key<T>(k[i])) {
            if (run > best_count) {
              best_count = run;
              best_index = at[i];
            }
            run = 0;
          }
        }
        values[offset[1]] = in[offset[0] + best_index * in_step];
        indices[offset[2]] = best_index;
      }
    } else {
      for (int64_t e = global_thread_x(ctx); e < rows * kept; e += grid_threads_x(ctx)) {
        const int64_t row = e / kept, i = e % kept;
        int64_t offset[3];
        outer.get(row, offset);
        const int64_t at = positions[row * length + i];
        values[offset[1] + i * value_step] = in[offset[0] + at * in_step];
        indices[offset[2] + i * index_step] = at;
      }
    }
  }
};

inline LaunchShape long_sort_shape(int64_t threads_needed) {
  const int64_t blocks = (threads_needed + kLongSortBlockThreads - 1) / kLongSortBlockThreads;
  LaunchShape shape;
  shape.grid.x = static_cast<uint32_t>(blocks < kMaxSortBlocks ? blocks : kMaxSortBlocks);
  shape.block.x = kLongSortBlockThreads;
  return shape;
}

// Fills keys and positions (rows * length each) for the segmented sort.
template <typename T, typename Launch>
void run_row_keys(const SortRowsLayout& layout, bool invert, key_t<T>* keys, int64_t* positions,
                  Launch&& launch) {
  const int64_t count = layout.rows * layout.length;
  if (count == 0) return;
  launch(long_sort_shape(count), RowKeysKernel<T>{static_cast<const T*>(layout.in), keys, positions,
                                                  layout.outer.calculator<3, int64_t>(), count,
                                                  layout.length, layout.step[0], invert});
}

// Writes the outputs of layout from its rows' sorted keys and positions.
template <typename T, RowTask kTask, typename Launch>
void run_sorted_rows(const SortRowsLayout& layout, const key_t<T>* keys, const int64_t* positions,
                     Launch&& launch) {
  if (layout.rows == 0 || layout.kept == 0) return;
  launch(long_sort_shape(kTask == RowTask::Mode ? layout.rows : layout.rows * layout.kept),
         SortedRowsKernel<T, kTask>{
             static_cast<const T*>(layout.in), static_cast<T*>(layout.values), layout.indices, keys,
             positions, layout.outer.calculator<3, int64_t>(), layout.rows, layout.length,
             layout.kept, layout.step[0], layout.step[1], layout.step[2]});
}

inline constexpr unsigned kSearchBlockThreads = 256;

// A thread per value: the binary search of the CPU (cpu/scan_sort.cpp) over the value's row.
template <typename T, typename Out>
struct SearchSortedKernel {
  const T* sorted;
  const T* needles;
  Out* out;
  int64_t count;    // values
  int64_t length;   // elements per row of sorted
  int64_t per_row;  // values per row of sorted (all of them for 1-d sorted)
  bool right;

  template <typename Ctx>
  EMBER_HOST_DEVICE void operator()(Ctx& ctx) const {
    for (int64_t i = global_thread_x(ctx); i < count; i += grid_threads_x(ctx)) {
      const T* row = sorted + (i / per_row) * length;
      out[i] = static_cast<Out>(sorted_insertion_point(row, length, needles[i], right));
    }
  }
};

template <typename T, typename Out, typename Launch>
void run_search_sorted(const T* sorted, const T* needles, Out* out, int64_t count, int64_t length,
                       int64_t per_row, bool right, Launch&& launch) {
  if (count == 0) return;
  const int64_t blocks = (count + kSearchBlockThreads - 1) / kSearchBlockThreads;
  LaunchShape shape;
  shape.grid.x = static_cast<uint32_t>(blocks < kMaxSortBlocks ? blocks : kMaxSortBlocks);
  shape.block.x = kSearchBlockThreads;
  launch(shape, SearchSortedKernel<T, Out>{sorted, needles, out, count, length, per_row, right});
}

// Nonzero: the elements in row-major order are split into chunks, a block per chunk. The count
// pass writes each chunk's nonzeros; the write pass starts each block at the sum of the earlier
// chunks' counts and walks its chunk a block-wide tile at a time, placing each nonzero element by
// an exclusive scan of the tile's flags.
inline constexpr unsigned kNonzeroBlockThreads = 256;
inline constexpr int64_t kMaxNonzeroBlocks = 1024;

template <typename T>
EMBER_INLINE bool is_nonzero(T value) {
  if constexpr (std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>) {
    return static_cast<float>(value) != 0.0f;  // NaN counts, -0.0 does not
  } else {
    return value != T(0);
  }
}

// The exclusive prefix sum of value over the block (x only), and the block's total in `total`:
// a Hillis-Steele scan in shared memory (one int64 per thread). Every thread must call it.
template <typename Ctx>
EMBER_INLINE int64_t block_exclusive_scan(Ctx& ctx, int64_t value, int64_t& total) {
  int64_t* sums = ctx.template shared<int64_t>();
  const int thread = linear_thread_in_block(ctx);
  const int threads = static_cast<int>(ctx.block_dim().x);
  sums[thread] = value;
  ctx.barrier();
  for (int offset = 1; offset < threads; offset *= 2) {
    const int64_t earlier = thread >= offset ? sums[thread - offset] : 0;
    ctx.barrier();
    sums[thread] += earlier;
    ctx.barrier();
  }
  total = sums[threads - 1];
  const int64_t inclusive = sums[thread];
  ctx.barrier();  // read before the caller's next scan writes
  return inclusive - value;
}

template <typename T>
struct NonzeroCountKernel {
  const T* in;
  int64_t* counts;  // one per chunk
  OffsetCalculator<1, int64_t> walk;
  int64_t numel, chunk;

  template <typename Ctx>
  EMBER_HOST_DEVICE void operator()(Ctx& ctx) const {
    const int64_t begin = ctx.block_idx().x * chunk;
    const int64_t end = begin + chunk < numel ? begin + chunk : numel;
    int64_t count = 0;
    for (int64_t i = begin + linear_thread_in_block(ctx); i < end; i += ctx.block_dim().x) {
      int64_t offset[1];
      walk.get(i, offset);
      count += is_nonzero(in[offset[0]]) ? 1 : 0;
    }
    count = block_reduce<SumReduce<int64_t>>(ctx, count);
    if (linear_thread_in_block(ctx) == 0) counts[ctx.block_idx().x] = count;
  }
};

template <typename T>
struct NonzeroWriteKernel {
  const T* in;
  int64_t* out;
  const int64_t* counts;
  OffsetCalculator<1, int64_t> walk;
  int64_t numel, chunk;
  int ndim;
  int64_t sizes[kMaxKernelDims];  // innermost first

  template <typename Ctx>
  EMBER_HOST_DEVICE void operator()(Ctx& ctx) const {
    const int thread = linear_thread_in_block(ctx);
    const int64_t block = ctx.block_idx().x;
    int64_t earlier = 0;
    for (int64_t b = thread; b < block; b += ctx.block_dim().x) earlier += counts[b];
    earlier = block_reduce<SumReduce<int64_t>>(ctx, earlier);
    int64_t* shared = ctx.template shared<int64_t>();
    if (thread == 0) shared[0] = earlier;
    ctx.barrier();
    int64_t next = shared[0];  // the row of out the block's next nonzero goes to
    ctx.barrier();
    const int64_t begin = block * chunk;
    const int64_t end = begin + chunk < numel ? begin + chunk : numel;
    for (int64_t tile = begin; tile < end; tile += ctx.block_dim().x) {
      const int64_t i = tile + thread;
      bool flag = false;
      if (i < end) {
        int64_t offset[1];
        walk.get(i, offset);
        flag = is_nonzero(in[offset[0]]);
      }
      int64_t total = 0;
      const int64_t position = next + block_exclusive_scan(ctx, flag ? 1 : 0, total);
      if (flag) {
        int64_t rest = i;
        for (int j = 0; j < ndim; ++j) {
          out[position * ndim + (ndim - 1 - j)] = rest % sizes[j];
          rest /= sizes[j];
        }
      }
      next += total;
    }
  }
};

// The chunks run_nonzero splits numel elements into: the length of the block_counts buffer.
inline int64_t nonzero_chunk(int64_t numel) {
  const int64_t even = (numel + kMaxNonzeroBlocks - 1) / kMaxNonzeroBlocks;
  return even > kNonzeroBlockThreads ? even : kNonzeroBlockThreads;
}
inline int64_t nonzero_blocks(int64_t numel) {
  return (numel + nonzero_chunk(numel) - 1) / nonzero_chunk(numel);
}

// Writes the coordinates of layout's nonzero elements (out holds exactly their count) through
// launch(shape, body), with block_counts (nonzero_blocks(numel) int64s) as its scratch.
template <typename T, typename Launch>
void run_nonzero(const NonzeroLayout& layout, int64_t* block_counts, Launch&& launch) {
  if (layout.numel == 0) return;
  const int64_t chunk = nonzero_chunk(layout.numel);
  LaunchShape shape;
  shape.grid.x = static_cast<uint32_t>(nonzero_blocks(layout.numel));
  shape.block.x = kNonzeroBlockThreads;
  shape.shared_bytes = sizeof(int64_t) * kNonzeroBlockThreads;
  const auto walk = layout.walk.calculator<1, int64_t>();
  const auto* in = static_cast<const T*>(layout.in);
  launch(shape, NonzeroCountKernel<T>{in, block_counts, walk, layout.numel, chunk});
  NonzeroWriteKernel<T> write{in,           layout.out, block_counts, walk,
                              layout.numel, chunk,      layout.ndim,  {}};
  for (int j = 0; j < layout.ndim; ++j) write.sizes[j] = layout.sizes[j];
  launch(shape, write);
}

}  // namespace ember::cuda
