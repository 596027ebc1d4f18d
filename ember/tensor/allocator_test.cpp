// The caching allocator: alignment, reuse of freed blocks, stats, and the out-of-memory error.
#include "ember/tensor/allocator.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>

#include "ember/base/error.h"

namespace ember {
namespace {

TEST(Allocator, AlignedAndReused) {
  void* first = cpu_allocator::allocate(1000);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(first) % 64, 0u);
  std::memset(first, 1, 1000);
  cpu_allocator::deallocate(first, 1000);
  void* second = cpu_allocator::allocate(990);  // same size class
  EXPECT_EQ(first, second);
  cpu_allocator::deallocate(second, 990);
}

TEST(Allocator, LargeBlocksAreReusedToo) {
  const size_t bytes = size_t{64} << 20;
  void* block = cpu_allocator::allocate(bytes);
  cpu_allocator::deallocate(block, bytes);
  const auto before = cpu_allocator::stats();
  void* again = cpu_allocator::allocate(bytes);
  const auto after = cpu_allocator::stats();
  EXPECT_EQ(block, again);
  EXPECT_EQ(after.cache_hits, before.cache_hits + 1);
  cpu_allocator::deallocate(again, bytes);
  cpu_allocator::empty_cache();
  EXPECT_EQ(cpu_allocator::stats().cached_bytes, 0u);
}

TEST(Allocator, ImpossibleAllocationThrowsOutOfMemory) {  // B11
  try {
    cpu_allocator::allocate(size_t{1} << 50);  // 1 PiB
    FAIL() << "expected OutOfMemoryError";
  } catch (const OutOfMemoryError& error) {
    EXPECT_NE(std::string(error.what()).find("not enough memory"), std::string::npos);
  }
}

}  // namespace
}  // namespace ember
