// The bodies of the indexing CUDA kernels, in the vocabulary of kernel_grid.h: index.cu,
// scatter.cu and embedding.cu launch them on the GPU, kernel_emulation_index_test.cpp runs them in
// the CPU emulator (docs/architecture.md, Note [CUDA indexing]). Each thread moves one element,
// reading its index from device memory; an index out of range is reported (IndexError at the
// host's next synchronisation) and its element skipped. Pure moves are instantiated per element
// size, so they serve every dtype; accumulations per kernel dtype (visit_kernel_dtype).
#pragma once

#include <cstdint>
#include <type_traits>

#include "ember/backend/cuda/elementwise_kernels.cuh"
#include "ember/backend/cuda/index_layout.h"
#include "ember/backend/cuda/kernel_grid.h"
#include "ember/ops/primitives_scatter.h"

namespace ember::cuda {

// ------------------------------------------------------------------ Index and IndexPut

enum class IndexMove : uint8_t { Gather, Assign, Accumulate };

// One thread per element moved: linear = (outer, tuple, inner), inner fastest. Gather reads self
// into the result; Assign and Accumulate write values into self.
template <typename T, IndexMove kMove, typename Index>
struct AdvancedIndexBody {
  T* self;
  T* other;
  const int64_t* positions;
  int64_t count;
  int64_t tuple_stride;
  int indexed;
  int64_t indexed_sizes[kMaxKernelDims];
  int64_t indexed_strides[kMaxKernelDims];
  bool allow_negative;
  OffsetCalculator<2, Index> outer, inner;
  int64_t inner_numel;
  int64_t numel;

  template <typename Ctx>
  EMBER_HOST_DEVICE void operator()(Ctx& ctx) const {
    for (int64_t i = global_thread_x(ctx); i < numel; i += grid_threads_x(ctx)) {
      const int64_t row = i / inner_numel;
      const int64_t tuple = row % count;
      int64_t self_offset = 0;
      bool in_range = true;
      for (int j = 0; j < indexed; ++j) {
        const int64_t raw = positions[j * count + tuple];
        const int64_t size = indexed_sizes[j];
        const int64_t position = raw < 0 && allow_negative ? raw + size : raw;
        if (position < 0 || position >= size) {
          ctx.report_index_error(raw, size);
          in_range = false;
          break;
        }
        self_offset += position * indexed_strides[j];
      }
      if (!in_range) continue;
      Index outer_offset[2], inner_offset[2];
      outer.get(static_cast<Index>(row / count), outer_offset);
      inner.get(static_cast<Index>(i % inner_numel), inner_offset);
      self_offset += int64_t{outer_offset[0]} + inner_offset[0];
      const int64_t other_offset =
          int64_t{outer_offset[1]} + inner_offset[1] + tuple * tuple_stride;
      if constexpr (kMove == IndexMove::Gather) {
        other[other_offset] = self[self_offset];
      } else if constexpr (kMove == IndexMove::Assign) {
        self[self_offset] = other[other_offset];
      } else {
        ctx.atomic_add(self + self_offset, other[other_offset]);
      }
    }
  }
};

template <typename T, IndexMove kMove, typename Index>
AdvancedIndexBody<T, kMove, Index> advanced_index_body(const AdvancedIndexLayout& layout) {
  AdvancedIndexBody<T, kMove, Index> body{};
  body.self = static_cast<T*>(layout.self);
  body.other = static_cast<T*>(layout.other);
  body.positions = layout.positions;
  body.count = layout.count;
  body.tuple_stride = layout.tuple_stride;
  body.indexed = layout.indexed;
  for (int j = 0; j < layout.indexed; ++j) {
    body.indexed_sizes[j] = layout.indexed_sizes[j];
    body.indexed_strides[j] = layout.indexed_strides[j];
  }
  body.allow_negative = layout.allow_negative;
  body.outer = layout.outer.calculator<2, Index>();
  body.inner = layout.inner.calculator<2, Index>();
  body.inner_numel = layout.inner_numel;
  body.numel = layout.numel;
  return body;
}

// Launches the move over `layout` through launch(shape, body), as run_elementwise does. T is the
// element (its bits for Gather and Assign, its dtype for Accumulate).
template <typename T, IndexMove kMove, typename Launch>
void run_advanced_index(const AdvancedIndexLayout& layout, Launch&& launch) {
  if (layout.numel == 0) return;
  const LaunchShape shape = elementwise_launch_shape(layout.numel, 1);
  if (layout.fits_32bit) {
    launch(shape, advanced_index_body<T, kMove, int32_t>(layout));
  } else {
    launch(shape, advanced_index_body<T, kMove, int64_t>(layout));
  }
}

// ------------------------------------------------------------------ Gather and Scatter

// The combinations of ScatterMode, as the CPU's scatter (backend/cpu/scatter.cpp) applies them.
template <typename T, ScatterMode kMode>
EMBER_INLINE T scatter_combine(T current, T value) {
  using Acc = opmath_t<T>;
  if constexpr (kMode == ScatterMode::Multiply) {
    return T(static_cast<Acc>(static_cast<Acc>(current) * static_cast<Acc>(value)));
  } else {
    static_assert(kMode == ScatterMode::Amax || kMode == ScatterMode::Amin);
    const Acc held = static_cast<Acc>(current), incoming = static_cast<Acc>(value);
    // NaN propagates: a NaN value replaces, a NaN held stays (a comparison with NaN is false).
    const bool replace = kMode == ScatterMode::Amax ? incoming > held : incoming < held;
    return replace || incoming != incoming ? value : current;
  }
}

enum class ScatterMove : uint8_t { Gather, Assign, Add };

// One thread per index element: linear = (position, j), j (along `dim`) fastest.
template <typename T, ScatterMove kMove, typename Index>
struct ScatterBody {
  T* target;
  const int64_t* index;
  T* dense;
  OffsetCalculator<3, Index> others;
  int64_t length;
  int64_t bound;
  int64_t steps[3];
  int64_t numel;

