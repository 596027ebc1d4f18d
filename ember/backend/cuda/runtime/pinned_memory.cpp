// Pinned host memory: page-locked buffers from cudaHostAlloc, so that copies between them and a
// device run asynchronously (non_blocking=True) and at full bus speed. Not cached yet: each
// pin_memory() allocates and each dying storage frees.
#include <cuda_runtime_api.h>

#include "ember/backend/cuda/runtime/cuda_check.h"
#include "ember/backend/cuda/runtime/runtime.h"

namespace ember::cuda::runtime {
namespace {

void free_pinned(void* data, size_t, void*) { cudaFreeHost(data); }

}  // namespace

IntrusivePtr<Storage> allocate_pinned(size_t nbytes) {
  void* data = nullptr;
  if (nbytes > 0) EMBER_CUDA_CHECK(cudaHostAlloc(&data, nbytes, cudaHostAllocDefault));
  return Storage::wrap(data, nbytes, Device(kCPU), &free_pinned, nullptr);
}

bool is_pinned(const void* data) {
  if (data == nullptr) return false;
  cudaPointerAttributes attributes{};
  if (cudaPointerGetAttributes(&attributes, data) != cudaSuccess) {
    cudaGetLastError();
    return false;
  }
  return attributes.type == cudaMemoryTypeHost;
}

}  // namespace ember::cuda::runtime
