// The CUDA runtime behind the tensor layer's cuda::Hooks (ember/tensor/cuda_hooks.h), installed
// when the library loads. cudart is linked statically and finds the driver at its first call, so
// loading ember on a machine without a GPU or driver works: is_available() is then false.
#include <cuda_runtime_api.h>

#include "ember/backend/cuda/runtime/cuda_check.h"
#include "ember/tensor/cuda_hooks.h"

namespace ember::cuda {
namespace {

int resolve_index(Device device) {
  if (device.has_index()) return device.index();
  int current = 0;
  EMBER_CUDA_CHECK(cudaGetDevice(&current));
  return current;
}

void free_device_memory(void* data, size_t, void*) { cudaFree(data); }

class RuntimeHooks final : public Hooks {
 public:
  bool is_available() const override { return device_count() > 0; }

  int device_count() const override {
    // Asked once: the answer cannot change while the process runs (CUDA_VISIBLE_DEVICES is read
    // at the first call), and a machine without a driver answers with an error, meaning none.
    static const int count = [] {
      int devices = 0;
      if (cudaGetDeviceCount(&devices) != cudaSuccess) {
        cudaGetLastError();
        return 0;
      }
      return devices;
    }();
    return count;
  }

  int current_device() const override { return resolve_index(Device(kCUDA)); }

  IntrusivePtr<Storage> allocate(size_t nbytes, Device device) override {
    const int index = resolve_index(device);
    void* data = nullptr;
    if (nbytes > 0) {
      int previous = 0;
      EMBER_CUDA_CHECK(cudaGetDevice(&previous));
      EMBER_CUDA_CHECK(cudaSetDevice(index));
      const cudaError_t status = cudaMalloc(&data, nbytes);
      cudaSetDevice(previous);
      EMBER_CUDA_CHECK(status);
    }
    return Storage::wrap(data, nbytes, Device(kCUDA, static_cast<int8_t>(index)),
                         &free_device_memory, nullptr);
  }

  void copy(void* destination, Device, const void* source, Device, size_t nbytes,
            bool non_blocking) override {
    if (nbytes == 0) return;
    EMBER_CUDA_CHECK(cudaMemcpyAsync(destination, source, nbytes, cudaMemcpyDefault, nullptr));
    if (!non_blocking) EMBER_CUDA_CHECK(cudaStreamSynchronize(nullptr));
  }
};

RuntimeHooks runtime_hooks;

// Installs the hooks when the library (or a program linking this layer whole) loads.
const bool installed = [] {
  set_hooks(&runtime_hooks);
  return true;
}();

}  // namespace
}  // namespace ember::cuda
