// The memory API (ember/tensor/cuda_memory.h) over the runtime's caching allocator. Without a
// device every call is the no-device RuntimeError; with a GPU tensors move the statistics.
#include "ember/tensor/cuda_memory.h"

#include <gtest/gtest.h>

#include <functional>
#include <initializer_list>
#include <string>

#include "ember/base/error.h"
#include "ember/base/error_testing.h"
#include "ember/ops/ops.h"

namespace ember::cuda {
namespace {

using test_support::contains;
using test_support::error_of;

TEST(CudaMemory, WithoutADeviceEveryCallSaysWhy) {
  if (is_available()) GTEST_SKIP() << "a CUDA device is present";
  for (const auto& call : std::initializer_list<std::function<void()>>{
           [] { memory_allocated(); }, [] { max_memory_allocated(0); }, [] { memory_reserved(); },
           [] { max_memory_reserved(); }, [] { reset_peak_memory_stats(); }, [] { memory_stats(); },
           [] { memory_summary(); }, [] { empty_cache(); },
           [] { set_per_process_memory_fraction(0.5); }}) {
    const std::string message = error_of<RuntimeError>(call);
    EXPECT_TRUE(contains(message, "no CUDA device is available")) << message;
  }
}

TEST(CudaMemory, TensorsMoveTheStatistics) {
  if (!is_available()) GTEST_SKIP() << "needs a CUDA device";
  empty_cache();
  const int64_t before = memory_allocated();
  {
    Tensor tensor = zeros({1000}, TensorOptions().device(Device(kCUDA)));
    EXPECT_EQ(memory_allocated(), before + 4096);
    EXPECT_GE(memory_reserved(), memory_allocated());
    EXPECT_GE(max_memory_allocated(), before + 4096);
    record_stream(tensor, getStreamFromPool());
  }
  EXPECT_EQ(memory_allocated(), before);
  EXPECT_TRUE(contains(memory_summary(), "Allocated memory"));
  EXPECT_GE(memory_stats().at("num_device_alloc"), 1);
  reset_peak_memory_stats();
  EXPECT_EQ(max_memory_allocated(), before);
  EXPECT_THROW(set_per_process_memory_fraction(2.0), ValueError);
  EXPECT_THROW(memory_allocated(device_count()), ValueError);
  const std::string message = error_of<OutOfMemoryError>(
      [] { zeros({int64_t{1} << 50}, TensorOptions().device(Device(kCUDA))); });
  EXPECT_TRUE(contains(message, "reserved in total by ember")) << message;
}

}  // namespace
}  // namespace ember::cuda
