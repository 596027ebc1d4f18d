// Pinned host memory: page-locked buffers from cudaHostAlloc, so that copies between them and a
// device run asynchronously (non_blocking=True) and at full bus speed. They come from the
// process-wide PinnedHostCache (pinned_host_cache.h): a freed buffer is reused once the copies
// that used it have run.
#include <cuda_runtime_api.h>

#include "ember/backend/cuda/pinned_host_cache.h"
#include "ember/backend/cuda/runtime/cuda_check.h"
#include "ember/backend/cuda/runtime/runtime.h"

namespace ember::cuda::runtime {
namespace {

class CudaHostMemory final : public HostMemory {
 public:
  void* allocate(size_t nbytes) override {
    void* data = nullptr;
    const cudaError_t status = cudaHostAlloc(&data, nbytes, cudaHostAllocDefault);
    if (status == cudaErrorMemoryAllocation) {
      cudaGetLastError();  // not sticky: the cache frees its idle blocks and retries
      return nullptr;
    }
    EMBER_CUDA_CHECK(status);
    return data;
  }

  void free(void* data) override { EMBER_CUDA_CHECK(cudaFreeHost(data)); }

  EventHandle record_event(int device, StreamHandle stream) override {
    return runtime::record_new_event(device, stream);
  }

  bool query_event(EventHandle event) override { return runtime::query_event(event); }

  void free_event(EventHandle event) override { runtime::destroy_event(event); }
};

PinnedHostCache& pinned_host_cache() {
  // Never destroyed: pinned storages may die in other static destructors at exit.
  static auto* cache = [] {
    static CudaHostMemory memory;
    return new PinnedHostCache(memory);
  }();
  return *cache;
}

void free_pinned(void* data, size_t, void*) { pinned_host_cache().free(data); }

}  // namespace

IntrusivePtr<Storage> allocate_pinned(size_t nbytes) {
  return Storage::wrap(pinned_host_cache().allocate(nbytes), nbytes, Device(kCPU), &free_pinned,
                       nullptr);
}

bool is_pinned(const void* data) {
  if (data == nullptr) return false;
  if (pinned_host_cache().owns(data)) return true;
  // Memory pinned elsewhere (cudaHostRegister, another library) counts as well.
  cudaPointerAttributes attributes{};
  if (cudaPointerGetAttributes(&attributes, data) != cudaSuccess) {
    cudaGetLastError();
    return false;
  }
  return attributes.type == cudaMemoryTypeHost;
}

void record_host_use(const void* data, int device, StreamHandle stream) {
  pinned_host_cache().record_stream(data, device, stream);
}

}  // namespace ember::cuda::runtime
