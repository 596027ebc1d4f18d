// Turns a CUDA runtime status into ember's typed errors: cudaErrorMemoryAllocation is an
// OutOfMemoryError, anything else a RuntimeError naming the call and CUDA's own message.
#pragma once

#include <cuda_runtime_api.h>

#include <string_view>

namespace ember::cuda {

void check_cuda(cudaError_t status, std::string_view call);

}  // namespace ember::cuda

#define EMBER_CUDA_CHECK(call) ::ember::cuda::check_cuda((call), #call)
