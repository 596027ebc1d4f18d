// The bodies of the creation-family CUDA kernels (Fill, Range, Where, AddScaled, Cat), in the
// vocabulary of kernel_grid.h: fill.cu launches them on the GPU, kernel_emulation_fill_test.cpp
// runs them in the CPU emulator. Each kernel is a per-element operation over an ElementwiseLayout
// (output first): the walk is shared (run_pointwise), the operation says what one element does.
// Fill, Where and Cat only move bits, so they run on the unsigned word of the element's size and
// serve every dtype with four instances; Range and AddScaled compute as the CPU does
// (backend/cpu/elementwise.cpp), so their results are the CPU's bit for bit (fill.cu is built
// with --fmad=false: a contracted start + i * step would round differently).
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "ember/backend/cuda/elementwise_kernels.cuh"
#include "ember/backend/cuda/elementwise_layout.h"
#include "ember/backend/cuda/kernel_grid.h"
#include "ember/base/error.h"
#include "ember/ops/primitives.h"
#include "ember/ops/primitives_shape.h"
#include "ember/tensor/dtype_visit.h"
#include "ember/tensor/tensor.h"

namespace ember::cuda {

// Every operand dense in the output's order: element i sits at offset i in each.
template <typename Op, int N>
struct ContiguousPointwise {
  Op op;
  int64_t numel;

  template <typename Ctx>
  EMBER_HOST_DEVICE void operator()(Ctx& ctx) const {
    for (int64_t i = global_thread_x(ctx); i < numel; i += grid_threads_x(ctx)) {
      int64_t offset[N];
      for (int k = 0; k < N; ++k) offset[k] = i;
      op(i, offset);
    }
  }
};

// Any layout: each operand's offset from the element's linear index, in Index arithmetic.
template <typename Op, int N, typename Index>
struct StridedPointwise {
  Op op;
  OffsetCalculator<N, Index> offsets;
  int64_t numel;

  template <typename Ctx>
  EMBER_HOST_DEVICE void operator()(Ctx& ctx) const {
    for (int64_t i = global_thread_x(ctx); i < numel; i += grid_threads_x(ctx)) {
      Index offset[N];
      offsets.get(static_cast<Index>(i), offset);
      op(i, offset);
    }
  }
};

// Launches op(i, offsets) for every element of `layout` (N operands, the output first) through
// launch(shape, body), on the contiguous path or with 32- or 64-bit offsets.
template <int N, typename Op, typename Launch>
void run_pointwise(const ElementwiseLayout& layout, const Op& op, Launch&& launch) {
  if (layout.numel == 0) return;
  const LaunchShape shape = elementwise_launch_shape(layout.numel, 1);
  if (layout.contiguous) {
    launch(shape, ContiguousPointwise<Op, N>{op, layout.numel});
  } else if (layout.fits_32bit) {
    launch(shape, StridedPointwise<Op, N, int32_t>{op, layout.dims.calculator<N, int32_t>(),
                                                   layout.numel});
  } else {
    launch(shape, StridedPointwise<Op, N, int64_t>{op, layout.dims.calculator<N, int64_t>(),
                                                   layout.numel});
  }
}

// Fill: one value, as the bits of its dtype.
template <typename Word>
struct FillOp {
  Word* out;
  Word value;

  template <typename Index>
  EMBER_INLINE void operator()(int64_t, const Index (&offset)[1]) const {
    out[offset[0]] = value;
  }
};

// Range: out[i] = start + i * step in double, cast as the CPU casts (convert).
template <typename T>
struct RangeOp {
  T* out;
  double start, step;

  template <typename Index>
  EMBER_INLINE void operator()(int64_t i, const Index (&offset)[1]) const {
    out[offset[0]] = convert<T>(start + static_cast<double>(i) * step);
  }
};

// Where: the bits of x where the condition's byte is non-zero, else those of y.
template <typename Word>
struct WhereOp {
  Word* out;
  const uint8_t* condition;
  const Word* x;
  const Word* y;

  template <typename Index>
  EMBER_INLINE void operator()(int64_t, const Index (&offset)[4]) const {
    out[offset[0]] = condition[offset[1]] != 0 ? x[offset[2]] : y[offset[3]];
  }
};

// AddScaled: a + alpha * b rounded once (a fused multiply-add), as the CPU's std::fma.
template <typename T>
struct AddScaledOp {
  T* out;
  const T* a;
  const T* b;
  T alpha;

  template <typename Index>
  EMBER_INLINE void operator()(int64_t, const Index (&offset)[3]) const {
    if constexpr (std::is_same_v<T, float>) {
      out[offset[0]] = ::fmaf(alpha, b[offset[2]], a[offset[1]]);
    } else {
      out[offset[0]] = ::fma(alpha, b[offset[2]], a[offset[1]]);
    }
  }
};

// Cat's piece: one input's bits into its slice of the output.
template <typename Word>
struct CopyBitsOp {
  Word* out;
  const Word* in;

