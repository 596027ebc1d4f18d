#include "ember/ops/cuda_kernels.h"

#include <array>
#include <atomic>
#include <limits>

namespace ember {
namespace {

constexpr size_t kKinds = std::numeric_limits<std::underlying_type_t<PrimitiveKind>>::max() + 1;

// Written by static initializers before any op runs; atomics keep a late registration (a
// backend loaded after ops started) well defined.
std::array<std::atomic<CudaKernel>, kKinds>& kernels() {
  static std::array<std::atomic<CudaKernel>, kKinds> table{};
  return table;
}

}  // namespace

void register_cuda_kernel(PrimitiveKind kind, CudaKernel kernel) {
  kernels()[static_cast<size_t>(kind)].store(kernel, std::memory_order_release);
}

CudaKernel cuda_kernel(PrimitiveKind kind) {
  return kernels()[static_cast<size_t>(kind)].load(std::memory_order_acquire);
}

}  // namespace ember
