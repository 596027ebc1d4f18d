// The bodies of the pooling CUDA kernels (Pool in max and average mode, AvgPoolBackward), in the
// vocabulary of kernel_grid.h: pool.cu launches them on the GPU, kernel_emulation_pool_test.cpp
// runs them in the CPU emulator against eval_cpu.
//
// A thread per output element reads its window through the PoolLayout's tables, so fixed,
// padded, dilated, ceil-mode and adaptive windows are one kernel. Max visits the window as the
// CPU does (d, h, w ascending; a larger value or a NaN wins), so values and indices are the
// CPU's; average sums each window row and then the rows in the CPU's order and accumulation type
// (float for float32, double for float64) and multiplies by the same 1 / divisor, so it is the
// CPU's bit for bit where the compiler contracts nothing. AvgPoolBackward zeroes grad_x and then
// scatters each output gradient's share over its window with ctx.atomic_add, a thread per output
// element: the order of the adds on the device is free, so float results may differ from the
// CPU's in the last bits where windows overlap.
#pragma once

#include <cstdint>
#include <limits>
#include <type_traits>

#include "ember/backend/cuda/elementwise_kernels.cuh"
#include "ember/backend/cuda/float_kernel_dispatch.h"
#include "ember/backend/cuda/kernel_grid.h"
#include "ember/backend/cuda/pool_layout.h"
#include "ember/base/error.h"
#include "ember/ops/primitives_nn_pool.h"

namespace ember::cuda {

// The accumulator of average pooling, the CPU's (backend/cpu/pool.cpp).
template <typename T>
using PoolAcc = std::conditional_t<std::is_same_v<T, float>, float, double>;

// The window tables and plane sizes as a body reads them: tables on the launch's device.
template <typename Index>
struct PoolGeometry {
  const int64_t* first[3];
  const int64_t* count[3];
  const int64_t* extent[3];
  Index in[3], out[3], dilation[3];
  int64_t divisor_override;

  // Output element o of the (planes, oD, oH, oW) output as its plane and window coordinates.
  EMBER_INLINE void split(Index o, Index& plane, Index (&at)[3]) const {
    at[2] = o % out[2];
    o /= out[2];
    at[1] = o % out[1];
    o /= out[1];
    at[0] = o % out[0];
    plane = o / out[0];
  }
  EMBER_INLINE Index in_plane() const { return in[0] * in[1] * in[2]; }
  // 1 / the divisor of output position `at` in A, 0 for a zero divisor (as the CPU's row_scales).
  template <typename A>
  EMBER_INLINE A scale(const Index (&at)[3]) const {
    const int64_t divisor = divisor_override != 0
                                ? divisor_override
                                : extent[0][at[0]] * extent[1][at[1]] * extent[2][at[2]];
    return divisor == 0 ? A(0) : A(1) / static_cast<A>(divisor);
  }
};

template <typename T, typename Index>
struct MaxPoolBody {
  const T* x;
  T* y;
  int64_t* indices;
  PoolGeometry<Index> geometry;
  int64_t numel;

  template <typename Ctx>
  EMBER_HOST_DEVICE void operator()(Ctx& ctx) const {
    const PoolGeometry<Index>& g = geometry;
    for (int64_t o = global_thread_x(ctx); o < numel; o += grid_threads_x(ctx)) {
      Index p, at[3];
      g.split(static_cast<Index>(o), p, at);
      const T* plane = x + p * g.in_plane();
      const Index first_d = static_cast<Index>(g.first[0][at[0]]);
      const Index first_h = static_cast<Index>(g.first[1][at[1]]);
      const Index first_w = static_cast<Index>(g.first[2][at[2]]);
      T best = -std::numeric_limits<T>::infinity();
      Index where = (first_d * g.in[1] + first_h) * g.in[2] + first_w;
      for (Index kd = 0; kd < g.count[0][at[0]]; ++kd) {
        const Index d = first_d + kd * g.dilation[0];
        for (Index kh = 0; kh < g.count[1][at[1]]; ++kh) {
          const Index row = (d * g.in[1] + first_h + kh * g.dilation[1]) * g.in[2];
          for (Index kw = 0; kw < g.count[2][at[2]]; ++kw) {
            const Index position = row + first_w + kw * g.dilation[2];
            const T candidate = plane[position];
            if (candidate > best || candidate != candidate) {
              best = candidate;
              where = position;
            }
          }
        }
      }
      y[o] = best;
      indices[o] = static_cast<int64_t>(where);
    }
  }
};

template <typename T, typename Index>
struct AvgPoolBody {
  const T* x;
  T* y;
  PoolGeometry<Index> geometry;
  int64_t numel;

