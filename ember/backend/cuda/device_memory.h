// What the CUDA caching allocator needs from a device: raw memory, events on streams and device
// synchronisation. The allocator (caching_allocator.h) is host-only C++ written against this
// interface, so its logic is tested without a GPU over a fake (caching_allocator_test.cpp); the
// runtime implements it over cudart (runtime/cuda_device_memory.cpp).
#pragma once

#include <cstddef>

#include "ember/tensor/cuda_hooks.h"

namespace ember::cuda {

// Streams and events are the hooks' opaque handles (a cudaStream_t, null the default stream; a
// cudaEvent_t). Blocks are cached per stream.
class DeviceMemory {
 public:
  virtual ~DeviceMemory() = default;
  virtual int device_count() const = 0;
  // Total memory of `device` in bytes (the base of set_per_process_memory_fraction's limit).
  virtual size_t total_memory(int device) = 0;
  // nbytes of device memory, or nullptr when the device is out of memory.
  virtual void* allocate(int device, size_t nbytes) = 0;
  virtual void free(int device, void* data) = 0;
  // An event recorded now on `stream`: it completes once the work queued before it has run.
  virtual EventHandle record_event(int device, StreamHandle stream) = 0;
  // True once the event has completed.
  virtual bool query_event(EventHandle event) = 0;
  virtual void free_event(EventHandle event) = 0;
  // Waits until all work queued on `device` has run.
  virtual void synchronize(int device) = 0;
};

}  // namespace ember::cuda
