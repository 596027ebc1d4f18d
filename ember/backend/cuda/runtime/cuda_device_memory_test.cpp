// cudart's device memory under the caching allocator. Without a driver (CI's machine) there are
// no devices and every device request is a typed error; with a GPU the checks exercise cudart.
#include "ember/backend/cuda/runtime/cuda_device_memory.h"

#include <gtest/gtest.h>

#include <cstddef>

#include "ember/base/error.h"

namespace ember::cuda {
namespace {

bool has_device() { return cuda_device_memory().device_count() > 0; }

TEST(CudaDeviceMemory, WithoutADeviceTheAllocatorHasNoDevices) {
  if (has_device()) GTEST_SKIP() << "a CUDA device is present";
  EXPECT_EQ(caching_allocator().device_count(), 0);
  EXPECT_THROW(caching_allocator().allocate(0, 1024, nullptr), RuntimeError);
}

TEST(CudaDeviceMemory, AllocatesRecordsEventsAndFrees) {
  if (!has_device()) GTEST_SKIP() << "needs a CUDA device";
  DeviceMemory& memory = cuda_device_memory();
  void* data = memory.allocate(0, size_t{1} << 20);
  ASSERT_NE(data, nullptr);
  EventHandle event = memory.record_event(0, nullptr);
  memory.synchronize(0);
  EXPECT_TRUE(memory.query_event(event));
  memory.free_event(event);
  memory.free(0, data);
  EXPECT_EQ(memory.allocate(0, size_t{1} << 60), nullptr);  // out of memory is an answer
  EXPECT_GT(memory.total_memory(0), size_t{0});
}

TEST(CudaDeviceMemory, TheCachingAllocatorReusesDeviceMemory) {
  if (!has_device()) GTEST_SKIP() << "needs a CUDA device";
  CachingAllocator& allocator = caching_allocator();
  void* first = allocator.allocate(0, 4096, nullptr);
  allocator.free(first);
  EXPECT_EQ(allocator.allocate(0, 4096, nullptr), first);
  allocator.free(first);
  EXPECT_GE(allocator.stats(0).cache_hits, 1u);
}

}  // namespace
}  // namespace ember::cuda
