#include "ember/backend/cuda/caching_allocator.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "ember/base/error.h"

namespace ember::cuda {

void StatValue::add(int64_t amount) {
  current += amount;
  peak = std::max(peak, current);
}

namespace {

size_t round_size(size_t nbytes) {
  return (nbytes + kMinBlockSize - 1) / kMinBlockSize * kMinBlockSize;
}

size_t segment_size_for(size_t size) {
  if (size <= kSmallSize) return kSmallSegmentSize;
  if (size < kMinLargeAlloc) return kLargeSegmentSize;
  return (size + kRoundLarge - 1) / kRoundLarge * kRoundLarge;
}

std::string mebibytes(int64_t bytes) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.2f MiB", static_cast<double>(bytes) / (1 << 20));
  return text;
}

enum class BlockState { kAllocated, kAwaitingEvents, kFree };

// A piece of a segment; prev/next link the pieces of one segment in address order.
struct Block {
  Block(void* data_, size_t size_, StreamHandle stream_, bool small_)
      : data(data_), size(size_), stream(stream_), small(small_) {}

  void* data;
  size_t size;
  StreamHandle stream;
  bool small;
  BlockState state = BlockState::kFree;
  Block* prev = nullptr;
  Block* next = nullptr;
  std::unordered_set<StreamHandle> other_streams;  // from record_stream
  int pending_events = 0;
};

// Free blocks ordered by stream, then size, then address: the first block at or after
// (stream, size) is the best fit on that stream.
struct BlockOrder {
  bool operator()(const Block* left, const Block* right) const {
    const auto key = [](const Block* block) {
      return std::make_tuple(reinterpret_cast<uintptr_t>(block->stream), block->size,
                             reinterpret_cast<uintptr_t>(block->data));
    };
    return key(left) < key(right);
  }
};

using BlockPool = std::set<Block*, BlockOrder>;

}  // namespace

class DeviceCachingAllocator {
 public:
  DeviceCachingAllocator(DeviceMemory& memory, int device) : memory_(memory), device_(device) {}

  ~DeviceCachingAllocator() {
    // The device memory itself is left to the process's end (as PyTorch does): freeing it here
    // could run after the CUDA runtime has shut down.
    std::unordered_set<Block*> blocks(small_pool_.begin(), small_pool_.end());
    blocks.insert(large_pool_.begin(), large_pool_.end());
    for (const auto& [data, block] : allocated_) blocks.insert(block);
    for (const auto& [event, block] : pending_events_) blocks.insert(block);
    for (Block* block : blocks) delete block;
  }

  void* allocate(size_t nbytes, StreamHandle stream) {
    std::lock_guard lock(mutex_);
    process_completed_events();
    const size_t size = round_size(nbytes);
    const bool small = size <= kSmallSize;
    Block* block = take_free_block(size, stream, small);
    if (block != nullptr) {
      ++stats_.cache_hits;
    } else {
      ++stats_.cache_misses;
      block = new_segment(size, stream, small);
    }
    split_if_worthwhile(block, size);
    block->state = BlockState::kAllocated;
    allocated_.emplace(block->data, block);
    ++stats_.allocations;
    stats_.allocated_bytes.add(static_cast<int64_t>(block->size));
    stats_.active_blocks.add(1);
    return block->data;
  }

  // True when `data` was allocated here (and is now freed).
  bool free(void* data) {
    std::lock_guard lock(mutex_);
    const auto found = allocated_.find(data);
    if (found == allocated_.end()) return false;
    Block* block = found->second;
    allocated_.erase(found);
    ++stats_.frees;
    stats_.allocated_bytes.add(-static_cast<int64_t>(block->size));
    stats_.active_blocks.add(-1);
    if (block->other_streams.empty()) {
      release_block(block);
      return true;
    }
    block->state = BlockState::kAwaitingEvents;
    for (StreamHandle stream : block->other_streams) {
      pending_events_.emplace_back(memory_.record_event(device_, stream), block);
      ++block->pending_events;
    }
    block->other_streams.clear();
    return true;
  }

