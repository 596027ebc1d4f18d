#include "ember/ops/cuda_optim_kernels.h"

#include <array>
#include <atomic>
#include <cstddef>

namespace ember {
namespace {

// Written by static initializers before any op runs; atomics keep a late registration well
// defined, as in cuda_kernels.cpp.
std::array<std::atomic<CudaOptimKernel>, kOptimAlgorithms>& kernels() {
  static std::array<std::atomic<CudaOptimKernel>, kOptimAlgorithms> table{};
  return table;
}

}  // namespace

void register_cuda_optim_kernel(OptimAlgorithm algorithm, CudaOptimKernel kernel) {
  kernels()[static_cast<size_t>(algorithm)].store(kernel, std::memory_order_release);
}

CudaOptimKernel cuda_optim_kernel(OptimAlgorithm algorithm) {
  return kernels()[static_cast<size_t>(algorithm)].load(std::memory_order_acquire);
}

}  // namespace ember
