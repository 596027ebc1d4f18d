#include "ember/backend/cuda/pinned_host_cache.h"

#include <algorithm>
#include <bit>
#include <iterator>
#include <string>

#include "ember/base/error.h"

namespace ember::cuda {
namespace {

// Power-of-two sizes: a loader's batches vary a little (the last one is smaller), and one bucket
// per power of two lets them share blocks at a cost of at most half a block.
size_t rounded(size_t nbytes) {
  return std::bit_ceil(std::max(nbytes, PinnedHostCache::kMinPinnedBlock));
}

// The entry of `blocks` (address -> block) whose block contains `data`, or blocks.end(); for the
// const and the mutable map alike.
template <typename Blocks>
auto block_containing(Blocks& blocks, const void* data) -> decltype(blocks.begin()) {
  const auto address = reinterpret_cast<uintptr_t>(data);
  auto after = blocks.upper_bound(address);
  if (after == blocks.begin()) return blocks.end();
  const auto found = std::prev(after);
  return address < found->first + found->second.size ? found : blocks.end();
}

}  // namespace

PinnedHostCache::PinnedHostCache(HostMemory& memory) : memory_(memory) {}

PinnedHostCache::~PinnedHostCache() {
  for (auto& [address, block] : blocks_) {
    for (EventHandle event : block.pending) memory_.free_event(event);
    memory_.free(reinterpret_cast<void*>(address));
  }
}

void* PinnedHostCache::allocate(size_t nbytes) {
  if (nbytes == 0) return nullptr;
  const size_t size = rounded(nbytes);
  std::lock_guard lock(mutex_);
  collect_completed();
  ++stats_.allocations;
  uintptr_t address = 0;
  if (auto idle = idle_.find(size); idle != idle_.end()) {
    address = idle->second;
    idle_.erase(idle);
    ++stats_.cache_hits;
  } else {
    void* data = memory_.allocate(size);
    if (data == nullptr) {
      release_idle();
      data = memory_.allocate(size);
    }
    if (data == nullptr) {
      throw OutOfMemoryError(
          "[pin_memory] could not allocate " + std::to_string(size) +
          " bytes of pinned host memory (the cache's idle blocks were freed first); pinned memory "
          "is page-locked RAM the system limits: free pinned tensors or pin smaller batches");
    }
    address = reinterpret_cast<uintptr_t>(data);
    blocks_[address].size = size;
    stats_.reserved_bytes += static_cast<int64_t>(size);
  }
  Block& block = blocks_.at(address);
  block.in_use = true;
  stats_.allocated_bytes += static_cast<int64_t>(size);
  return reinterpret_cast<void*>(address);
}

void PinnedHostCache::free(void* data) {
  if (data == nullptr) return;
  std::lock_guard lock(mutex_);
  const auto found = blocks_.find(reinterpret_cast<uintptr_t>(data));
  EMBER_CHECK(found != blocks_.end() && found->second.in_use,
              "[pin_memory] freeing a pointer the pinned host cache did not hand out (or freed "
              "already)");
  Block& block = found->second;
  block.in_use = false;
  stats_.allocated_bytes -= static_cast<int64_t>(block.size);
  for (const StreamUse& use : block.streams) {
    block.pending.push_back(memory_.record_event(use.device, use.stream));
  }
  block.streams.clear();
  if (block.pending.empty()) {
    idle_.emplace(block.size, found->first);
  } else {
    awaiting_events_.push_back(found->first);
  }
}

void PinnedHostCache::record_stream(const void* data, int device, StreamHandle stream) {
  std::lock_guard lock(mutex_);
  const auto found = block_containing(blocks_, data);
  if (found == blocks_.end() || !found->second.in_use) return;
  std::vector<StreamUse>& streams = found->second.streams;
  const StreamUse use{device, stream};
  if (std::find(streams.begin(), streams.end(), use) == streams.end()) streams.push_back(use);
}

bool PinnedHostCache::owns(const void* data) const {
  std::lock_guard lock(mutex_);
  const auto found = block_containing(blocks_, data);
  return found != blocks_.end() && found->second.in_use;
}

void PinnedHostCache::empty_cache() {
  std::lock_guard lock(mutex_);
  collect_completed();
  release_idle();
}

PinnedHostStats PinnedHostCache::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

void PinnedHostCache::collect_completed() {
  std::erase_if(awaiting_events_, [&](uintptr_t address) {
    Block& block = blocks_.at(address);
    std::erase_if(block.pending, [&](EventHandle event) {
      if (!memory_.query_event(event)) return false;
      memory_.free_event(event);
      return true;
    });
    if (!block.pending.empty()) return false;
    idle_.emplace(block.size, address);
    return true;
  });
}

void PinnedHostCache::release_idle() {
  for (const auto& [size, address] : idle_) {
    memory_.free(reinterpret_cast<void*>(address));
    blocks_.erase(address);
    stats_.reserved_bytes -= static_cast<int64_t>(size);
  }
  idle_.clear();
}

}  // namespace ember::cuda