  template <typename Ctx>
  EMBER_HOST_DEVICE void operator()(Ctx& ctx) const {
    for (int64_t i = global_thread_x(ctx); i < numel; i += grid_threads_x(ctx)) {
      const int64_t j = i % length;
      Index offset[3];
      others.get(static_cast<Index>(i / length), offset);
      const int64_t value = index[offset[ScatterLayout::kIndex] + j * steps[ScatterLayout::kIndex]];
      if (value < 0 || value >= bound) {
        ctx.report_index_error(value, bound);
        continue;
      }
      T* at = target + offset[ScatterLayout::kTarget] + value * steps[ScatterLayout::kTarget];
      T* dense_at = dense + offset[ScatterLayout::kDense] + j * steps[ScatterLayout::kDense];
      if constexpr (kMove == ScatterMove::Gather) {
        *dense_at = *at;
      } else if constexpr (kMove == ScatterMove::Assign) {
        *at = *dense_at;
      } else {
        ctx.atomic_add(at, *dense_at);
      }
    }
  }
};

// ScatterReduce's Multiply, Amax and Amin: one thread per position outside `dim`, walking `dim`
// in index order. Positions never address the same element of self, so no atomics are needed,
// and each element sees its updates in the CPU's order (the same result, bit for bit).
template <typename T, ScatterMode kMode, typename Index>
struct ScatterReduceBody {
  T* target;
  const int64_t* index;
  const T* dense;
  OffsetCalculator<3, Index> others;
  int64_t length;
  int64_t bound;
  int64_t steps[3];
  int64_t positions;

  template <typename Ctx>
  EMBER_HOST_DEVICE void operator()(Ctx& ctx) const {
    for (int64_t p = global_thread_x(ctx); p < positions; p += grid_threads_x(ctx)) {
      Index offset[3];
      others.get(static_cast<Index>(p), offset);
      for (int64_t j = 0; j < length; ++j) {
        const int64_t value =
            index[offset[ScatterLayout::kIndex] + j * steps[ScatterLayout::kIndex]];
        if (value < 0 || value >= bound) {
          ctx.report_index_error(value, bound);
          continue;
        }
        T* at = target + offset[ScatterLayout::kTarget] + value * steps[ScatterLayout::kTarget];
        *at = scatter_combine<T, kMode>(
            *at, dense[offset[ScatterLayout::kDense] + j * steps[ScatterLayout::kDense]]);
      }
    }
  }
};

template <typename T, ScatterMove kMove, typename Launch>
void run_scatter_move(const ScatterLayout& layout, Launch&& launch) {
  const int64_t numel = layout.positions * layout.length;
  if (numel == 0) return;
  const LaunchShape shape = elementwise_launch_shape(numel, 1);
  auto body = [&](auto* index_tag) {
    using Index = std::remove_pointer_t<decltype(index_tag)>;
    launch(shape, ScatterBody<T, kMove, Index>{static_cast<T*>(layout.target),
                                               layout.index,
                                               static_cast<T*>(layout.dense),
                                               layout.others.calculator<3, Index>(),
                                               layout.length,
                                               layout.bound,
                                               {layout.steps[0], layout.steps[1], layout.steps[2]},
                                               numel});
  };
  if (layout.fits_32bit) {
    body(static_cast<int32_t*>(nullptr));
  } else {
    body(static_cast<int64_t*>(nullptr));
  }
}

template <typename T, ScatterMode kMode, typename Launch>
void run_scatter_reduce(const ScatterLayout& layout, Launch&& launch) {
  if (layout.positions == 0 || layout.length == 0) return;
  const LaunchShape shape = elementwise_launch_shape(layout.positions, 1);
  auto body = [&](auto* index_tag) {
    using Index = std::remove_pointer_t<decltype(index_tag)>;
    launch(shape,
           ScatterReduceBody<T, kMode, Index>{static_cast<T*>(layout.target),
                                              layout.index,
                                              static_cast<const T*>(layout.dense),
                                              layout.others.calculator<3, Index>(),
                                              layout.length,
                                              layout.bound,
                                              {layout.steps[0], layout.steps[1], layout.steps[2]},
                                              layout.positions});
  };
  if (layout.fits_32bit) {
    body(static_cast<int32_t*>(nullptr));
  } else {
    body(static_cast<int64_t*>(nullptr));
  }
}

// ------------------------------------------------------------------ Embedding

// out[i, c] = weight[indices[i], c]: one thread per element of the result.
template <typename T>
struct EmbeddingBody {
  const T* table;
  T* rows;
  const int64_t* indices;
  int64_t table_rows;
  int64_t width;
  int64_t numel;

