// The CUDA kernels of the fused optimizer ops (ops/optim_<algo>.cpp), one per algorithm. These
// ops are not primitives, so they have their own registry, the analogue of ops/cuda_kernels.h:
// the CUDA backend (backend/cuda/optim.cu) registers a kernel per algorithm when the library
// loads, the ops layer stays free of any CUDA dependency, and an algorithm without a kernel (or a
// build without CUDA) raises "[op] has no CUDA kernel" (Note [CUDA optimizer steps]).
#pragma once

#include <cstdint>

namespace ember {

namespace optim_detail {
class ParamArrays;
}  // namespace optim_detail

enum class OptimAlgorithm : uint8_t {
  Sgd,
  Adam,
  Adagrad,
  Adadelta,
  Adamax,
  ASGD,
  NAdam,
  RAdam,
  RMSprop,
  Rprop,
};
inline constexpr int kOptimAlgorithms = static_cast<int>(OptimAlgorithm::Rprop) + 1;

// Runs one step of the algorithm over `arrays` (on one CUDA device, the current one): `update`
// points to the algorithm's Update (optim_updates.h) and `coefficients` to arrays.size() of its
// Update::Coefficients. The caller writes the arrays back.
using CudaOptimKernel = void (*)(const optim_detail::ParamArrays& arrays, const void* update,
                                 const void* coefficients);

// Registers (or replaces) the kernel of an algorithm; called from the backend's static
// initializers.
void register_cuda_optim_kernel(OptimAlgorithm algorithm, CudaOptimKernel kernel);
// The kernel registered for an algorithm, or null.
CudaOptimKernel cuda_optim_kernel(OptimAlgorithm algorithm);

}  // namespace ember
