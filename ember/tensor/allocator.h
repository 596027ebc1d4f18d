// The CPU caching allocator. A fresh 64 MiB block costs ~190 ms of page faults on this VM
// (docs/architecture.md, Note [caching allocator]), so freed blocks are kept by size class and
// reused; large blocks are 2 MiB aligned and advised to use huge pages.
#pragma once

#include <cstddef>
#include <cstdint>

namespace ember::cpu_allocator {

// 64-byte aligned; throws OutOfMemoryError after releasing the cache and retrying (B11).
void* allocate(size_t nbytes);
// Returns a block from allocate(nbytes) to the cache.
void deallocate(void* data, size_t nbytes);

struct Stats {
  size_t allocated_bytes;  // handed out and not yet returned
  size_t cached_bytes;     // held for reuse
  uint64_t cache_hits;
  uint64_t cache_misses;
};
Stats stats();
// Frees every cached block back to the system (torch.cuda.empty_cache's counterpart).
void empty_cache();
// Upper bound on cached bytes; blocks freed beyond it go straight back to the system.
void set_cache_limit(size_t bytes);

}  // namespace ember::cpu_allocator