  template <typename Index>
  EMBER_INLINE void operator()(int64_t, const Index (&offset)[2]) const {
    out[offset[0]] = in[offset[1]];
  }
};

// The launches of each primitive through launch(shape, body): DeviceLaunch in fill.cu, the
// emulator in the tests, so both run the same host code. Each takes the layout of its operands
// (make_elementwise_layout, output first), which a test may switch to 64-bit offsets.

template <typename Launch>
void run_fill(const Fill& fill, ScalarType dtype, const ElementwiseLayout& layout,
              Launch&& launch) {
  visit_dtype(dtype, [&](auto tag) {
    using T = typename decltype(tag)::type;
    using Word = ElementWord<sizeof(T)>;
    const Scalar& scalar = fill.value();
    // The CPU's conversion of the value (Fill::eval_cpu), done once here on the host.
    const T value =
        scalar.is_floating_point() ? convert<T>(scalar.to_double()) : convert<T>(scalar.to_int64());
    Word bits;
    std::memcpy(&bits, &value, sizeof(T));
    run_pointwise<1>(layout, FillOp<Word>{static_cast<Word*>(layout.data[0]), bits}, launch);
  });
}

template <typename Launch>
void run_range(const Range& range, ScalarType dtype, const ElementwiseLayout& layout,
               Launch&& launch) {
  const bool ran = visit_kernel_dtype(dtype, [&](auto* tag) {
    using T = std::remove_pointer_t<decltype(tag)>;
    run_pointwise<1>(
        layout, RangeOp<T>{static_cast<T*>(layout.data[0]), range.start(), range.step()}, launch);
    return true;
  });
  if (!ran) raise_no_kernel(range.name(), "CUDA");
}

// The layout's operands: out, condition (bool), x, y; elements of `element_size` bytes.
template <typename Launch>
void run_where(size_t element_size, const ElementwiseLayout& layout, Launch&& launch) {
  const bool ran = visit_element_bits(element_size, [&](auto* tag) {
    using Word = std::remove_pointer_t<decltype(tag)>;
    run_pointwise<4>(layout,
                     WhereOp<Word>{static_cast<Word*>(layout.data[0]),
                                   static_cast<const uint8_t*>(layout.data[1]),
                                   static_cast<const Word*>(layout.data[2]),
                                   static_cast<const Word*>(layout.data[3])},
                     launch);
    return true;
  });
  if (!ran) raise_no_kernel("where", "CUDA");
}

// The layout's operands: out, a, b.
template <typename Launch>
void run_add_scaled(const AddScaled& add, ScalarType dtype, const ElementwiseLayout& layout,
                    Launch&& launch) {
  const auto run = [&](auto alpha) {
    using T = decltype(alpha);
    run_pointwise<3>(
        layout,
        AddScaledOp<T>{static_cast<T*>(layout.data[0]), static_cast<const T*>(layout.data[1]),
                       static_cast<const T*>(layout.data[2]), alpha},
        launch);
  };
  if (dtype == kFloat32) return run(static_cast<float>(add.alpha()));
  if (dtype == kFloat64) return run(add.alpha());
  raise_no_kernel(add.name(), "CUDA");
}

// The output is contiguous, so input k fills the slice of `dim` that starts after the inputs
// before it: one launch per non-empty input, copying its bits from any strides.
template <typename Launch>
void run_cat(const Cat& cat, TensorSpan inputs, const Tensor& out, Launch&& launch) {
  if (out.numel() == 0) return;
  const int64_t dim = cat.dim();
  int64_t inner = 1;
  for (int64_t d = dim + 1; d < out.dim(); ++d) inner *= out.sizes()[d];
  int64_t position = 0;  // the slice's first element in the output
  for (const Tensor& input : inputs) {
    const int64_t length = input.sizes()[dim];
    if (input.numel() > 0) {
      Shape slice_shape = out.shape();
      slice_shape[dim] = length;
      const Tensor slice(
          IntrusivePtr<TensorImpl>::make(out.storage(), out.storage_offset() + position,
                                         std::move(slice_shape), out.strides(), out.dtype()));
      const ElementwiseLayout layout = make_elementwise_layout(cat.name(), slice, {&input});
      const bool ran = visit_element_bits(out.element_size(), [&](auto* tag) {
        using Word = std::remove_pointer_t<decltype(tag)>;
        run_pointwise<2>(layout,
                         CopyBitsOp<Word>{static_cast<Word*>(layout.data[0]),
                                          static_cast<const Word*>(layout.data[1])},
                         launch);
        return true;
      });
      if (!ran) raise_no_kernel(cat.name(), "CUDA");
    }
    position += length * inner;
  }
}

}  // namespace ember::cuda
