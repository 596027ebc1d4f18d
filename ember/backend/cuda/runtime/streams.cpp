// Streams as libtorch hands them out: a per-device pool of streams created at first use and kept
// for the life of the process (so a Stream is a plain value), taken round-robin, and a current
// stream per device and per thread that starts as the default (null) stream.
#include <cuda_runtime_api.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <mutex>
#include <unordered_map>

#include "ember/backend/cuda/runtime/cuda_check.h"
#include "ember/backend/cuda/runtime/runtime.h"

namespace ember::cuda::runtime {
namespace {

// libtorch's pool size per device and priority.
constexpr size_t kStreamsPerPool = 32;

struct Pool {
  std::array<cudaStream_t, kStreamsPerPool> streams{};
  std::atomic<size_t> next{0};
};

std::mutex pools_mutex;
// Keyed by (device, clamped priority); node-based, so a Pool never moves once created.
std::unordered_map<long long, Pool> pools;

Pool& pool_for(int device, int priority) {
  std::lock_guard<std::mutex> lock(pools_mutex);
  const long long key = (static_cast<long long>(device) << 32) | static_cast<unsigned>(priority);
  auto [it, created] = pools.try_emplace(key);
  if (created) {
    DeviceScope scope(device);
    for (cudaStream_t& stream : it->second.streams) {
      EMBER_CUDA_CHECK(cudaStreamCreateWithPriority(&stream, cudaStreamNonBlocking, priority));
    }
  }
  return it->second;
}

// The calling thread's current stream per device; absent means the default stream.
thread_local std::unordered_map<int, StreamHandle> current_streams;

}  // namespace

StreamHandle stream_from_pool(int device, int priority) {
  int least = 0;
  int greatest = 0;
  EMBER_CUDA_CHECK(cudaDeviceGetStreamPriorityRange(&least, &greatest));
  priority = std::clamp(priority, greatest, least);
  Pool& pool = pool_for(device, priority);
  return pool.streams[pool.next.fetch_add(1) % kStreamsPerPool];
}

StreamHandle current_stream(int device) {
  const auto it = current_streams.find(device);
  return it == current_streams.end() ? nullptr : it->second;
}

void set_current_stream(int device, StreamHandle stream) { current_streams[device] = stream; }

int stream_priority(StreamHandle stream) {
  int priority = 0;
  EMBER_CUDA_CHECK(cudaStreamGetPriority(static_cast<cudaStream_t>(stream), &priority));
  return priority;
}

bool query_stream(StreamHandle stream) {
  const cudaError_t status = cudaStreamQuery(static_cast<cudaStream_t>(stream));
  if (status == cudaErrorNotReady) {
    cudaGetLastError();
    return false;
  }
  EMBER_CUDA_CHECK(status);
  return true;
}

void synchronize_stream(StreamHandle stream) {
  EMBER_CUDA_CHECK(cudaStreamSynchronize(static_cast<cudaStream_t>(stream)));
}

void stream_wait_event(StreamHandle stream, EventHandle event) {
  EMBER_CUDA_CHECK(
      cudaStreamWaitEvent(static_cast<cudaStream_t>(stream), static_cast<cudaEvent_t>(event), 0));
}

}  // namespace ember::cuda::runtime
