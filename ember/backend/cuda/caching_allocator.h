// The stream-aware CUDA caching allocator (docs/architecture.md, Note [CUDA caching allocator]).
// cudaMalloc and cudaFree synchronise the device and cost far more than a kernel launch, so freed
// blocks are kept per device, per stream and per pool (small <= 1 MiB, large above) and reused
// best-fit; segments are split and their freed neighbours merged. A block also used on other
// streams (record_stream) is reused only once the events recorded on them at free time complete.
// Host-only: the device is reached through DeviceMemory (device_memory.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "ember/backend/cuda/device_memory.h"

namespace ember::cuda {

// Requests are rounded up to a multiple of kMinBlockSize; up to kSmallSize they come from the
// small pool's kSmallSegmentSize segments.
inline constexpr size_t kMinBlockSize = 512;
inline constexpr size_t kSmallSize = size_t{1} << 20;
inline constexpr size_t kSmallSegmentSize = size_t{2} << 20;
// Large requests under kMinLargeAlloc share kLargeSegmentSize segments; larger ones get a segment
// of their own rounded up to kRoundLarge.
inline constexpr size_t kMinLargeAlloc = size_t{10} << 20;
inline constexpr size_t kLargeSegmentSize = size_t{20} << 20;
inline constexpr size_t kRoundLarge = size_t{2} << 20;

// A value's current level and its peak since the last reset.
struct StatValue {
  int64_t current = 0;
  int64_t peak = 0;
  void add(int64_t amount);
  void reset_peak() { peak = current; }
};

struct DeviceStats {
  StatValue allocated_bytes;  // handed out and not yet freed (rounded sizes)
  StatValue reserved_bytes;   // held from the device, cached or in use
  StatValue active_blocks;    // blocks handed out
  StatValue segments;         // device allocations held
  uint64_t allocations = 0;
  uint64_t frees = 0;
  uint64_t segment_allocations = 0;  // calls to DeviceMemory::allocate that succeeded
  uint64_t segment_frees = 0;
  uint64_t cache_hits = 0;     // allocations served from cached blocks
  uint64_t cache_misses = 0;   // allocations that needed a new segment
  uint64_t alloc_retries = 0;  // out-of-memory answers followed by freeing the cache
  uint64_t out_of_memory_errors = 0;
};

// The statistics under torch.cuda.memory_stats's names ("allocated_bytes.all.current", ...).
std::map<std::string, int64_t> stats_as_map(const DeviceStats& stats);
// torch.cuda.memory_summary's counterpart: a table of the statistics of `device`.
std::string format_memory_summary(const DeviceStats& stats, int device);

class DeviceCachingAllocator;

class CachingAllocator {
 public:
  // `memory` must outlive the allocator; its device_count() is read once.
  explicit CachingAllocator(DeviceMemory& memory);
  ~CachingAllocator();
  CachingAllocator(const CachingAllocator&) = delete;
  CachingAllocator& operator=(const CachingAllocator&) = delete;

  int device_count() const { return static_cast<int>(devices_.size()); }
  // nbytes on `device` for use on `stream`; nullptr for 0 bytes. OutOfMemoryError when even an
  // emptied cache cannot serve it.
  void* allocate(int device, size_t nbytes, StreamHandle stream);
  // Returns a pointer from allocate to the cache; null is ignored, any other pointer is a
  // RuntimeError.
  void free(void* data);
  // Marks `data` as used on `stream` too: once freed, it is reused only after the work queued on
  // `stream` until the free has run.
  void record_stream(void* data, StreamHandle stream);
  // Returns every cached, wholly unused segment of `device` to the device.
  void empty_cache(int device);
  void empty_cache();
  DeviceStats stats(int device) const;
  void reset_peak_stats(int device);
  // Caps the memory reserved on `device` at fraction * its total memory (0 <= fraction <= 1).
  void set_memory_fraction(double fraction, int device);

 private:
  DeviceCachingAllocator& device_allocator(int device) const;

  std::vector<std::unique_ptr<DeviceCachingAllocator>> devices_;
};

}  // namespace ember::cuda