  template <typename Ctx>
  EMBER_HOST_DEVICE void operator()(Ctx& ctx) const {
    for (int64_t i = global_thread_x(ctx); i < numel; i += grid_threads_x(ctx)) {
      const int64_t row = indices[i / width];
      if (row < 0 || row >= table_rows) {
        ctx.report_index_error(row, table_rows);
        continue;
      }
      rows[i] = table[row * width + i % width];
    }
  }
};

template <typename T>
struct ZeroBody {
  T* data;
  int64_t numel;

  template <typename Ctx>
  EMBER_HOST_DEVICE void operator()(Ctx& ctx) const {
    for (int64_t i = global_thread_x(ctx); i < numel; i += grid_threads_x(ctx)) data[i] = T(0);
  }
};

// counts[r] = the number of indices equal to r (scale_grad_by_freq).
struct EmbeddingCountBody {
  const int64_t* indices;
  int64_t* counts;
  int64_t table_rows;
  int64_t count;

  template <typename Ctx>
  EMBER_HOST_DEVICE void operator()(Ctx& ctx) const {
    for (int64_t i = global_thread_x(ctx); i < count; i += grid_threads_x(ctx)) {
      const int64_t row = indices[i];
      if (row < 0 || row >= table_rows) {
        ctx.report_index_error(row, table_rows);
        continue;
      }
      ctx.atomic_add(counts + row, int64_t{1});
    }
  }
};

// grad_weight[indices[i], c] += factor * grad[i, c], skipping padding_idx; factor is 1, or
// 1 / counts[indices[i]] with scale_grad_by_freq (as the CPU computes it, in T).
template <typename T>
struct EmbeddingBackwardBody {
  T* table;
  const T* rows;
  const int64_t* indices;
  const int64_t* counts;  // null without scale_grad_by_freq
  int64_t padding_idx;
  int64_t table_rows;
  int64_t width;
  int64_t numel;

  template <typename Ctx>
  EMBER_HOST_DEVICE void operator()(Ctx& ctx) const {
    for (int64_t i = global_thread_x(ctx); i < numel; i += grid_threads_x(ctx)) {
      const int64_t row = indices[i / width];
      if (row == padding_idx) continue;
      if (row < 0 || row >= table_rows) {
        ctx.report_index_error(row, table_rows);
        continue;
      }
      const T factor = counts == nullptr ? T(1) : T(1) / static_cast<T>(counts[row]);
      ctx.atomic_add(table + row * width + i % width, factor * rows[i]);
    }
  }
};

template <typename T, typename Launch>
void run_embedding(const EmbeddingLayout& layout, Launch&& launch) {
  const int64_t numel = layout.count * layout.width;
  if (numel == 0) return;
  launch(elementwise_launch_shape(numel, 1),
         EmbeddingBody<T>{static_cast<const T*>(layout.table), static_cast<T*>(layout.rows),
                          layout.indices, layout.table_rows, layout.width, numel});
}

// `counts` is scratch for table_rows int64 values on the kernels' device, or null without
// scale_grad_by_freq. Summation order differs between runs on the GPU (atomics); the CPU's is
// the index order.
template <typename T, typename Launch>
void run_embedding_backward(const EmbeddingLayout& layout, int64_t padding_idx, int64_t* counts,
                            Launch&& launch) {
  T* table = static_cast<T*>(layout.table);
  const int64_t table_numel = layout.table_rows * layout.width;
  if (table_numel > 0) {
    launch(elementwise_launch_shape(table_numel, 1), ZeroBody<T>{table, table_numel});
  }
  const int64_t numel = layout.count * layout.width;
  if (numel == 0) return;
  if (counts != nullptr) {
    launch(elementwise_launch_shape(layout.table_rows, 1),
           ZeroBody<int64_t>{counts, layout.table_rows});
    launch(elementwise_launch_shape(layout.count, 1),
           EmbeddingCountBody{layout.indices, counts, layout.table_rows, layout.count});
  }
  launch(elementwise_launch_shape(numel, 1),
         EmbeddingBackwardBody<T>{table, static_cast<const T*>(layout.rows), layout.indices, counts,
                                  padding_idx, layout.table_rows, layout.width, numel});
}

}  // namespace ember::cuda
