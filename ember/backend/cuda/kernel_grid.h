// The vocabulary CUDA kernel bodies are written in (docs/architecture.md, Note [CUDA kernels and
// their emulation]). A body is a function template on its thread context `Ctx`, called once per
// thread of a launch; it reads its coordinates and talks to its block only through the context:
//   ctx.block_idx() ctx.thread_idx() ctx.block_dim() ctx.grid_dim()   3-D coordinates (Dim3)
//   ctx.template shared<T>()      the block's dynamic shared memory, as T*
//   ctx.barrier()                 every thread of the block meets here (__syncthreads)
//   ctx.lane()                    the thread's lane in its warp (0..31)
//   ctx.shfl_down(v, delta) ctx.shfl_xor(v, mask)   warp shuffles over all 32 lanes
//   ctx.report_index_error(value, bound)  a bad index: the host raises IndexError after the launch
// DeviceThread (below, nvcc only) maps them to the builtins; EmulatedThread (kernel_emulator.h)
// to the CPU emulator, so one body compiles for the GPU and runs in the CPU tests.
#pragma once

#include <cstddef>
#include <cstdint>

#include "ember/base/host_device.h"

namespace ember::cuda {

inline constexpr int kWarpSize = 32;

struct Dim3 {
  uint32_t x = 1, y = 1, z = 1;
};

struct LaunchShape {
  Dim3 grid;
  Dim3 block;
  size_t shared_bytes = 0;  // the dynamic shared memory of each block
};

// The linear index of thread (block, thread) along x, in 64 bits (grid * block may pass 2^32).
template <typename Ctx>
EMBER_INLINE int64_t global_thread_x(const Ctx& ctx) {
  return static_cast<int64_t>(ctx.block_idx().x) * ctx.block_dim().x + ctx.thread_idx().x;
}
template <typename Ctx>
EMBER_INLINE int64_t grid_threads_x(const Ctx& ctx) {
  return static_cast<int64_t>(ctx.grid_dim().x) * ctx.block_dim().x;
}
template <typename Ctx>
EMBER_INLINE int linear_thread_in_block(const Ctx& ctx) {
  const Dim3 t = ctx.thread_idx();
  const Dim3 b = ctx.block_dim();
  return static_cast<int>((t.z * b.y + t.y) * b.x + t.x);
}

// The first bad index a device kernel met: the host zeroes it before a launch and raises
// IndexError after it when `flag` is set.
struct IndexErrorSlot {
  unsigned int flag;
  long long value;
  long long bound;
};

#if defined(__CUDACC__)
// The device side of the vocabulary; `index_error` is null for kernels that index nothing.
struct DeviceThread {
  IndexErrorSlot* index_error = nullptr;

  __device__ static Dim3 to_dim3(dim3 v) { return Dim3{v.x, v.y, v.z}; }
  __device__ Dim3 block_idx() const { return to_dim3(blockIdx); }
  __device__ Dim3 thread_idx() const { return to_dim3(threadIdx); }
  __device__ Dim3 block_dim() const { return to_dim3(blockDim); }
  __device__ Dim3 grid_dim() const { return to_dim3(gridDim); }
  template <typename T>
  __device__ T* shared() const {
    extern __shared__ unsigned char ember_dynamic_shared[];
    return reinterpret_cast<T*>(ember_dynamic_shared);
  }
  __device__ void barrier() const { __syncthreads(); }
  __device__ int lane() const { return linear_thread_in_block(*this) % kWarpSize; }
  template <typename T>
  __device__ T shfl_down(T value, int delta) const {
    return __shfl_down_sync(0xffffffffu, value, delta);
  }
  template <typename T>
  __device__ T shfl_xor(T value, int mask) const {
    return __shfl_xor_sync(0xffffffffu, value, mask);
  }
  // The first thread to report wins; the others' reports are dropped.
  __device__ void report_index_error(int64_t value, int64_t bound) const {
    if (index_error != nullptr && atomicCAS(&index_error->flag, 0u, 1u) == 0u) {
      index_error->value = value;
      index_error->bound = bound;
    }
  }
};
#endif

}  // namespace ember::cuda