  // True when `data` is allocated here.
  bool record_stream(void* data, StreamHandle stream) {
    std::lock_guard lock(mutex_);
    const auto found = allocated_.find(data);
    if (found == allocated_.end()) return false;
    Block* block = found->second;
    if (stream != block->stream) block->other_streams.insert(stream);
    return true;
  }

  void empty_cache() {
    std::lock_guard lock(mutex_);
    release_cached_segments();
  }

  DeviceStats stats() const {
    std::lock_guard lock(mutex_);
    return stats_;
  }

  void reset_peak_stats() {
    std::lock_guard lock(mutex_);
    stats_.allocated_bytes.reset_peak();
    stats_.reserved_bytes.reset_peak();
    stats_.active_blocks.reset_peak();
    stats_.segments.reset_peak();
  }

  void set_memory_fraction(double fraction) {
    EMBER_CHECK_VALUE(fraction >= 0.0 && fraction <= 1.0,
                      "[set_per_process_memory_fraction] expected a fraction in [0, 1]; received ",
                      fraction);
    const size_t total = memory_.total_memory(device_);
    std::lock_guard lock(mutex_);
    memory_limit_ = static_cast<size_t>(fraction * static_cast<double>(total));
  }

 private:
  BlockPool& pool(bool small) { return small ? small_pool_ : large_pool_; }

  Block* take_free_block(size_t size, StreamHandle stream, bool small) {
    BlockPool& blocks = pool(small);
    Block key(nullptr, size, stream, small);
    const auto found = blocks.lower_bound(&key);
    if (found == blocks.end() || (*found)->stream != stream) return nullptr;
    Block* block = *found;
    blocks.erase(found);
    return block;
  }

  // The remainder becomes a free block when it can serve a request of its pool: any size in the
  // small pool, more than kSmallSize in the large one (smaller requests go to the small pool).
  void split_if_worthwhile(Block* block, size_t size) {
    const size_t remaining = block->size - size;
    if (block->small ? remaining < kMinBlockSize : remaining <= kSmallSize) return;
    auto* rest =
        new Block(static_cast<char*>(block->data) + size, remaining, block->stream, block->small);
    rest->prev = block;
    rest->next = block->next;
    if (rest->next != nullptr) rest->next->prev = rest;
    block->next = rest;
    block->size = size;
    pool(rest->small).insert(rest);
  }

  Block* new_segment(size_t size, StreamHandle stream, bool small) {
    const size_t segment_size = segment_size_for(size);
    void* data = allocate_from_device(segment_size);
    if (data == nullptr) {
      // Out of memory: return the whole cache to the device (after the device has finished with
      // every block awaiting events) and try once more, from the cache first.
      ++stats_.alloc_retries;
      release_cached_segments();
      if (Block* block = take_free_block(size, stream, small)) return block;
      data = allocate_from_device(segment_size);
    }
    if (data == nullptr) {
      ++stats_.out_of_memory_errors;
      raise_out_of_memory(size);
    }
    ++stats_.segment_allocations;
    stats_.segments.add(1);
    stats_.reserved_bytes.add(static_cast<int64_t>(segment_size));
    return new Block(data, segment_size, stream, small);
  }

  void* allocate_from_device(size_t segment_size) {
    if (memory_limit_ &&
        static_cast<size_t>(stats_.reserved_bytes.current) + segment_size > *memory_limit_) {
      return nullptr;
    }
    return memory_.allocate(device_, segment_size);
  }

