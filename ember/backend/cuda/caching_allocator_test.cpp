// The CUDA caching allocator's logic over a fake device: a budget of bytes, counted calls, and
// events that complete when the test says so (or when the device is synchronised).
#include "ember/backend/cuda/caching_allocator.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <random>
#include <thread>
#include <unordered_map>
#include <vector>

#include "ember/base/error.h"
#include "ember/base/error_testing.h"

namespace ember::cuda {
namespace {

using test_support::contains;
using test_support::error_of;

constexpr size_t kKiB = size_t{1} << 10;
constexpr size_t kMiB = size_t{1} << 20;

class FakeDeviceMemory final : public DeviceMemory {
 public:
  explicit FakeDeviceMemory(size_t budget, int devices = 1) : budget_(budget), devices_(devices) {}

  int device_count() const override { return devices_; }
  size_t total_memory(int) override { return budget_; }

  void* allocate(int, size_t nbytes) override {
    std::lock_guard lock(mutex_);
    ++allocate_calls;
    if (in_use + nbytes > budget_) return nullptr;
    in_use += nbytes;
    // Addresses are never dereferenced; a gap keeps segments apart.
    const uintptr_t address = next_address_;
    next_address_ += nbytes + 64 * kMiB;
    sizes_[address] = nbytes;
    return reinterpret_cast<void*>(address);
  }

  void free(int, void* data) override {
    std::lock_guard lock(mutex_);
    ++free_calls;
    const auto found = sizes_.find(reinterpret_cast<uintptr_t>(data));
    ASSERT_NE(found, sizes_.end()) << "freed memory it did not hand out";
    in_use -= found->second;
    sizes_.erase(found);
  }

  EventHandle record_event(int, StreamHandle stream) override {
    std::lock_guard lock(mutex_);
    events_.push_back(std::make_unique<Event>(Event{stream}));
    return events_.back().get();
  }
  bool query_event(EventHandle event) override {
    std::lock_guard lock(mutex_);
    return static_cast<Event*>(event)->completed;
  }
  void free_event(EventHandle) override {
    std::lock_guard lock(mutex_);
    ++freed_events;
  }
  void synchronize(int) override {
    std::lock_guard lock(mutex_);
    ++synchronize_calls;
    for (const auto& event : events_) event->completed = true;
  }

  // The work queued on `stream` so far has run.
  void complete_events_on(StreamHandle stream) {
    std::lock_guard lock(mutex_);
    for (const auto& event : events_) {
      if (event->stream == stream) event->completed = true;
    }
  }
  size_t recorded_events() const { return events_.size(); }

  size_t in_use = 0;
  int allocate_calls = 0;
  int free_calls = 0;
  int freed_events = 0;
  int synchronize_calls = 0;

 private:
  struct Event {
    StreamHandle stream;
    bool completed = false;
  };
  const size_t budget_;
  const int devices_;
  std::mutex mutex_;
  uintptr_t next_address_ = uintptr_t{1} << 32;
  std::unordered_map<uintptr_t, size_t> sizes_;
  std::vector<std::unique_ptr<Event>> events_;
};

StreamHandle stream(uintptr_t id) { return reinterpret_cast<StreamHandle>(id); }
char* bytes(void* data) { return static_cast<char*>(data); }

class CachingAllocatorTest : public ::testing::Test {
 protected:
  explicit CachingAllocatorTest(size_t budget = 1024 * kMiB)
      : memory_(budget), allocator_(memory_) {}
  void* allocate(size_t nbytes, StreamHandle on = nullptr) {
    return allocator_.allocate(0, nbytes, on);
  }
  DeviceStats stats() const { return allocator_.stats(0); }

