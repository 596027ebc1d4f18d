// CUDA events: created on a device (timing off unless asked, as CUDA's cheapest kind), recorded
// on a stream, queried, waited for, and timed against each other.
#include <cuda_runtime_api.h>

#include "ember/backend/cuda/runtime/cuda_check.h"
#include "ember/backend/cuda/runtime/runtime.h"

namespace ember::cuda::runtime {

EventHandle create_event(int device, bool enable_timing, bool blocking) {
  DeviceScope scope(device);
  unsigned flags = enable_timing ? cudaEventDefault : cudaEventDisableTiming;
  if (blocking) flags |= cudaEventBlockingSync;
  cudaEvent_t event = nullptr;
  EMBER_CUDA_CHECK(cudaEventCreateWithFlags(&event, flags));
  return event;
}

// Called from destructors: an error here cannot be raised, and the event is gone either way.
void destroy_event(EventHandle event) { cudaEventDestroy(static_cast<cudaEvent_t>(event)); }

void record_event(EventHandle event, StreamHandle stream) {
  EMBER_CUDA_CHECK(
      cudaEventRecord(static_cast<cudaEvent_t>(event), static_cast<cudaStream_t>(stream)));
}

EventHandle record_new_event(int device, StreamHandle stream) {
  DeviceScope scope(device);  // a null stream is the current device's default stream
  const EventHandle event = create_event(device, /*enable_timing=*/false, /*blocking=*/false);
  record_event(event, stream);
  return event;
}

bool query_event(EventHandle event) {
  const cudaError_t status = cudaEventQuery(static_cast<cudaEvent_t>(event));
  if (status == cudaErrorNotReady) {
    cudaGetLastError();
    return false;
  }
  EMBER_CUDA_CHECK(status);
  return true;
}

void synchronize_event(EventHandle event) {
  EMBER_CUDA_CHECK(cudaEventSynchronize(static_cast<cudaEvent_t>(event)));
}

float elapsed_time(EventHandle start, EventHandle end) {
  float milliseconds = 0.0F;
  EMBER_CUDA_CHECK(cudaEventElapsedTime(&milliseconds, static_cast<cudaEvent_t>(start),
                                        static_cast<cudaEvent_t>(end)));
  return milliseconds;
}

}  // namespace ember::cuda::runtime
