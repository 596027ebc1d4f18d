// The CUDA runtime behind the tensor layer's cuda::Hooks (ember/tensor/cuda_hooks.h), installed
// when the library loads. cudart is linked statically and finds the driver at its first call, so
// loading ember on a machine without a GPU or driver works: is_available() is then false. Streams,
// events and pinned memory live in their own files (runtime.h); this class forwards to them. Its
// synchronisation points raise the IndexError an indexing kernel reported (index_error.h).
#include <cuda_runtime_api.h>

#include "ember/backend/cuda/runtime/cuda_check.h"
#include "ember/backend/cuda/runtime/cuda_device_memory.h"
#include "ember/backend/cuda/runtime/index_error.h"
#include "ember/backend/cuda/runtime/runtime.h"
#include "ember/tensor/cuda_hooks.h"

namespace ember::cuda {
namespace runtime {

DeviceScope::DeviceScope(int device) {
  EMBER_CUDA_CHECK(cudaGetDevice(&previous_));
  if (previous_ != device) {
    EMBER_CUDA_CHECK(cudaSetDevice(device));
    changed_ = true;
  }
}

DeviceScope::~DeviceScope() {
  if (changed_) cudaSetDevice(previous_);
}

}  // namespace runtime

namespace {

int resolve_index(Device device) {
  if (device.has_index()) return device.index();
  int current = 0;
  EMBER_CUDA_CHECK(cudaGetDevice(&current));
  return current;
}

void free_to_caching_allocator(void* data, size_t, void*) { caching_allocator().free(data); }

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
    // Cached per stream: the block is reused for work on the stream it was allocated for.
    const int index = resolve_index(device);
    void* data = caching_allocator().allocate(index, nbytes, runtime::current_stream(index));
    return Storage::wrap(data, nbytes, Device(kCUDA, static_cast<int8_t>(index)),
                         &free_to_caching_allocator, nullptr);
  }

  // Ordered on the current stream of the CUDA side (the destination's when both are CUDA).
  void copy(void* destination, Device destination_device, const void* source, Device source_device,
            size_t nbytes, bool non_blocking) override {
    if (nbytes == 0) return;
    const int device =
        resolve_index(destination_device.is_cuda() ? destination_device : source_device);
    const auto stream = static_cast<cudaStream_t>(runtime::current_stream(device));
    EMBER_CUDA_CHECK(cudaMemcpyAsync(destination, source, nbytes, cudaMemcpyDefault, stream));
    if (!non_blocking) {
      EMBER_CUDA_CHECK(cudaStreamSynchronize(stream));
      runtime::raise_reported_index_error(device);
    } else if (source_device.is_cpu() || destination_device.is_cpu()) {
      // The host buffer may die before the copy runs; a pinned one then waits for it.
      runtime::record_host_use(source_device.is_cpu() ? source : destination, device, stream);
    }
  }

  void set_device(int device) override { EMBER_CUDA_CHECK(cudaSetDevice(device)); }

  void synchronize(int device) override {
    runtime::DeviceScope scope(device);
    EMBER_CUDA_CHECK(cudaDeviceSynchronize());
    runtime::raise_reported_index_error(device);
  }

  DeviceProperties device_properties(int device) const override {
    cudaDeviceProp properties{};
    EMBER_CUDA_CHECK(cudaGetDeviceProperties(&properties, device));
    return DeviceProperties{properties.name, properties.totalGlobalMem, properties.major,
                            properties.minor, properties.multiProcessorCount};
  }

  StreamHandle stream_from_pool(int device, int priority) override {
    return runtime::stream_from_pool(device, priority);
  }
  StreamHandle current_stream(int device) override { return runtime::current_stream(device); }
  void set_current_stream(int device, StreamHandle stream) override {
    runtime::set_current_stream(device, stream);
  }
  int stream_priority(StreamHandle stream) const override {
    return runtime::stream_priority(stream);
  }
  bool query_stream(StreamHandle stream) override { return runtime::query_stream(stream); }
  // A stream's or event's device is not at hand: any device's report is raised.
  void synchronize_stream(StreamHandle stream) override {
    runtime::synchronize_stream(stream);
    runtime::raise_reported_index_error(-1);
  }
  void stream_wait_event(StreamHandle stream, EventHandle event) override {
    runtime::stream_wait_event(stream, event);
  }

  EventHandle create_event(int device, bool enable_timing, bool blocking) override {
    return runtime::create_event(device, enable_timing, blocking);
  }
  void destroy_event(EventHandle event) override { runtime::destroy_event(event); }
  void record_event(EventHandle event, StreamHandle stream) override {
    runtime::record_event(event, stream);
  }
  bool query_event(EventHandle event) override { return runtime::query_event(event); }
  void synchronize_event(EventHandle event) override {
    runtime::synchronize_event(event);
    runtime::raise_reported_index_error(-1);
  }
  float elapsed_time(EventHandle start, EventHandle end) override {
    return runtime::elapsed_time(start, end);
  }

  IntrusivePtr<Storage> allocate_pinned(size_t nbytes) override {
    return runtime::allocate_pinned(nbytes);
  }
  bool is_pinned(const void* data) const override { return runtime::is_pinned(data); }

  std::map<std::string, int64_t> memory_stats(int device) override {
    return stats_as_map(caching_allocator().stats(device));
  }
  void reset_peak_memory_stats(int device) override {
    caching_allocator().reset_peak_stats(device);
  }
  std::string memory_summary(int device) override {
    return format_memory_summary(caching_allocator().stats(device), device);
  }
  void empty_cache() override { caching_allocator().empty_cache(); }
  void set_memory_fraction(double fraction, int device) override {
    caching_allocator().set_memory_fraction(fraction, device);
  }
  void record_stream(void* data, StreamHandle stream) override {
    caching_allocator().record_stream(data, stream);
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