  [[noreturn]] void raise_out_of_memory(size_t size) const {
    std::ostringstream message;
    message << "[cuda] CUDA out of memory. Tried to allocate " << mebibytes(size) << " (GPU "
            << device_ << "; " << mebibytes(stats_.allocated_bytes.current)
            << " already allocated; " << mebibytes(stats_.reserved_bytes.current)
            << " reserved in total by ember";
    if (memory_limit_) {
      message << "; " << mebibytes(static_cast<int64_t>(*memory_limit_))
              << " allowed by set_per_process_memory_fraction";
    }
    message << ")";
    throw OutOfMemoryError(message.str());
  }

  // Puts a block back in its pool, merged with its free neighbours.
  void release_block(Block* block) {
    block->state = BlockState::kFree;
    BlockPool& blocks = pool(block->small);
    if (Block* prev = block->prev; prev != nullptr && prev->state == BlockState::kFree) {
      blocks.erase(prev);
      prev->size += block->size;
      prev->next = block->next;
      if (prev->next != nullptr) prev->next->prev = prev;
      delete block;
      block = prev;
    }
    if (Block* next = block->next; next != nullptr && next->state == BlockState::kFree) {
      blocks.erase(next);
      block->size += next->size;
      block->next = next->next;
      if (block->next != nullptr) block->next->prev = block;
      delete next;
    }
    blocks.insert(block);
  }

  void process_completed_events() {
    std::erase_if(pending_events_, [this](const std::pair<EventHandle, Block*>& pending) {
      if (!memory_.query_event(pending.first)) return false;
      complete_event(pending);
      return true;
    });
  }

  void complete_event(const std::pair<EventHandle, Block*>& pending) {
    memory_.free_event(pending.first);
    if (--pending.second->pending_events == 0) release_block(pending.second);
  }

  void release_cached_segments() {
    if (!pending_events_.empty()) {
      memory_.synchronize(device_);
      for (const auto& pending : pending_events_) complete_event(pending);
      pending_events_.clear();
    }
    for (BlockPool* blocks : {&small_pool_, &large_pool_}) {
      std::erase_if(*blocks, [this](Block* block) {
        if (block->prev != nullptr || block->next != nullptr) return false;
        memory_.free(device_, block->data);
        ++stats_.segment_frees;
        stats_.segments.add(-1);
        stats_.reserved_bytes.add(-static_cast<int64_t>(block->size));
        delete block;
        return true;
      });
    }
  }

  DeviceMemory& memory_;
  const int device_;
  mutable std::mutex mutex_;
  BlockPool small_pool_;
  BlockPool large_pool_;
  std::unordered_map<void*, Block*> allocated_;
  std::vector<std::pair<EventHandle, Block*>> pending_events_;
  DeviceStats stats_;
  std::optional<size_t> memory_limit_;
};

CachingAllocator::CachingAllocator(DeviceMemory& memory) {
  const int count = memory.device_count();
  devices_.reserve(static_cast<size_t>(count));
  for (int device = 0; device < count; ++device) {
    devices_.push_back(std::make_unique<DeviceCachingAllocator>(memory, device));
  }
}

CachingAllocator::~CachingAllocator() = default;

DeviceCachingAllocator& CachingAllocator::device_allocator(int device) const {
  EMBER_CHECK(device >= 0 && device < device_count(),
              "[cuda caching allocator] expected a device index in [0, ", device_count(),
              "); received ", device);
  return *devices_[static_cast<size_t>(device)];
}

void* CachingAllocator::allocate(int device, size_t nbytes, StreamHandle stream) {
  DeviceCachingAllocator& allocator = device_allocator(device);
  if (nbytes == 0) return nullptr;
  return allocator.allocate(nbytes, stream);
}

void CachingAllocator::free(void* data) {
  if (data == nullptr) return;
  for (const auto& allocator : devices_) {
    if (allocator->free(data)) return;
  }
  ember::detail::raise<RuntimeError>(
      "[cuda caching allocator] expected a pointer it allocated and has "
      "not freed yet; received ",
      data);
}