  FakeDeviceMemory memory_;
  CachingAllocator allocator_;
};

TEST_F(CachingAllocatorTest, RoundsRequestsUpTo512Bytes) {
  allocate(1);
  EXPECT_EQ(stats().allocated_bytes.current, 512);
  allocate(513);
  EXPECT_EQ(stats().allocated_bytes.current, 512 + 1024);
  allocate(1024);
  EXPECT_EQ(stats().allocated_bytes.current, 512 + 1024 + 1024);
}

TEST_F(CachingAllocatorTest, ReusesAFreedBlockWithoutAskingTheDevice) {
  void* first = allocate(1000);
  allocator_.free(first);
  EXPECT_EQ(allocate(1000), first);
  EXPECT_EQ(memory_.allocate_calls, 1);
  EXPECT_EQ(stats().cache_misses, 1u);
  EXPECT_EQ(stats().cache_hits, 1u);
}

TEST_F(CachingAllocatorTest, SegmentSizesFollowThePools) {
  allocate(kMiB);  // the small pool's largest request: a 2 MiB segment
  EXPECT_EQ(stats().reserved_bytes.current, static_cast<int64_t>(2 * kMiB));
  allocate(11 * kMiB);  // 10 MiB and above: its own segment rounded up to 2 MiB
  EXPECT_EQ(stats().reserved_bytes.current, static_cast<int64_t>(14 * kMiB));
  allocate(kMiB + 1);  // large, under 10 MiB: a 20 MiB segment
  EXPECT_EQ(stats().reserved_bytes.current, static_cast<int64_t>(34 * kMiB));
  EXPECT_EQ(stats().segments.current, 3);
}

TEST_F(CachingAllocatorTest, SmallRequestsAreCarvedFromOneSegment) {
  void* first = allocate(kKiB);
  void* second = allocate(kKiB);
  EXPECT_EQ(bytes(second), bytes(first) + kKiB);
  EXPECT_EQ(memory_.allocate_calls, 1);
}

TEST_F(CachingAllocatorTest, LargeRemaindersAreSplitAndSmallOnesKept) {
  void* first = allocate(4 * kMiB);
  EXPECT_EQ(allocate(4 * kMiB), bytes(first) + 4 * kMiB);
  EXPECT_EQ(memory_.allocate_calls, 1);
  // An 18.5 MiB request gets a 20 MiB segment; its 1.5 MiB remainder is split off...
  allocate(18 * kMiB + 512 * kKiB);
  EXPECT_EQ(stats().allocated_bytes.current, static_cast<int64_t>(26 * kMiB + 512 * kKiB));
  // ...but the 0.5 MiB remainder of a 19.5 MiB request is too small for the large pool.
  allocate(19 * kMiB + 512 * kKiB);
  EXPECT_EQ(stats().allocated_bytes.current, static_cast<int64_t>(46 * kMiB + 512 * kKiB));
}

TEST_F(CachingAllocatorTest, FreedNeighboursMerge) {
  void* first = allocate(512 * kKiB);
  void* second = allocate(512 * kKiB);
  void* third = allocate(512 * kKiB);
  allocator_.free(first);
  allocator_.free(second);
  EXPECT_EQ(allocate(kMiB), first);  // the two freed halves merged into one block
  allocator_.free(first);
  allocator_.free(third);
  allocator_.empty_cache(0);  // the whole segment merged back: it can go to the device
  EXPECT_EQ(stats().reserved_bytes.current, 0);
  EXPECT_EQ(memory_.in_use, 0u);
}

TEST_F(CachingAllocatorTest, TakesTheBestFittingFreeBlock) {
  void* larger = allocate(4 * kKiB);
  allocate(512);
  void* smaller = allocate(2 * kKiB);
  allocate(512);
  allocator_.free(larger);
  allocator_.free(smaller);
  EXPECT_EQ(allocate(2 * kKiB), smaller);
  EXPECT_EQ(allocate(3 * kKiB), larger);
}

TEST_F(CachingAllocatorTest, StreamsKeepSeparateCaches) {
  void* on_first = allocate(kKiB, stream(1));
  allocator_.free(on_first);
  EXPECT_NE(allocate(kKiB, stream(2)), on_first);
  EXPECT_EQ(memory_.allocate_calls, 2);
  EXPECT_EQ(allocate(kKiB, stream(1)), on_first);
}

TEST_F(CachingAllocatorTest, RecordStreamDefersReuseUntilTheOtherStreamCatchesUp) {
  void* data = allocate(kKiB, stream(1));
  allocator_.record_stream(data, stream(1));  // its own stream: nothing to wait for
  allocator_.record_stream(data, stream(2));
  allocator_.free(data);
  EXPECT_EQ(memory_.recorded_events(), 1u);
  void* meanwhile = allocate(kKiB, stream(1));
  EXPECT_NE(meanwhile, data);
  allocator_.free(meanwhile);
  memory_.complete_events_on(stream(2));
  EXPECT_EQ(allocate(kKiB, stream(1)), data);
  EXPECT_EQ(memory_.freed_events, 1);
  EXPECT_EQ(memory_.synchronize_calls, 0);
}

TEST_F(CachingAllocatorTest, ABlockUsedOnSeveralStreamsWaitsForAllOfThem) {
  void* data = allocate(kKiB, stream(1));
  allocator_.record_stream(data, stream(2));
  allocator_.record_stream(data, stream(3));
  allocator_.free(data);
  EXPECT_EQ(memory_.recorded_events(), 2u);
  memory_.complete_events_on(stream(2));
  void* meanwhile = allocate(kKiB, stream(1));
  EXPECT_NE(meanwhile, data);
  allocator_.free(meanwhile);
  memory_.complete_events_on(stream(3));
  EXPECT_EQ(allocate(kKiB, stream(1)), data);
  EXPECT_EQ(memory_.freed_events, 2);
}

class SmallBudgetTest : public CachingAllocatorTest {
 protected:
  SmallBudgetTest() : CachingAllocatorTest(21 * kMiB) {}
};

TEST_F(SmallBudgetTest, OutOfMemoryFreesTheCacheAndRetriesOnce) {
  void* small = allocate(kKiB, stream(1));
  allocator_.record_stream(small, stream(2));
  allocator_.free(small);            // cached, awaiting an event on stream 2
  void* large = allocate(5 * kMiB);  // 2 + 20 MiB exceed the budget: the cache is emptied
  EXPECT_NE(large, nullptr);
  EXPECT_EQ(memory_.synchronize_calls, 1);
  EXPECT_EQ(memory_.free_calls, 1);
  EXPECT_EQ(stats().alloc_retries, 1u);
  EXPECT_EQ(stats().reserved_bytes.current, static_cast<int64_t>(20 * kMiB));
}

TEST_F(SmallBudgetTest, OutOfMemoryIsATypedErrorThatSaysHowMuch) {
  allocate(5 * kMiB);
  const std::string message = error_of<OutOfMemoryError>([&] { allocate(30 * kMiB); });
  EXPECT_TRUE(contains(message, "Tried to allocate 30.00 MiB")) << message;
  EXPECT_TRUE(contains(message, "5.00 MiB already allocated")) << message;
  EXPECT_TRUE(contains(message, "20.00 MiB reserved in total by ember")) << message;
  EXPECT_EQ(stats().out_of_memory_errors, 1u);
  EXPECT_TRUE(error_of<RuntimeError>([&] { allocate(30 * kMiB); }) != "no error");
  EXPECT_NE(allocate(kMiB + 1), nullptr);  // still serves what fits
}

TEST_F(CachingAllocatorTest, StatisticsTrackCurrentAndPeak) {
  void* first = allocate(kMiB + 1);
  void* second = allocate(2 * kMiB);
  allocator_.free(first);
  DeviceStats now = stats();
  EXPECT_EQ(now.allocated_bytes.current, static_cast<int64_t>(2 * kMiB));
  EXPECT_EQ(now.allocated_bytes.peak, static_cast<int64_t>(3 * kMiB + 512));
  EXPECT_EQ(now.active_blocks.current, 1);
  EXPECT_EQ(now.active_blocks.peak, 2);
  EXPECT_EQ(now.allocations, 2u);
  EXPECT_EQ(now.frees, 1u);
  EXPECT_EQ(now.segment_allocations, 1u);
  allocator_.reset_peak_stats(0);
  EXPECT_EQ(stats().allocated_bytes.peak, static_cast<int64_t>(2 * kMiB));
  EXPECT_EQ(stats().active_blocks.peak, 1);
  allocator_.free(second);
  EXPECT_EQ(stats().allocated_bytes.current, 0);
  EXPECT_EQ(stats().reserved_bytes.peak, static_cast<int64_t>(20 * kMiB));
}

TEST_F(CachingAllocatorTest, StatisticsHaveTorchNamesAndASummary) {
  allocate(kKiB);
  const auto map = stats_as_map(stats());
  EXPECT_EQ(map.at("allocated_bytes.all.current"), 1024);
  EXPECT_EQ(map.at("reserved_bytes.all.peak"), static_cast<int64_t>(2 * kMiB));
  EXPECT_EQ(map.at("num_device_alloc"), 1);
  EXPECT_EQ(map.at("num_ooms"), 0);
  const std::string summary = format_memory_summary(stats(), 0);
  EXPECT_TRUE(contains(summary, "memory summary, device 0")) << summary;
  EXPECT_TRUE(contains(summary, "Reserved memory")) << summary;
  EXPECT_TRUE(contains(summary, "2.00 MiB")) << summary;
}

TEST_F(CachingAllocatorTest, EmptyCacheReturnsOnlyUnusedSegments) {
  void* kept = allocate(kKiB);
  allocator_.free(allocate(5 * kMiB));
  allocator_.empty_cache(0);
  EXPECT_EQ(stats().reserved_bytes.current, static_cast<int64_t>(2 * kMiB));
  EXPECT_EQ(memory_.free_calls, 1);
  allocator_.free(kept);
  allocator_.empty_cache();
  EXPECT_EQ(stats().reserved_bytes.current, 0);
  EXPECT_EQ(stats().segment_frees, 2u);
}

TEST_F(CachingAllocatorTest, MemoryFractionCapsWhatIsReserved) {
  allocator_.set_memory_fraction(0.03, 0);  // 30.72 MiB of the fake's 1 GiB
  allocate(5 * kMiB);  // a 20 MiB segment; another 16 MiB would exceed the limit
  const std::string message = error_of<OutOfMemoryError>([&] { allocate(16 * kMiB); });
  EXPECT_TRUE(contains(message, "allowed by set_per_process_memory_fraction")) << message;
  EXPECT_EQ(memory_.allocate_calls, 1);
  allocator_.set_memory_fraction(1.0, 0);
  EXPECT_NE(allocate(16 * kMiB), nullptr);
  EXPECT_TRUE(contains(error_of<ValueError>([&] { allocator_.set_memory_fraction(1.5, 0); }),
                       "expected a fraction in [0, 1]"));
}

TEST_F(CachingAllocatorTest, ThreadsAllocateAndFreeConcurrently) {
  std::vector<std::thread> threads;
  for (int thread = 0; thread < 4; ++thread) {
    threads.emplace_back([this, thread] {
      std::mt19937 random(static_cast<unsigned>(thread));
      std::uniform_int_distribution<size_t> size(1, 3 * kMiB);
      std::vector<void*> live;
      for (int step = 0; step < 2000; ++step) {
        live.push_back(allocate(size(random), stream(static_cast<uintptr_t>(thread % 2))));
        if (live.size() > 8) {
          allocator_.free(live.front());
          live.erase(live.begin());
        }
      }
      for (void* data : live) allocator_.free(data);
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(stats().allocated_bytes.current, 0);
  EXPECT_EQ(stats().allocations, 8000u);
  EXPECT_EQ(stats().frees, 8000u);
  allocator_.empty_cache();
  EXPECT_EQ(memory_.in_use, 0u);
}

TEST_F(CachingAllocatorTest, BadPointersAndDevicesAreTypedErrors) {
  EXPECT_EQ(allocate(0), nullptr);
  allocator_.free(nullptr);
  int unrelated = 0;
  EXPECT_TRUE(contains(error_of<RuntimeError>([&] { allocator_.free(&unrelated); }),
                       "expected a pointer it allocated and has not freed yet"));
  void* data = allocate(kKiB);
  allocator_.free(data);
  EXPECT_TRUE(
      contains(error_of<RuntimeError>([&] { allocator_.free(data); }), "has not freed yet"));
  EXPECT_TRUE(contains(error_of<RuntimeError>([&] { allocator_.record_stream(data, stream(1)); }),
                       "[record_stream]"));
  EXPECT_TRUE(contains(error_of<RuntimeError>([&] { allocator_.allocate(1, kKiB, nullptr); }),
                       "expected a device index in [0, 1); received 1"));
  EXPECT_TRUE(contains(error_of<RuntimeError>([&] { allocator_.stats(-1); }), "received -1"));
}

TEST(CachingAllocatorDevices, KeepTheirOwnCachesAndStatistics) {
  FakeDeviceMemory memory(1024 * kMiB, 2);
  CachingAllocator allocator(memory);
  void* on_first = allocator.allocate(0, kKiB, nullptr);
  void* on_second = allocator.allocate(1, 3 * kKiB, nullptr);
  EXPECT_EQ(allocator.stats(1).allocated_bytes.current, static_cast<int64_t>(3 * kKiB));
  allocator.free(on_second);
  EXPECT_EQ(allocator.stats(1).allocated_bytes.current, 0);
  EXPECT_EQ(allocator.stats(0).allocated_bytes.current, static_cast<int64_t>(kKiB));
  allocator.free(on_first);
}

}  // namespace
}  // namespace ember::cuda