  template <typename Ctx>
  EMBER_HOST_DEVICE void operator()(Ctx& ctx) const {
    using A = PoolAcc<T>;
    const PoolGeometry<Index>& g = geometry;
    for (int64_t o = global_thread_x(ctx); o < numel; o += grid_threads_x(ctx)) {
      Index p, at[3];
      g.split(static_cast<Index>(o), p, at);
      const T* plane = x + p * g.in_plane();
      const Index first_d = static_cast<Index>(g.first[0][at[0]]);
      const Index first_h = static_cast<Index>(g.first[1][at[1]]);
      const Index first_w = static_cast<Index>(g.first[2][at[2]]);
      A total = 0;
      for (Index kd = 0; kd < g.count[0][at[0]]; ++kd) {
        const Index d = first_d + kd * g.dilation[0];
        for (Index kh = 0; kh < g.count[1][at[1]]; ++kh) {
          const T* window =
              plane + (d * g.in[1] + first_h + kh * g.dilation[1]) * g.in[2] + first_w;
          A row_sum = 0;
          for (Index kw = 0; kw < g.count[2][at[2]]; ++kw) row_sum += window[kw * g.dilation[2]];
          total += row_sum;
        }
      }
      y[o] = static_cast<T>(total * g.template scale<A>(at));
    }
  }
};

template <typename T, typename Index>
struct AvgPoolScatterBody {
  const T* grad_y;
  T* grad_x;
  PoolGeometry<Index> geometry;
  int64_t numel;  // of grad_y

  template <typename Ctx>
  EMBER_HOST_DEVICE void operator()(Ctx& ctx) const {
    using A = PoolAcc<T>;
    const PoolGeometry<Index>& g = geometry;
    for (int64_t o = global_thread_x(ctx); o < numel; o += grid_threads_x(ctx)) {
      Index p, at[3];
      g.split(static_cast<Index>(o), p, at);
      T* plane = grad_x + p * g.in_plane();
      const T share = static_cast<T>(static_cast<A>(grad_y[o]) * g.template scale<A>(at));
      const Index first_d = static_cast<Index>(g.first[0][at[0]]);
      const Index first_h = static_cast<Index>(g.first[1][at[1]]);
      const Index first_w = static_cast<Index>(g.first[2][at[2]]);
      for (Index kd = 0; kd < g.count[0][at[0]]; ++kd) {
        const Index d = first_d + kd * g.dilation[0];
        for (Index kh = 0; kh < g.count[1][at[1]]; ++kh) {
          T* window = plane + (d * g.in[1] + first_h + kh * g.dilation[1]) * g.in[2] + first_w;
          for (Index kw = 0; kw < g.count[2][at[2]]; ++kw) {
            ctx.atomic_add(window + kw * g.dilation[2], share);
          }
        }
      }
    }
  }
};

template <typename Index>
PoolGeometry<Index> pool_geometry(const PoolLayout& layout) {
  PoolGeometry<Index> g{};
  const int64_t* tables = layout.tables.numel() == 0 ? nullptr : layout.tables.data_ptr<int64_t>();
  for (int a = 0; a < 3; ++a) {
    g.first[a] = tables + layout.first[a];
    g.count[a] = tables + layout.count[a];
    g.extent[a] = tables + layout.extent[a];
    g.in[a] = static_cast<Index>(layout.in[a]);
    g.out[a] = static_cast<Index>(layout.out[a]);
    g.dilation[a] = static_cast<Index>(layout.dilation[a]);
  }
  g.divisor_override = layout.divisor_override;
  return g;
}

// The launches through launch(shape, body): DeviceLaunch in pool.cu, the emulator in the tests.
// `layout` is make_pool_layout of the primitive's windows with its tables on the launch's device;
// a test may switch it to 64-bit offsets.

template <typename Launch>
void run_pool(const Pool& op, const PoolLayout& layout, TensorSpan inputs, TensorSpan outputs,
              Launch&& launch) {
  const int64_t numel = outputs[0].numel();
  visit_float_kernel(
      op.name(), inputs[0].dtype(), layout.fits_32bit, [&](auto* dtype_tag, auto* index_tag) {
        using T = std::remove_pointer_t<decltype(dtype_tag)>;
        using Index = std::remove_pointer_t<decltype(index_tag)>;
        if (numel == 0) return;
        const LaunchShape shape = elementwise_launch_shape(numel, 1);
        const PoolGeometry<Index> geometry = pool_geometry<Index>(layout);
        if (op.mode() == PoolMode::Max) {
          launch(shape, MaxPoolBody<T, Index>{inputs[0].data_ptr<T>(), outputs[0].data_ptr<T>(),
                                              outputs[1].data_ptr<int64_t>(), geometry, numel});
        } else {
          launch(shape, AvgPoolBody<T, Index>{inputs[0].data_ptr<T>(), outputs[0].data_ptr<T>(),
                                              geometry, numel});
        }
      });
}

template <typename Launch>
void run_avg_pool_backward(const AvgPoolBackward& op, const PoolLayout& layout, TensorSpan inputs,
                           TensorSpan outputs, Launch&& launch) {
  visit_float_kernel(
      op.name(), inputs[0].dtype(), layout.fits_32bit, [&](auto* dtype_tag, auto* index_tag) {
        using T = std::remove_pointer_t<decltype(dtype_tag)>;
        using Index = std::remove_pointer_t<decltype(index_tag)>;
        // The zeros through the Fill kernel of grad_x's device (a CPU fill in the emulation
        // tests),
        // on the stream the scatter then runs on.
        Tensor grad_x = outputs[0];
        grad_x.zero_();
        const int64_t numel = inputs[0].numel();
        if (numel == 0) return;
        launch(elementwise_launch_shape(numel, 1),
               AvgPoolScatterBody<T, Index>{inputs[0].data_ptr<T>(), grad_x.data_ptr<T>(),
                                            pool_geometry<Index>(layout), numel});
      });
}

}  // namespace ember::cuda
