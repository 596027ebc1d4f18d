// The CUDA runtime's pieces behind cuda::Hooks (hooks.cpp forwards to them): the current device
// around a call (DeviceScope), the stream pool and each thread's current streams (streams.cpp),
// events (events.cpp) and pinned host memory (pinned_memory.cpp, cached). Device indices are
// resolved and range-checked by the public API (ember/tensor/cuda_runtime.cpp) before they arrive
// here.
#pragma once

#include <cstddef>

#include "ember/tensor/cuda_hooks.h"

namespace ember::cuda::runtime {

// Makes `device` current for the scope and restores the previous device after it, so that
// creating a stream or an event on another device leaves the thread's current device alone.
class DeviceScope {
 public:
  explicit DeviceScope(int device);
  ~DeviceScope();
  DeviceScope(const DeviceScope&) = delete;
  DeviceScope& operator=(const DeviceScope&) = delete;

 private:
  int previous_ = 0;
  bool changed_ = false;
};

StreamHandle stream_from_pool(int device, int priority);
StreamHandle current_stream(int device);
void set_current_stream(int device, StreamHandle stream);
int stream_priority(StreamHandle stream);
bool query_stream(StreamHandle stream);
void synchronize_stream(StreamHandle stream);
void stream_wait_event(StreamHandle stream, EventHandle event);

EventHandle create_event(int device, bool enable_timing, bool blocking);
void destroy_event(EventHandle event);
void record_event(EventHandle event, StreamHandle stream);
bool query_event(EventHandle event);
// A new event without timing, recorded on `stream` of `device`: the caching allocators mark a
// block's last use with one.
EventHandle record_new_event(int device, StreamHandle stream);
void synchronize_event(EventHandle event);
float elapsed_time(EventHandle start, EventHandle end);

IntrusivePtr<Storage> allocate_pinned(size_t nbytes);
bool is_pinned(const void* data);
// A copy queued on `stream` of `device` reads or writes the host memory at `data`: a pinned block
// holding it is not reused until that copy has run.
void record_host_use(const void* data, int device, StreamHandle stream);

}  // namespace ember::cuda::runtime
