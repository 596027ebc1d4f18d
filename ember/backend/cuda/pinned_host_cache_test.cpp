// The pinned host cache's logic over a fake driver: a byte budget, counted calls, and events that
// complete when the test says so.
#include "ember/backend/cuda/pinned_host_cache.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "ember/base/error.h"
#include "ember/base/error_testing.h"

namespace ember::cuda {
namespace {

using test_support::contains;
using test_support::error_of;

class FakeHostMemory final : public HostMemory {
 public:
  explicit FakeHostMemory(size_t budget) : budget_(budget) {}

  void* allocate(size_t nbytes) override {
    ++allocate_calls;
    if (in_use + nbytes > budget_) return nullptr;
    in_use += nbytes;
    // Addresses are never dereferenced; a gap keeps blocks apart.
    const uintptr_t address = next_address_;
    next_address_ += nbytes + 4096;
    sizes_[address] = nbytes;
    return reinterpret_cast<void*>(address);
  }
  void free(void* data) override {
    ++free_calls;
    in_use -= sizes_.at(reinterpret_cast<uintptr_t>(data));
    sizes_.erase(reinterpret_cast<uintptr_t>(data));
  }
  EventHandle record_event(int, StreamHandle stream) override {
    recorded_on.push_back(stream);
    const auto event = reinterpret_cast<EventHandle>(next_event_++);
    live_events.insert(event);
    return event;
  }
  bool query_event(EventHandle event) override { return completed.count(event) > 0; }
  void free_event(EventHandle event) override { live_events.erase(event); }

  size_t in_use = 0;
  int allocate_calls = 0;
  int free_calls = 0;
  std::vector<StreamHandle> recorded_on;
  std::set<EventHandle> live_events;
  std::set<EventHandle> completed;

