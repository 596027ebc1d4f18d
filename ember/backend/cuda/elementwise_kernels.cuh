// The bodies of the elementwise CUDA kernels, in the vocabulary of kernel_grid.h: elementwise.cu
// launches them on the GPU, kernel_emulation_test.cpp runs them in the CPU emulator. The math is
// the CPU's (elementwise/math.h, opmath float for float16/bfloat16); only the walk is here.
#pragma once

#include <cstdint>
#include <type_traits>

#include "ember/backend/cuda/elementwise_layout.h"
#include "ember/backend/cuda/kernel_grid.h"
#include "ember/base/half.h"
#include "ember/elementwise/math.h"
#include "ember/elementwise/type_rule.h"
#include "ember/tensor/dtype.h"
#include "ember/tensor/dtype_visit.h"

namespace ember::cuda {

// Consecutive elements per thread on the contiguous path: enough independent loads in flight to
// cover memory latency, few enough that small tensors still spread over many threads.
inline constexpr int kElementsPerThread = 4;
inline constexpr unsigned kElementwiseBlockThreads = 128;
// Grid-stride loops cover the rest: more blocks than this only adds scheduling work.
inline constexpr int64_t kMaxElementwiseBlocks = int64_t{1} << 16;

// The dtypes the CUDA kernels are built for, as each op's type rule admits them: float32/64,
// float16, bfloat16, int32/64. Bool and uint8 (masks, images) come in only where they are common
// (visit_kernel_or_byte_dtype); others (int8, int16, ...) raise "has no CUDA kernel": each dtype
// is three more kernels per op, and nvcc's time is CI's.
template <typename F>
bool visit_kernel_dtype(ScalarType dtype, F&& f) {
  switch (dtype) {
    case ScalarType::Float32:
      return f(static_cast<float*>(nullptr));
    case ScalarType::Float64:
      return f(static_cast<double*>(nullptr));
    case ScalarType::Float16:
      return f(static_cast<Half*>(nullptr));
    case ScalarType::BFloat16:
      return f(static_cast<BFloat16*>(nullptr));
    case ScalarType::Int32:
      return f(static_cast<int32_t*>(nullptr));
    case ScalarType::Int64:
      return f(static_cast<int64_t*>(nullptr));
    default:
      return false;
  }
}
template <typename T>
inline constexpr bool kIsKernelFloat = !std::is_integral_v<T>;

// The kernel dtypes plus bool and uint8: the Copy kernel (a mask's `.float()`, an image's
// `.float() / 255`) and the ops masks go through (comparisons, logical and bitwise ops).
template <typename F>
bool visit_kernel_or_byte_dtype(ScalarType dtype, F&& f) {
  switch (dtype) {
    case ScalarType::Bool:
      return f(static_cast<bool*>(nullptr));
    case ScalarType::UInt8:
      return f(static_cast<uint8_t*>(nullptr));
    default:
      return visit_kernel_dtype(dtype, f);
  }
}

// The unsigned integer of a `Bytes`-wide element: kernels that only move elements (copies,
// gathers, fills of a bit pattern) need no more than its bits, one instantiation per size.
template <int Bytes>
using ElementWord = std::conditional_t<
    Bytes == 1, uint8_t,
    std::conditional_t<Bytes == 2, uint16_t, std::conditional_t<Bytes == 4, uint32_t, uint64_t>>>;

// Calls f(static_cast<ElementWord<element_size>*>(nullptr)); false for other sizes.
template <typename F>
bool visit_element_bits(size_t element_size, F&& f) {
  switch (element_size) {
    case 1:
      return f(static_cast<uint8_t*>(nullptr));
    case 2:
      return f(static_cast<uint16_t*>(nullptr));
    case 4:
      return f(static_cast<uint32_t*>(nullptr));
    case 8:
      return f(static_cast<uint64_t*>(nullptr));
    default:
      return false;
  }
}

// Whether a rule's kernels are built for bool and uint8 operands too.
constexpr bool admits_byte_operands(BinaryTypeRule rule) {
  return rule == BinaryTypeRule::Comparison || rule == BinaryTypeRule::Logical ||
         rule == BinaryTypeRule::Bitwise;
}
constexpr bool admits_byte_operands(UnaryTypeRule rule) { return rule == UnaryTypeRule::Bitwise; }

// The operand dtypes an op with `rule` has kernels for: visit_kernel_dtype, widened to bool and
// uint8 where admits_byte_operands says so.
template <auto rule, typename F>
bool visit_operand_dtype(ScalarType dtype, F&& f) {
  if constexpr (admits_byte_operands(rule)) {
    return visit_kernel_or_byte_dtype(dtype, f);
  } else {
    return visit_kernel_dtype(dtype, f);
  }
}

template <UnaryTypeRule rule, typename T>
constexpr bool has_unary_kernel() {
  switch (rule) {
    case UnaryTypeRule::Floating:
      return kIsKernelFloat<T>;
    case UnaryTypeRule::Bitwise:
      return !kIsKernelFloat<T>;
    case UnaryTypeRule::Numeric:
      return true;
  }
  return false;
}
template <BinaryTypeRule rule, typename T>
constexpr bool has_binary_kernel() {
  switch (rule) {
    case BinaryTypeRule::TrueDivide:
      return kIsKernelFloat<T>;
    case BinaryTypeRule::Bitwise:
    case BinaryTypeRule::Shift:
    case BinaryTypeRule::Integral:
      return !kIsKernelFloat<T>;
    case BinaryTypeRule::Arithmetic:
    case BinaryTypeRule::ArithmeticNoBool:
    case BinaryTypeRule::Comparison:
    case BinaryTypeRule::Logical:
      return true;
  }
  return false;
}

// The Copy primitive's element: the CPU's cast (convert in tensor/dtype_visit.h) to To. The
// opmath step before it is exact (float16/bfloat16 widen to float), so results match the CPU's.
template <typename To>
struct CastTo {
  template <typename From>
  EMBER_INLINE To operator()(From x) const {
    return convert<To>(x);
  }
};

template <typename Out, typename In, int NIn>
struct ElementwisePointers {
  Out* out;
  const In* in[NIn];
};

// y = op(x...) in In's opmath type, stored as Out.
template <typename Op, typename Out, typename In, int NIn>
EMBER_INLINE Out apply_elementwise(const Op& op, const In (&x)[NIn]) {
  using M = opmath_t<In>;
  if constexpr (NIn == 1) {
    return Out(op(static_cast<M>(x[0])));
  } else {
    static_assert(NIn == 2);
    return Out(op(static_cast<M>(x[0]), static_cast<M>(x[1])));
  }
}

// Every operand contiguous with the output's shape: each thread loads kElementsPerThread
// consecutive elements of each input before it computes and stores them.
template <typename Op, typename Out, typename In, int NIn>
struct ContiguousElementwise {
  ElementwisePointers<Out, In, NIn> p;
  int64_t numel;

