// Runs CUDA kernel bodies (kernel_grid.h) on the CPU: every thread of every block, with the
// block's shared memory, real barriers and warp shuffles. The threads of a block are fibers on
// the calling OS thread; a barrier or shuffle switches to the next fiber until all the threads
// concerned have arrived (docs/architecture.md, Note [CUDA kernels and their emulation]). The
// kernel-emulation test uses it to compare each body with the CPU backend on machines without a
// GPU. Host-only.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>
#include <type_traits>

#include "ember/backend/cuda/kernel_grid.h"

namespace ember::cuda {

namespace detail {
class EmulatedLaunch;
}

// The context an emulated body sees: the same calls as DeviceThread, served by the emulator.
class EmulatedThread {
 public:
  Dim3 block_idx() const;
  Dim3 thread_idx() const { return thread_idx_; }
  Dim3 block_dim() const;
  Dim3 grid_dim() const;
  template <typename T>
  T* shared() const {
    return static_cast<T*>(shared_memory());
  }
  void barrier();
  int lane() const { return linear_ % kWarpSize; }
  template <typename T>
  T shfl_down(T value, int delta) {
    return from_bits<T>(shuffle(to_bits(value), ShuffleKind::Down, delta));
  }
  template <typename T>
  T shfl_xor(T value, int mask) {
    return from_bits<T>(shuffle(to_bits(value), ShuffleKind::Xor, mask));
  }
  // Fibers share one OS thread and switch only at barriers and shuffles: a plain
  // read-modify-write is atomic here.
  template <typename T>
  void atomic_add(T* address, T value) {
    *address = accumulate_sum(*address, value);
  }
  void report_index_error(int64_t value, int64_t bound);

 private:
  friend class detail::EmulatedLaunch;
  enum class ShuffleKind : uint8_t { Down, Xor };

  template <typename T>
  static uint64_t to_bits(T value) {
    static_assert(std::is_trivially_copyable_v<T> && sizeof(T) <= sizeof(uint64_t));
    uint64_t bits = 0;
    std::memcpy(&bits, &value, sizeof(T));
    return bits;
  }
  template <typename T>
  static T from_bits(uint64_t bits) {
    T value;
    std::memcpy(&value, &bits, sizeof(T));
    return value;
  }
  void* shared_memory() const;
  uint64_t shuffle(uint64_t bits, ShuffleKind kind, int argument);

  detail::EmulatedLaunch* launch_ = nullptr;
  int linear_ = 0;  // the thread's index in its block, x fastest
  Dim3 thread_idx_;
};

// Calls body(thread) for every thread of `shape`, block after block. Raises RuntimeError naming
// `kernel` for a barrier or shuffle that only part of a block or warp reaches (a hang on the
// device), and IndexError after the launch for the first report_index_error.
void emulate_launch(std::string_view kernel, const LaunchShape& shape,
                    void (*body)(void* state, EmulatedThread& thread), void* state);

template <typename Body>
void emulate(std::string_view kernel, const LaunchShape& shape, Body&& body) {
  emulate_launch(
      kernel, shape,
      [](void* state, EmulatedThread& thread) {
        (*static_cast<std::remove_reference_t<Body>*>(state))(thread);
      },
      &body);
}

// The `launch` argument of the kernels' run_* functions (DeviceLaunch on the device) that runs the
// body in the emulator: the tests call the very run_* the .cu files call.
struct EmulatedLauncher {
  std::string_view kernel;
  template <typename Body>
  void operator()(const LaunchShape& shape, const Body& body) const {
    emulate(kernel, shape, [&](EmulatedThread& thread) { body(thread); });
  }
};

// EmulatedLauncher on one block of one warp whatever the launch asked for: a grid-stride body then
// visits every element from few threads, and its results (random numbers above all) must not
// change.
struct OneWarpEmulatedLauncher {
  std::string_view kernel;
  template <typename Body>
  void operator()(const LaunchShape&, const Body& body) const {
    LaunchShape one_warp;
    one_warp.block.x = kWarpSize;
    emulate(kernel, one_warp, [&](EmulatedThread& thread) { body(thread); });
  }
};

}  // namespace ember::cuda
