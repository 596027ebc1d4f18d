#include "ember/tensor/allocator.h"

#include <sys/mman.h>

#include <cstdlib>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "ember/base/error.h"

namespace ember::cpu_allocator {
namespace {

constexpr size_t kAlignment = 64;
constexpr size_t kHugePage = size_t{2} << 20;
constexpr size_t kSmallLimit = 4096;

// Small sizes round to 64 bytes; larger ones to a quarter of their power of two, so reuse
// wastes at most 25% while shapes that vary a little still share blocks.
size_t size_class(size_t nbytes) {
  if (nbytes <= kSmallLimit) return ((nbytes + kAlignment - 1) / kAlignment) * kAlignment;
  const int top_bit = 63 - __builtin_clzll(nbytes - 1);
  const size_t step = size_t{1} << (top_bit - 2);
  return ((nbytes + step - 1) / step) * step;
}

class CachingAllocator {
 public:
  void* allocate(size_t nbytes) {
    const size_t rounded = size_class(nbytes == 0 ? 1 : nbytes);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      std::vector<void*>& blocks = free_list(rounded);
      if (!blocks.empty()) {
        void* block = blocks.back();
        blocks.pop_back();
        cached_bytes_ -= rounded;
        allocated_bytes_ += rounded;
        ++hits_;
        return block;
      }
      ++misses_;
    }
    void* block = system_allocate(rounded);
    if (block == nullptr) {
      empty_cache();
      block = system_allocate(rounded);
    }
    EMBER_CHECK_TYPED(block != nullptr, OutOfMemoryError,
                      "[allocator] not enough memory: you tried to allocate ", nbytes,
                      " bytes on cpu");
    std::lock_guard<std::mutex> lock(mutex_);
    allocated_bytes_ += rounded;
    return block;
  }

  void deallocate(void* block, size_t nbytes) {
    if (block == nullptr) return;
    const size_t rounded = size_class(nbytes == 0 ? 1 : nbytes);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      allocated_bytes_ -= rounded;
      if (cached_bytes_ + rounded <= cache_limit_) {
        free_list(rounded).push_back(block);
        cached_bytes_ += rounded;
        return;
      }
    }
    std::free(block);
  }

  void empty_cache() {
    std::unordered_map<size_t, std::vector<void*>> released;
    std::vector<void*> released_small;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      released.swap(free_blocks_);
      for (std::vector<void*>& blocks : small_blocks_) {
        released_small.insert(released_small.end(), blocks.begin(), blocks.end());
        blocks.clear();
      }
      cached_bytes_ = 0;
    }
    for (void* block : released_small) std::free(block);
    for (auto& [size, blocks] : released) {
      for (void* block : blocks) std::free(block);
    }
  }

  Stats stats() {
    std::lock_guard<std::mutex> lock(mutex_);
    return {allocated_bytes_, cached_bytes_, hits_, misses_};
  }

  void set_cache_limit(size_t bytes) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      cache_limit_ = bytes;
    }
    empty_cache();
  }

 private:
  static void* system_allocate(size_t rounded) {
    if (rounded < kHugePage) return std::aligned_alloc(kAlignment, rounded);
    const size_t padded = ((rounded + kHugePage - 1) / kHugePage) * kHugePage;
    void* block = std::aligned_alloc(kHugePage, padded);
    if (block != nullptr) madvise(block, padded, MADV_HUGEPAGE);
    return block;
  }

  // Small classes (the many tiny tensors of dynamic graphs) index an array; large ones hash.
  std::vector<void*>& free_list(size_t rounded) {
    if (rounded <= kSmallLimit) return small_blocks_[rounded / kAlignment];
    return free_blocks_[rounded];
  }

  std::mutex mutex_;
  std::vector<void*> small_blocks_[kSmallLimit / kAlignment + 1];
  std::unordered_map<size_t, std::vector<void*>> free_blocks_;
  size_t allocated_bytes_ = 0;
  size_t cached_bytes_ = 0;
  size_t cache_limit_ = size_t{8} << 30;
  uint64_t hits_ = 0;
  uint64_t misses_ = 0;
};

CachingAllocator& instance() {
  // Never destroyed: tensors held by static objects may be freed after main returns.
  static auto* allocator = new CachingAllocator();
  return *allocator;
}

}  // namespace

void* allocate(size_t nbytes) { return instance().allocate(nbytes); }
void deallocate(void* data, size_t nbytes) { instance().deallocate(data, nbytes); }
Stats stats() { return instance().stats(); }
void empty_cache() { instance().empty_cache(); }
void set_cache_limit(size_t bytes) { instance().set_cache_limit(bytes); }

}  // namespace ember::cpu_allocator