 private:
  size_t budget_;
  uintptr_t next_address_ = 0x10000;
  uintptr_t next_event_ = 1;
  std::map<uintptr_t, size_t> sizes_;
};

const auto kStream = reinterpret_cast<StreamHandle>(0x51);
const auto kOtherStream = reinterpret_cast<StreamHandle>(0x52);

TEST(PinnedHostCache, RoundsToPowersOfTwoAndReusesFreedBlocks) {
  FakeHostMemory memory(1 << 20);
  PinnedHostCache cache(memory);
  EXPECT_EQ(cache.allocate(0), nullptr);
  void* first = cache.allocate(3000);
  EXPECT_EQ(memory.in_use, 4096u);
  EXPECT_EQ(cache.stats().allocated_bytes, 4096);
  cache.free(first);
  EXPECT_EQ(cache.stats().allocated_bytes, 0);
  EXPECT_EQ(cache.stats().reserved_bytes, 4096);
  // Another size in the same power-of-two bucket gets the same block, with no driver call.
  EXPECT_EQ(cache.allocate(2049), first);
  EXPECT_EQ(memory.allocate_calls, 1);
  EXPECT_EQ(cache.stats().cache_hits, 1u);
  EXPECT_EQ(cache.stats().allocations, 2u);
  // Small requests share the smallest bucket.
  void* tiny = cache.allocate(1);
  EXPECT_EQ(memory.in_use, 4096u + PinnedHostCache::kMinPinnedBlock);
  cache.free(tiny);
  cache.free(first);
  cache.free(nullptr);
}

TEST(PinnedHostCache, BlockUsedByACopyWaitsForItsStream) {
  FakeHostMemory memory(1 << 20);
  PinnedHostCache cache(memory);
  auto* block = static_cast<char*>(cache.allocate(1000));
  // A copy from the middle of the block (a view's data) marks the whole block, once per stream.
  cache.record_stream(block + 100, 0, kStream);
  cache.record_stream(block, 0, kStream);
  cache.record_stream(block, 0, kOtherStream);
  cache.free(block);
  EXPECT_EQ(memory.recorded_on, (std::vector<StreamHandle>{kStream, kOtherStream}));
  // While a copy may still read it, a new request gets a fresh block.
  void* second = cache.allocate(1000);
  EXPECT_NE(second, block);
  EXPECT_EQ(memory.allocate_calls, 2);
  memory.completed.insert(*memory.live_events.begin());
  void* third = cache.allocate(1000);
  EXPECT_NE(third, block);  // one of its two events is still pending
  memory.completed.insert(*memory.live_events.rbegin());
  EXPECT_EQ(cache.allocate(1000), block);
  EXPECT_TRUE(memory.live_events.empty());
  // A block reused after its copies starts with no streams: freeing it records nothing.
  memory.recorded_on.clear();
  cache.free(block);
  EXPECT_TRUE(memory.recorded_on.empty());
  cache.free(second);
  cache.free(third);
}

TEST(PinnedHostCache, IgnoresMemoryItDoesNotOwn) {
  FakeHostMemory memory(1 << 20);
  PinnedHostCache cache(memory);
  char unpinned[64];
  cache.record_stream(unpinned, 0, kStream);
  EXPECT_FALSE(cache.owns(unpinned));
  auto* block = static_cast<char*>(cache.allocate(512));
  EXPECT_TRUE(cache.owns(block + 511));
  EXPECT_FALSE(cache.owns(block + 512));
  EXPECT_FALSE(cache.owns(block - 1));
  cache.free(block);
  EXPECT_FALSE(cache.owns(block));  // freed: cached, but no tensor's memory any more
  cache.record_stream(block, 0, kStream);
  EXPECT_TRUE(memory.recorded_on.empty());
}

TEST(PinnedHostCache, FreeingForeignOrFreedPointersIsAnError) {
  FakeHostMemory memory(1 << 20);
  PinnedHostCache cache(memory);
  char unpinned[8];
  EXPECT_TRUE(contains(error_of<RuntimeError>([&] { cache.free(unpinned); }), "did not hand out"));
  void* block = cache.allocate(100);
  cache.free(block);
  EXPECT_TRUE(contains(error_of<RuntimeError>([&] { cache.free(block); }), "freed already"));
}

TEST(PinnedHostCache, EmptyCacheReturnsOnlyIdleBlocks) {
  FakeHostMemory memory(1 << 20);
  PinnedHostCache cache(memory);
  void* held = cache.allocate(4096);
  void* idle = cache.allocate(8192);
  void* busy = cache.allocate(16384);
  cache.record_stream(busy, 0, kStream);
  cache.free(idle);
  cache.free(busy);
  cache.empty_cache();
  EXPECT_EQ(memory.free_calls, 1);  // idle only: `held` is in use, `busy` awaits its copy
  EXPECT_EQ(cache.stats().reserved_bytes, 4096 + 16384);
  memory.completed.insert(*memory.live_events.begin());
  cache.empty_cache();
  EXPECT_EQ(memory.free_calls, 2);
  EXPECT_EQ(memory.in_use, 4096u);
  cache.free(held);
}

TEST(PinnedHostCache, RefusalFreesTheIdleBlocksThenRetries) {
  FakeHostMemory memory(64 * 1024);
  PinnedHostCache cache(memory);
  void* small = cache.allocate(32 * 1024);
  cache.free(small);
  // 32 KiB idle + 64 KiB asked > the budget: the idle block goes back, and the retry succeeds.
  void* large = cache.allocate(64 * 1024);
  ASSERT_NE(large, nullptr);
  EXPECT_EQ(memory.free_calls, 1);
  EXPECT_EQ(cache.stats().reserved_bytes, 64 * 1024);
  const std::string message =
      error_of<OutOfMemoryError>([&] { static_cast<void>(cache.allocate(1024)); });
  EXPECT_TRUE(contains(message, "[pin_memory] could not allocate 1024 bytes")) << message;
  cache.free(large);
}

TEST(PinnedHostCache, DestructionReturnsEverything) {
  FakeHostMemory memory(1 << 20);
  {
    PinnedHostCache cache(memory);
    void* in_use = cache.allocate(1000);
    void* pending = cache.allocate(5000);
    cache.record_stream(pending, 0, kStream);
    cache.free(pending);
    static_cast<void>(in_use);
  }
  EXPECT_EQ(memory.in_use, 0u);
  EXPECT_TRUE(memory.live_events.empty());
}

}  // namespace
}  // namespace ember::cuda