void CachingAllocator::record_stream(void* data, StreamHandle stream) {
  for (const auto& allocator : devices_) {
    if (allocator->record_stream(data, stream)) return;
  }
  ember::detail::raise<RuntimeError>(
      "[record_stream] expected a pointer from the CUDA caching "
      "allocator that has not been freed; received ",
      data);
}

void CachingAllocator::empty_cache(int device) { device_allocator(device).empty_cache(); }

void CachingAllocator::empty_cache() {
  for (const auto& allocator : devices_) allocator->empty_cache();
}

DeviceStats CachingAllocator::stats(int device) const { return device_allocator(device).stats(); }

void CachingAllocator::reset_peak_stats(int device) { device_allocator(device).reset_peak_stats(); }

void CachingAllocator::set_memory_fraction(double fraction, int device) {
  device_allocator(device).set_memory_fraction(fraction);
}

std::map<std::string, int64_t> stats_as_map(const DeviceStats& stats) {
  std::map<std::string, int64_t> map;
  const auto add_stat = [&map](const std::string& name, const StatValue& value) {
    map[name + ".all.current"] = value.current;
    map[name + ".all.peak"] = value.peak;
  };
  add_stat("allocated_bytes", stats.allocated_bytes);
  add_stat("reserved_bytes", stats.reserved_bytes);
  add_stat("active", stats.active_blocks);
  add_stat("segment", stats.segments);
  const auto count = [](uint64_t value) { return static_cast<int64_t>(value); };
  map["allocation.all.allocated"] = count(stats.allocations);
  map["allocation.all.freed"] = count(stats.frees);
  map["segment.all.allocated"] = count(stats.segment_allocations);
  map["segment.all.freed"] = count(stats.segment_frees);
  map["num_device_alloc"] = count(stats.segment_allocations);
  map["num_device_free"] = count(stats.segment_frees);
  map["num_cache_hits"] = count(stats.cache_hits);
  map["num_cache_misses"] = count(stats.cache_misses);
  map["num_alloc_retries"] = count(stats.alloc_retries);
  map["num_ooms"] = count(stats.out_of_memory_errors);
  return map;
}

std::string format_memory_summary(const DeviceStats& stats, int device) {
  const std::string rule(61, '=');
  const std::string thin_rule(61, '-');
  char line[128];
  std::ostringstream table;
  table << rule << "\n"
        << " ember CUDA memory summary, device " << device << "\n"
        << thin_rule << "\n";
  std::snprintf(line, sizeof(line), " %-25s %16s %16s\n", "Metric", "Current", "Peak");
  table << line << thin_rule << "\n";
  const auto bytes_row = [&](const char* name, const StatValue& value) {
    std::snprintf(line, sizeof(line), " %-25s %16s %16s\n", name, mebibytes(value.current).c_str(),
                  mebibytes(value.peak).c_str());
    table << line;
  };
  const auto count_row = [&](const char* name, const StatValue& value) {
    std::snprintf(line, sizeof(line), " %-25s %16" PRId64 " %16" PRId64 "\n", name, value.current,
                  value.peak);
    table << line;
  };
  bytes_row("Allocated memory", stats.allocated_bytes);
  bytes_row("Reserved memory", stats.reserved_bytes);
  count_row("Active blocks", stats.active_blocks);
  count_row("Segments", stats.segments);
  table << thin_rule << "\n";
  const auto total_row = [&](const char* name, uint64_t value) {
    std::snprintf(line, sizeof(line), " %-25s %33" PRIu64 "\n", name, value);
    table << line;
  };
  total_row("Allocations", stats.allocations);
  total_row("Frees", stats.frees);
  total_row("Cache hits", stats.cache_hits);
  total_row("Cache misses", stats.cache_misses);
  total_row("Segments allocated", stats.segment_allocations);
  total_row("Segments freed", stats.segment_frees);
  total_row("Allocation retries", stats.alloc_retries);
  total_row("Out-of-memory errors", stats.out_of_memory_errors);
  table << rule << "\n";
  return table.str();
}

}  // namespace ember::cuda
