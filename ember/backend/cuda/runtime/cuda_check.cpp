#include "ember/backend/cuda/runtime/cuda_check.h"

#include "ember/base/error.h"

namespace ember::cuda {

void check_cuda(cudaError_t status, std::string_view call) {
  if (status == cudaSuccess) return;
  // Clears a non-sticky error so that the next call does not report it again.
  cudaGetLastError();
  if (status == cudaErrorMemoryAllocation) {
    ember::detail::raise<OutOfMemoryError>("[cuda] ", call,
                                           " failed: ", cudaGetErrorString(status));
  }
  ember::detail::raise<RuntimeError>("[cuda] ", call, " failed: ", cudaGetErrorName(status), " (",
                                     cudaGetErrorString(status), ")");
}

}  // namespace ember::cuda
