// The cache of pinned (page-locked) host memory behind pin_memory() and DataLoader(pin_memory=True)
// (docs/architecture.md, Note [CUDA caching allocator]). cudaHostAlloc and cudaFreeHost cost
// milliseconds and cudaFreeHost synchronises the device, so a loader that pins every batch would
// stall on them: freed blocks are kept by size (a power of two) and handed out again. A block a
// non_blocking copy read or wrote is reused only once that copy has run: the copy records its
// stream (record_stream), and freeing the block records an event there that must complete first.
// Host-only: the driver is reached through HostMemory, so the logic is tested over a fake.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <vector>

#include "ember/tensor/cuda_hooks.h"

namespace ember::cuda {

// What the cache needs from the driver (runtime/pinned_memory.cpp implements it over cudart).
class HostMemory {
 public:
  virtual ~HostMemory() = default;
  // nbytes of page-locked memory, or nullptr when none can be had.
  virtual void* allocate(size_t nbytes) = 0;
  virtual void free(void* data) = 0;
  // An event recorded now on `stream` of `device`; it completes once the work queued before it
  // has run.
  virtual EventHandle record_event(int device, StreamHandle stream) = 0;
  virtual bool query_event(EventHandle event) = 0;
  virtual void free_event(EventHandle event) = 0;
};

struct PinnedHostStats {
  int64_t allocated_bytes = 0;  // handed out and not yet freed (rounded sizes)
  int64_t reserved_bytes = 0;   // held from the driver, cached or in use
  uint64_t allocations = 0;
  uint64_t cache_hits = 0;  // allocations served by a cached block
};

class PinnedHostCache {
 public:
  // `memory` must outlive the cache.
  explicit PinnedHostCache(HostMemory& memory);
  // Returns every block to the driver, waiting for none: the owner destroys the cache only when
  // no copy can still be running (the runtime's cache lives until the process ends).
  ~PinnedHostCache();
  PinnedHostCache(const PinnedHostCache&) = delete;
  PinnedHostCache& operator=(const PinnedHostCache&) = delete;

  // At least nbytes (rounded up to a power of two, at least kMinPinnedBlock), nullptr for 0
  // bytes. When the driver refuses, the idle cached blocks go back to it and the request is
  // tried once more; a second refusal is an OutOfMemoryError naming the size.
  void* allocate(size_t nbytes);
  // Returns a pointer from allocate to the cache; null is ignored, any other pointer is a
  // RuntimeError.
  void free(void* data);
  // Marks the block holding `data` (any address inside it) as used by work queued on `stream` of
  // `device`. Memory the cache does not own is ignored: a copy from an unpinned tensor needs no
  // tracking.
  void record_stream(const void* data, int device, StreamHandle stream);
  // Whether `data` lies in a block the cache handed out and that is not yet freed.
  bool owns(const void* data) const;
  // Returns every idle block (freed, its copies finished) to the driver.
  void empty_cache();
  PinnedHostStats stats() const;

  static constexpr size_t kMinPinnedBlock = 512;

 private:
  struct StreamUse {
    int device;
    StreamHandle stream;
    bool operator==(const StreamUse&) const = default;
  };
  struct Block {
    size_t size = 0;
    bool in_use = false;
    std::vector<StreamUse> streams;    // where non_blocking copies used it since allocate
    std::vector<EventHandle> pending;  // recorded at free; the block idles once all complete
  };

  // Moves freed blocks whose events have all completed to the idle lists. Holds mutex_.
  void collect_completed();
  // Frees the idle blocks. Holds mutex_.
  void release_idle();

  HostMemory& memory_;
  mutable std::mutex mutex_;
  std::map<uintptr_t, Block> blocks_;       // every block held, by address
  std::multimap<size_t, uintptr_t> idle_;   // free blocks ready for reuse, by size
  std::vector<uintptr_t> awaiting_events_;  // freed blocks with pending events
  PinnedHostStats stats_;
};

}  // namespace ember::cuda
