#include "ember/tensor/cuda_memory.h"

#include <string_view>

#include "ember/base/error.h"
#include "ember/tensor/cuda_hooks.h"
#include "ember/tensor/tensor.h"

namespace ember::cuda {
namespace {

// The backend's hooks and `device` resolved (-1: the current device) and checked, or the error
// saying why there is no such device.
struct MemoryBackend {
  Hooks& hooks;
  int device;
};

MemoryBackend memory_backend(int device, std::string_view op) {
  check_device_available(Device(kCUDA), op);
  Hooks& backend = *hooks();
  if (device == -1) return {backend, backend.current_device()};
  const int count = backend.device_count();
  EMBER_CHECK_VALUE(device >= 0 && device < count, "[", op, "] invalid device index ", device,
                    "; expected -1 (the current device) or an index below the ", count,
                    " CUDA device(s) present");
  return {backend, device};
}

int64_t statistic(int device, std::string_view op, const std::string& name) {
  const MemoryBackend backend = memory_backend(device, op);
  return backend.hooks.memory_stats(backend.device).at(name);
}

}  // namespace

int64_t memory_allocated(int device) {
  return statistic(device, "memory_allocated", "allocated_bytes.all.current");
}

int64_t max_memory_allocated(int device) {
  return statistic(device, "max_memory_allocated", "allocated_bytes.all.peak");
}

int64_t memory_reserved(int device) {
  return statistic(device, "memory_reserved", "reserved_bytes.all.current");
}

int64_t max_memory_reserved(int device) {
  return statistic(device, "max_memory_reserved", "reserved_bytes.all.peak");
}

void reset_peak_memory_stats(int device) {
  const MemoryBackend backend = memory_backend(device, "reset_peak_memory_stats");
  backend.hooks.reset_peak_memory_stats(backend.device);
}

std::map<std::string, int64_t> memory_stats(int device) {
  const MemoryBackend backend = memory_backend(device, "memory_stats");
  return backend.hooks.memory_stats(backend.device);
}

std::string memory_summary(int device) {
  const MemoryBackend backend = memory_backend(device, "memory_summary");
  return backend.hooks.memory_summary(backend.device);
}

void empty_cache() { memory_backend(-1, "empty_cache").hooks.empty_cache(); }

void set_per_process_memory_fraction(double fraction, int device) {
  const MemoryBackend backend = memory_backend(device, "set_per_process_memory_fraction");
  backend.hooks.set_memory_fraction(fraction, backend.device);
}

void record_stream(const Tensor& tensor, const Stream& stream) {
  const MemoryBackend backend = memory_backend(stream.device_index(), "record_stream");
  EMBER_CHECK(tensor.device().is_cuda(), "[record_stream] expected a CUDA tensor; received a ",
              tensor.device().str(), " tensor");
  backend.hooks.record_stream(tensor.storage()->data(), stream.stream());
}

}  // namespace ember::cuda
