// The vocabulary CUDA kernel bodies are written in (docs/architecture.md, Note [CUDA kernels and
// their emulation]). A body is a function template on its thread context `Ctx`, called once per
// thread of a launch; it reads its coordinates and talks to its block only through the context:
//   ctx.block_idx() ctx.thread_idx() ctx.block_dim() ctx.grid_dim()   3-D coordinates (Dim3)
//   ctx.template shared<T>()      the block's dynamic shared memory, as T*
//   ctx.barrier()                 every thread of the block meets here (__syncthreads)
//   ctx.lane()                    the thread's lane in its warp (0..31)
//   ctx.shfl_down(v, delta) ctx.shfl_xor(v, mask)   warp shuffles over all 32 lanes
//   ctx.atomic_add(address, value)  *address += value, atomically against the grid's other threads
//   ctx.report_index_error(value, bound)  a bad index: the host raises IndexError after the launch
//                                 (the emulator) or at the next synchronisation (the GPU)
// DeviceThread (below, nvcc only) maps them to the builtins; EmulatedThread (kernel_emulator.h)
// to the CPU emulator, so one body compiles for the GPU and runs in the CPU tests.
#pragma once

#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "ember/base/half.h"
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

// The sum atomic_add stores: rounded once from T's opmath type (as the CPU's accumulating loops
// do), integers wrapping around in two's complement.
template <typename T>
EMBER_INLINE T accumulate_sum(T current, T value) {
  if constexpr (std::is_integral_v<T>) {
    using U = std::make_unsigned_t<T>;
    return static_cast<T>(static_cast<U>(static_cast<U>(current) + static_cast<U>(value)));
  } else {
    using M = opmath_t<T>;
    return T(static_cast<M>(static_cast<M>(current) + static_cast<M>(value)));
  }
}

// The first bad index a device kernel met, in mapped pinned memory (one per device): the kernel
// that wins `flag` writes the rest, and the host reads and clears it at the next synchronisation
// (runtime/index_error.h). `op` is the launch's interned op name, for the message.
struct IndexErrorSlot {
  unsigned int flag;
  unsigned int op;
  long long value;
  long long bound;
};

#if defined(__CUDACC__)
// The device side of the vocabulary; `index_error` is null for kernels that index nothing.
struct DeviceThread {
  IndexErrorSlot* index_error = nullptr;
  unsigned int op = 0;

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
  // float/double/int32 map to atomicAdd, int64 to its unsigned 64-bit form (the same bits), and
  // the 16-bit floats to a compare-and-swap loop on their 16 bits (rounded as the CPU rounds).
  template <typename T>
  __device__ void atomic_add(T* address, T value) const {
    if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double> ||
                  std::is_same_v<T, int32_t>) {
      atomicAdd(address, value);
    } else if constexpr (std::is_same_v<T, int64_t>) {
      static_assert(sizeof(unsigned long long) == sizeof(int64_t));
      atomicAdd(reinterpret_cast<unsigned long long*>(address),
                static_cast<unsigned long long>(value));
    } else {
      static_assert(std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>);
      auto* bits = reinterpret_cast<unsigned short*>(address);
      unsigned short seen = *bits;
      unsigned short expected = 0;
      do {
        expected = seen;
        const unsigned short sum = accumulate_sum(T::from_bits(expected), value).bits;
        seen = atomicCAS(bits, expected, sum);
      } while (seen != expected);
    }
  }
  // The first thread to report wins (flag 0 -> 1); the others' reports are dropped. It publishes
  // its fields (flag -> 2) only after they reach the host, which reads a slot while kernels on
  // other streams may still run.
  __device__ void report_index_error(int64_t value, int64_t bound) const {
    if (index_error != nullptr && atomicCAS(&index_error->flag, 0u, 1u) == 0u) {
      index_error->op = op;
      index_error->value = value;
      index_error->bound = bound;
      __threadfence_system();
      atomicExch(&index_error->flag, 2u);
    }
  }
};
#endif

}  // namespace ember::cuda
