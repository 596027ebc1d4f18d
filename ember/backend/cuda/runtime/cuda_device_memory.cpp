#include "ember/backend/cuda/runtime/cuda_device_memory.h"

#include <cuda_runtime_api.h>

#include "ember/backend/cuda/runtime/cuda_check.h"
#include "ember/backend/cuda/runtime/runtime.h"

namespace ember::cuda {
namespace {

using runtime::DeviceScope;

class CudaDeviceMemory final : public DeviceMemory {
 public:
  int device_count() const override {
    int devices = 0;
    if (cudaGetDeviceCount(&devices) != cudaSuccess) {
      cudaGetLastError();
      return 0;
    }
    return devices;
  }

  size_t total_memory(int device) override {
    DeviceScope scope(device);
    size_t free_bytes = 0;
    size_t total_bytes = 0;
    EMBER_CUDA_CHECK(cudaMemGetInfo(&free_bytes, &total_bytes));
    return total_bytes;
  }

  void* allocate(int device, size_t nbytes) override {
    DeviceScope scope(device);
    void* data = nullptr;
    const cudaError_t status = cudaMalloc(&data, nbytes);
    if (status == cudaErrorMemoryAllocation) {
      cudaGetLastError();  // not sticky: the allocator frees its cache and retries
      return nullptr;
    }
    EMBER_CUDA_CHECK(status);
    return data;
  }

  void free(int device, void* data) override {
    DeviceScope scope(device);
    EMBER_CUDA_CHECK(cudaFree(data));
  }

  EventHandle record_event(int device, StreamHandle stream) override {
    return runtime::record_new_event(device, stream);
  }

  bool query_event(EventHandle event) override { return runtime::query_event(event); }

  void free_event(EventHandle event) override { runtime::destroy_event(event); }

  void synchronize(int device) override {
    DeviceScope scope(device);
    EMBER_CUDA_CHECK(cudaDeviceSynchronize());
  }
};

}  // namespace

DeviceMemory& cuda_device_memory() {
  static CudaDeviceMemory memory;
  return memory;
}

CachingAllocator& caching_allocator() {
  // Never destroyed: storages may be freed by other static destructors at exit.
  static auto* allocator = new CachingAllocator(cuda_device_memory());
  return *allocator;
}

}  // namespace ember::cuda
