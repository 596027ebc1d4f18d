// The bodies of the Upsample CUDA kernels (every mode of nn.functional.interpolate and the
// adjoint, its gradient), in the vocabulary of kernel_grid.h: upsample.cu launches them on the
// GPU, kernel_emulation_pool_test.cpp runs them in the CPU emulator against eval_cpu.
//
// The map is separable: dim a's output index reads a few source indices with weights (the
// UpsampleLayout's tap tables, the CPU's). The forward runs a thread per output element and sums
// its taps in the CPU's order (d0 and d1 outside, the d2 taps of each input row summed first), so
// it is the CPU's where the compiler contracts nothing. The adjoint zeroes grad_x and runs a
// thread per output-gradient element that scatters it to its taps with ctx.atomic_add; the adds
// into one element come in another order than the CPU's, so float results may differ in the last
// bits where taps overlap.
#pragma once

#include <cstdint>
#include <type_traits>

#include "ember/backend/cuda/elementwise_kernels.cuh"
#include "ember/backend/cuda/float_kernel_dispatch.h"
#include "ember/backend/cuda/kernel_grid.h"
#include "ember/backend/cuda/upsample_layout.h"
#include "ember/base/error.h"

namespace ember::cuda {

// The tap tables as a body reads them (on the launch's device) and the planes' dims.
template <typename T, typename Index>
struct UpsampleTaps {
  const int64_t* begin[3];
  const int64_t* index[3];
  const T* weight[3];
  Index in[3], out[3];

  // Element o of the (planes, out0, out1, out2) side as its plane and output indices.
  EMBER_INLINE void split(Index o, Index& plane, Index (&at)[3]) const {
    at[2] = o % out[2];
    o /= out[2];
    at[1] = o % out[1];
    o /= out[1];
    at[0] = o % out[0];
    plane = o / out[0];
  }
  EMBER_INLINE Index in_plane() const { return in[0] * in[1] * in[2]; }
};

template <typename T, typename Index>
struct UpsampleForward {
  const T* x;
  T* y;
  UpsampleTaps<T, Index> taps;
  int64_t numel;  // of y

  template <typename Ctx>
  EMBER_HOST_DEVICE void operator()(Ctx& ctx) const {
    const UpsampleTaps<T, Index>& t = taps;
    for (int64_t o = global_thread_x(ctx); o < numel; o += grid_threads_x(ctx)) {
      Index p, at[3];
      t.split(static_cast<Index>(o), p, at);
      const T* plane = x + p * t.in_plane();
      T acc = 0;
      for (int64_t k0 = t.begin[0][at[0]]; k0 < t.begin[0][at[0] + 1]; ++k0) {
        for (int64_t k1 = t.begin[1][at[1]]; k1 < t.begin[1][at[1] + 1]; ++k1) {
          const T w = t.weight[0][k0] * t.weight[1][k1];
          const T* row = plane + (static_cast<Index>(t.index[0][k0]) * t.in[1] +
                                  static_cast<Index>(t.index[1][k1])) *
                                     t.in[2];
          T sum = 0;
          for (int64_t k2 = t.begin[2][at[2]]; k2 < t.begin[2][at[2] + 1]; ++k2) {
            sum += t.weight[2][k2] * row[t.index[2][k2]];
          }
          acc += w * sum;
        }
      }
      y[o] = acc;
    }
  }
};

template <typename T, typename Index>
struct UpsampleAdjoint {
  const T* grad_y;
  T* grad_x;
  UpsampleTaps<T, Index> taps;
  int64_t numel;  // of grad_y

  template <typename Ctx>
  EMBER_HOST_DEVICE void operator()(Ctx& ctx) const {
    const UpsampleTaps<T, Index>& t = taps;
    for (int64_t o = global_thread_x(ctx); o < numel; o += grid_threads_x(ctx)) {
      Index p, at[3];
      t.split(static_cast<Index>(o), p, at);
      T* plane = grad_x + p * t.in_plane();
      const T grad = grad_y[o];
      for (int64_t k0 = t.begin[0][at[0]]; k0 < t.begin[0][at[0] + 1]; ++k0) {
        for (int64_t k1 = t.begin[1][at[1]]; k1 < t.begin[1][at[1] + 1]; ++k1) {
          const T g = t.weight[0][k0] * t.weight[1][k1] * grad;
          T* row = plane + (static_cast<Index>(t.index[0][k0]) * t.in[1] +
                            static_cast<Index>(t.index[1][k1])) *
                               t.in[2];
          for (int64_t k2 = t.begin[2][at[2]]; k2 < t.begin[2][at[2] + 1]; ++k2) {
            ctx.atomic_add(row + t.index[2][k2], t.weight[2][k2] * g);
          }
        }
      }
    }
  }
};

// The launch through launch(shape, body): DeviceLaunch in upsample.cu, the emulator in the tests.
// `layout` is make_upsample_layout of op in x's dtype with its tables on the launch's device; a
// test may switch it to 64-bit offsets.
template <typename Launch>
void run_upsample_kernel(const Upsample& op, const UpsampleLayout& layout, TensorSpan inputs,
                         TensorSpan outputs, Launch&& launch) {
  const auto run = [&](auto* dtype_tag, auto* index_tag) {
    using T = std::remove_pointer_t<decltype(dtype_tag)>;
    using Index = std::remove_pointer_t<decltype(index_tag)>;
    UpsampleTaps<T, Index> taps{};
    const int64_t* indices = layout.indices.data_ptr<int64_t>();
    const T* weights = layout.weights.numel() == 0 ? nullptr : layout.weights.data_ptr<T>();
    for (int a = 0; a < 3; ++a) {
      taps.begin[a] = indices + layout.begin[a];
      taps.index[a] = indices + layout.index[a];
      taps.weight[a] = weights == nullptr ? nullptr : weights + layout.weight[a];
      taps.in[a] = static_cast<Index>(layout.in[a]);
      taps.out[a] = static_cast<Index>(layout.out[a]);
    }
    const int64_t numel = inputs[0].numel();
    if (op.adjoint()) {
      // The zeros through the Fill kernel of grad_x's device (a CPU fill in the emulation
      // tests), on the stream the scatter then runs on.
      Tensor grad_x = outputs[0];
      grad_x.zero_();
      if (numel == 0) return;
      launch(elementwise_launch_shape(numel, 1),
             UpsampleAdjoint<T, Index>{inputs[0].data_ptr<T>(), grad_x.data_ptr<T>(), taps, numel});
    } else {
      const int64_t out_numel = outputs[0].numel();
      if (out_numel == 0) return;
      launch(elementwise_launch_shape(out_numel, 1),
             UpsampleForward<T, Index>{inputs[0].data_ptr<T>(), outputs[0].data_ptr<T>(), taps,
                                       out_numel});
    }
  };
  visit_float_kernel(op.name(), inputs[0].dtype(), layout.fits_32bit, run);
}

}  // namespace ember::cuda