  template <typename Ctx>
  EMBER_HOST_DEVICE void operator()(Ctx& ctx) const {
    const Op op{};
    const int64_t step = grid_threads_x(ctx) * kElementsPerThread;
    for (int64_t base = global_thread_x(ctx) * kElementsPerThread; base < numel; base += step) {
      if (base + kElementsPerThread <= numel) {
        In x[kElementsPerThread][NIn];
        for (int v = 0; v < kElementsPerThread; ++v) {
          for (int k = 0; k < NIn; ++k) x[v][k] = p.in[k][base + v];
        }
        for (int v = 0; v < kElementsPerThread; ++v) {
          p.out[base + v] = apply_elementwise<Op, Out, In, NIn>(op, x[v]);
        }
      } else {
        for (int64_t i = base; i < numel; ++i) {
          In x[NIn];
          for (int k = 0; k < NIn; ++k) x[k] = p.in[k][i];
          p.out[i] = apply_elementwise<Op, Out, In, NIn>(op, x);
        }
      }
    }
  }
};

// Any layout (broadcast, transposed, sliced): one element per thread and grid-stride step, its
// operands' offsets computed from its linear index in Index arithmetic.
template <typename Op, typename Out, typename In, int NIn, typename Index>
struct StridedElementwise {
  ElementwisePointers<Out, In, NIn> p;
  OffsetCalculator<NIn + 1, Index> offsets;
  int64_t numel;

  template <typename Ctx>
  EMBER_HOST_DEVICE void operator()(Ctx& ctx) const {
    const Op op{};
    for (int64_t i = global_thread_x(ctx); i < numel; i += grid_threads_x(ctx)) {
      Index offset[NIn + 1];
      offsets.get(static_cast<Index>(i), offset);
      In x[NIn];
      for (int k = 0; k < NIn; ++k) x[k] = p.in[k][offset[k + 1]];
      p.out[offset[0]] = apply_elementwise<Op, Out, In, NIn>(op, x);
    }
  }
};

inline LaunchShape elementwise_launch_shape(int64_t numel, int64_t elements_per_thread) {
  const int64_t per_block = int64_t{kElementwiseBlockThreads} * elements_per_thread;
  const int64_t blocks = (numel + per_block - 1) / per_block;
  LaunchShape shape;
  shape.grid.x =
      static_cast<uint32_t>(blocks < kMaxElementwiseBlocks ? blocks : kMaxElementwiseBlocks);
  shape.block.x = kElementwiseBlockThreads;
  return shape;
}

// Launches op over `layout` (output first) through launch(shape, body): the GPU's <<<>>> in
// elementwise.cu, the emulator in the tests. Chooses the contiguous path when it applies and
// 32-bit offsets when every offset fits.
template <typename Op, typename Out, typename In, int NIn, typename Launch>
void run_elementwise(const ElementwiseLayout& layout, Launch&& launch) {
  if (layout.numel == 0) return;
  ElementwisePointers<Out, In, NIn> p;
  p.out = static_cast<Out*>(layout.data[0]);
  for (int k = 0; k < NIn; ++k) p.in[k] = static_cast<const In*>(layout.data[k + 1]);
  if (layout.contiguous) {
    launch(elementwise_launch_shape(layout.numel, kElementsPerThread),
           ContiguousElementwise<Op, Out, In, NIn>{p, layout.numel});
  } else if (layout.fits_32bit) {
    launch(elementwise_launch_shape(layout.numel, 1),
           StridedElementwise<Op, Out, In, NIn, int32_t>{
               p, layout.dims.calculator<NIn + 1, int32_t>(), layout.numel});
  } else {
    launch(elementwise_launch_shape(layout.numel, 1),
           StridedElementwise<Op, Out, In, NIn, int64_t>{
               p, layout.dims.calculator<NIn + 1, int64_t>(), layout.numel});
  }
}

}  // namespace ember::cuda
