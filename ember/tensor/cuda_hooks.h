// What the tensor layer asks of the CUDA backend. The backend (backend/cuda/runtime, built with
// EMBER_CUDA) installs its hooks when the library loads; until then, and in a CPU-only build,
// cuda::is_available() is false and every CUDA request raises check_device_available's error.
// This keeps the tensor layer free of any CUDA dependency (DESIGN §2: backends below ops).
// Streams and events cross this interface as opaque handles (a cudaStream_t, a cudaEvent_t);
// the public API over them is ember/tensor/cuda_runtime.h. A device index here is always
// resolved (>= 0) and checked against device_count() by the caller.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "ember/tensor/device.h"
#include "ember/tensor/storage.h"

namespace ember::cuda {

// cudaStream_t; null is the legacy default stream of the current device.
using StreamHandle = void*;
// cudaEvent_t.
using EventHandle = void*;

// The properties PyTorch's get_device_properties reports.
struct DeviceProperties {
  std::string name;
  size_t total_memory = 0;
  int major = 0;
  int minor = 0;
  int multi_processor_count = 0;
};

class Hooks {
 public:
  virtual ~Hooks() = default;
  // False on a machine without a driver or a device (importing ember still works there).
  virtual bool is_available() const = 0;
  virtual int device_count() const = 0;
  virtual int current_device() const = 0;
  // nbytes of device memory on `device` (index -1: the current device) from the caching
  // allocator, returned to it when the storage dies; OutOfMemoryError when even an emptied
  // cache cannot serve it.
  virtual IntrusivePtr<Storage> allocate(size_t nbytes, Device device) = 0;
  // Copies nbytes between host and device memory or within devices, ordered on the current
  // stream; returns once the copy is done unless non_blocking.
  virtual void copy(void* destination, Device destination_device, const void* source,
                    Device source_device, size_t nbytes, bool non_blocking) = 0;

  // Devices. set_device makes `device` the calling thread's current device.
  virtual void set_device(int device) = 0;
  // Waits for every stream of `device` to finish its work.
  virtual void synchronize(int device) = 0;
  virtual DeviceProperties device_properties(int device) const = 0;

  // Streams. The pool's streams live as long as the process (as libtorch's): a Stream is a
  // value. Priority 0 is normal; negative is higher (CUDA's convention), clamped to the range.
  virtual StreamHandle stream_from_pool(int device, int priority) = 0;
  // The calling thread's current stream on `device` (the default stream until set).
  virtual StreamHandle current_stream(int device) = 0;
  virtual void set_current_stream(int device, StreamHandle stream) = 0;
  virtual int stream_priority(StreamHandle stream) const = 0;
  // True when all work submitted to the stream has completed.
  virtual bool query_stream(StreamHandle stream) = 0;
  virtual void synchronize_stream(StreamHandle stream) = 0;
  // Future work on `stream` waits until `event` (as last recorded) completes.
  virtual void stream_wait_event(StreamHandle stream, EventHandle event) = 0;

  // Events, created on `device`; destroy_event releases one.
  virtual EventHandle create_event(int device, bool enable_timing, bool blocking) = 0;
  virtual void destroy_event(EventHandle event) = 0;
  virtual void record_event(EventHandle event, StreamHandle stream) = 0;
  virtual bool query_event(EventHandle event) = 0;
  virtual void synchronize_event(EventHandle event) = 0;
  // Milliseconds between two recorded timing events.
  virtual float elapsed_time(EventHandle start, EventHandle end) = 0;

  // Pinned (page-locked) host memory: a CPU storage that CUDA copies read and write
  // asynchronously; freed with cudaFreeHost when it dies.
  virtual IntrusivePtr<Storage> allocate_pinned(size_t nbytes) = 0;
  // Whether `data` points into pinned host memory (false for ordinary host memory).
  virtual bool is_pinned(const void* data) const = 0;

  // The caching allocator (docs/architecture.md, Note [CUDA caching allocator]); the public API
  // over it is ember/tensor/cuda_memory.h. memory_stats uses torch.cuda.memory_stats's names.
  virtual std::map<std::string, int64_t> memory_stats(int device) = 0;
  virtual void reset_peak_memory_stats(int device) = 0;
  virtual std::string memory_summary(int device) = 0;
  // Returns every cached, wholly unused segment of every device to the driver.
  virtual void empty_cache() = 0;
  // Caps what the allocator reserves on `device` at fraction * its total memory.
  virtual void set_memory_fraction(double fraction, int device) = 0;
  // Marks the device memory at `data` (from allocate) as also used on `stream`.
  virtual void record_stream(void* data, StreamHandle stream) = 0;
};

// Installs the backend's hooks (null uninstalls them); they must outlive every CUDA tensor.
void set_hooks(Hooks* hooks);
// The installed hooks, or null.
Hooks* hooks();

}  // namespace ember::cuda
