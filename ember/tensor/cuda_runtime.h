// The CUDA runtime API, as PyTorch's torch.cuda and libtorch's c10::cuda: devices, streams,
// events, guards and the CUDA generators' seeds. It forwards to the backend's cuda::Hooks
// (cuda_hooks.h), so it builds without the toolkit; without the backend or without a device,
// every call that needs one raises check_device_available's RuntimeError saying why, while
// is_available()/device_count() (device.h), is_initialized() and the seeding calls never raise.
// A device index of -1 means the current device; others must be below device_count().
#pragma once

#include <cstdint>
#include <string>

#include "ember/tensor/cuda_hooks.h"
#include "ember/tensor/device.h"

namespace ember::cuda {

int current_device();
void set_device(int device);
// Waits for all work on `device` (every stream) to finish.
void synchronize(int device = -1);
std::string get_device_name(int device = -1);
DeviceProperties get_device_properties(int device = -1);
// Whether the runtime has been used (a device queried) in this process; init() does that.
bool is_initialized();
void init();

class Event;

// A CUDA stream on one device, as libtorch's CUDAStream: a cheap value (pool and default streams
// live as long as the process).
class Stream {
 public:
  Stream(int device_index, StreamHandle handle) : device_index_(device_index), handle_(handle) {}

  int device_index() const { return device_index_; }
  Device device() const { return Device(kCUDA, static_cast<int8_t>(device_index_)); }
  // The cudaStream_t (null for the default stream).
  StreamHandle stream() const { return handle_; }
  // A number naming the stream (0: the default stream), as PyTorch's stream_id.
  int64_t id() const { return static_cast<int64_t>(reinterpret_cast<intptr_t>(handle_)); }
  int priority() const;
  // True when all work submitted to the stream has completed.
  bool query() const;
  void synchronize() const;
  // Future work on this stream waits for `event` (PyTorch's Stream.wait_event).
  void wait(const Event& event) const;

  friend bool operator==(const Stream& a, const Stream& b) {
    return a.device_index_ == b.device_index_ && a.handle_ == b.handle_;
  }
  friend bool operator!=(const Stream& a, const Stream& b) { return !(a == b); }

 private:
  int device_index_;
  StreamHandle handle_;
};

// A stream from the device's pool, taken round-robin; high priority or a CUDA priority (lower is
// higher, clamped to the device's range).
Stream getStreamFromPool(bool isHighPriority = false, int device = -1);
Stream getStreamFromPool(int priority, int device);
Stream getDefaultCUDAStream(int device = -1);
// The calling thread's current stream on `device` (the default stream until set).
Stream getCurrentCUDAStream(int device = -1);
// Makes `stream` the calling thread's current stream on its device.
void setCurrentCUDAStream(const Stream& stream);
// ember's (and PyTorch's Python) names for the same.
Stream current_stream(int device = -1);
Stream default_stream(int device = -1);
void set_current_stream(const Stream& stream);

// A CUDA event, as libtorch's CUDAEvent: created on the recording stream's device at its first
// record; move-only (it owns the cudaEvent_t).
class Event {
 public:
  explicit Event(bool enable_timing = false, bool blocking = false);
  ~Event();
  Event(Event&& other) noexcept;
  Event& operator=(Event&& other) noexcept;
  Event(const Event&) = delete;
  Event& operator=(const Event&) = delete;

  // Records on `stream`, by default the current stream of the current device.
  void record();
  void record(const Stream& stream);
  // Makes future work on `stream` wait for this event (PyTorch's Event.wait); a no-op before the
  // first record.
  void block(const Stream& stream) const;
  // True when the recorded work has completed (and before any record).
  bool query() const;
  void synchronize() const;
  // Milliseconds from this event to `end`; both recorded, both made with enable_timing.
  float elapsed_time(const Event& end) const;
  bool was_recorded() const { return handle_ != nullptr; }
  // The device of its first record, or -1 before it.
  int device_index() const { return device_index_; }
  bool enable_timing() const { return enable_timing_; }

 private:
  bool enable_timing_;
  bool blocking_;
  int device_index_ = -1;
  EventHandle handle_ = nullptr;
};

// Makes a device current for its scope (libtorch's CUDAGuard); -1 keeps the current one.
class DeviceGuard {
 public:
  explicit DeviceGuard(int device);
  ~DeviceGuard();
  DeviceGuard(const DeviceGuard&) = delete;
  DeviceGuard& operator=(const DeviceGuard&) = delete;
  int original_device() const { return original_; }
  int current_device() const { return current_; }

 private:
  int original_;
  int current_;
};

// Makes a stream (and its device) current for its scope (libtorch's CUDAStreamGuard).
class StreamGuard {
 public:
  explicit StreamGuard(const Stream& stream);
  ~StreamGuard();
  StreamGuard(const StreamGuard&) = delete;
  StreamGuard& operator=(const StreamGuard&) = delete;
  Stream original_stream() const { return original_stream_; }
  Stream current_stream() const { return current_stream_; }

 private:
  DeviceGuard device_guard_;
  Stream original_stream_;
  Stream current_stream_;
};

// The CUDA generators' seeds, one generator per device (the kernels draw Philox streams from
// them). Safe without a device, as PyTorch's: then they are silently ignored.
void manual_seed(uint64_t seed);  // the current device's generator
void manual_seed_all(uint64_t seed);
// The current device's generator seed (raises without a device).
uint64_t initial_seed();

}  // namespace ember::cuda
