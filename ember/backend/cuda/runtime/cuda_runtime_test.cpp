// ember::cuda's runtime API over the installed backend. Without a device (CI's machines) every
// call that needs one raises a RuntimeError saying so; with a device the same tests exercise the
// real behaviour and the no-device checks skip.
#include <gtest/gtest.h>

#include <string>

#include "ember/base/error.h"
#include "ember/ops/ops.h"
#include "ember/tensor/cuda_runtime.h"

namespace ember::cuda {
namespace {

template <typename Call>
void expect_no_device_error(Call call, const std::string& op) {
  try {
    call();
    ADD_FAILURE() << op << ": no error";
  } catch (const RuntimeError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("[" + op + "]"), std::string::npos) << message;
    EXPECT_NE(message.find("no CUDA device is available"), std::string::npos) << message;
  }
}

TEST(CudaRuntime, WithoutADeviceEveryCallSaysWhy) {
  if (is_available()) GTEST_SKIP() << "a CUDA device is present";
  EXPECT_FALSE(is_initialized());
  expect_no_device_error([] { current_device(); }, "current_device");
  expect_no_device_error([] { set_device(0); }, "set_device");
  expect_no_device_error([] { synchronize(); }, "synchronize");
  expect_no_device_error([] { get_device_name(); }, "get_device_properties");
  expect_no_device_error([] { get_device_properties(0); }, "get_device_properties");
  expect_no_device_error([] { getStreamFromPool(); }, "getStreamFromPool");
  expect_no_device_error([] { current_stream(); }, "current_stream");
  expect_no_device_error([] { default_stream(); }, "default_stream");
  expect_no_device_error([] { Event event(true); }, "Event");
  expect_no_device_error([] { DeviceGuard guard(0); }, "current_device");
  expect_no_device_error([] { initial_seed(); }, "default_generators");
  expect_no_device_error([] { init(); }, "init");
  EXPECT_FALSE(is_initialized());
  // Seeding is safe without a device, as PyTorch's.
  manual_seed(1);
  manual_seed_all(2);
}

TEST(CudaRuntime, DeviceIndicesAreChecked) {
  if (!is_available()) GTEST_SKIP() << "needs a CUDA device";
  EXPECT_THROW(set_device(device_count()), ValueError);
  EXPECT_THROW(get_device_properties(-2), ValueError);
}

TEST(CudaRuntime, DevicesAndProperties) {
  if (!is_available()) GTEST_SKIP() << "needs a CUDA device";
  EXPECT_TRUE(is_initialized());
  const DeviceProperties properties = get_device_properties(0);
  EXPECT_FALSE(properties.name.empty());
  EXPECT_EQ(get_device_name(0), properties.name);
  EXPECT_GT(properties.total_memory, 0U);
  EXPECT_GE(properties.major, 1);
  EXPECT_GT(properties.multi_processor_count, 0);
  const int last = device_count() - 1;
  {
    DeviceGuard guard(last);
    EXPECT_EQ(current_device(), last);
    synchronize();
  }
  EXPECT_EQ(current_device(), 0);
}

TEST(CudaRuntime, StreamsAndGuards) {
  if (!is_available()) GTEST_SKIP() << "needs a CUDA device";
  const Stream default_one = default_stream();
  EXPECT_EQ(default_one.id(), 0);
  EXPECT_EQ(current_stream(), default_one);
  const Stream side = getStreamFromPool(/*isHighPriority=*/true);
  EXPECT_NE(side, default_one);
  EXPECT_LE(side.priority(), 0);
  {
    StreamGuard guard(side);
    EXPECT_EQ(current_stream(), side);
    EXPECT_EQ(guard.original_stream(), default_one);
  }
  EXPECT_EQ(current_stream(), default_one);
  side.synchronize();
  EXPECT_TRUE(side.query());
}

TEST(CudaRuntime, EventsOrderStreamsAndTime) {
  if (!is_available()) GTEST_SKIP() << "needs a CUDA device";
  Event start(/*enable_timing=*/true);
  Event end(/*enable_timing=*/true);
  EXPECT_TRUE(start.query());  // not recorded yet
  EXPECT_THROW(start.elapsed_time(end), RuntimeError);
  const Stream side = getStreamFromPool();
  start.record(side);
  const Tensor host = ones({1 << 20});
  Tensor on_device;
  {
    StreamGuard guard(side);
    on_device = host.to(Device("cuda:0"), kFloat32, /*non_blocking=*/false);
  }
  end.record(side);
  end.block(default_stream());
  end.synchronize();
  EXPECT_TRUE(end.query());
  EXPECT_GE(start.elapsed_time(end), 0.0F);
  Event untimed;
  untimed.record();
  EXPECT_THROW(untimed.elapsed_time(end), RuntimeError);
}

TEST(CudaRuntime, SeedsPerDevice) {
  if (!is_available()) GTEST_SKIP() << "needs a CUDA device";
  manual_seed_all(5);
  EXPECT_EQ(initial_seed(), 5U);
  manual_seed(7);
  EXPECT_EQ(initial_seed(), 7U);
}

}  // namespace
}  // namespace ember::cuda
