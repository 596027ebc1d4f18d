// Copies between the CPU and CUDA devices (ops/device_copy.h). Without a device every transfer
// and pin_memory raise; with one, round trips keep values for contiguous and strided tensors.
#include <gtest/gtest.h>

#include <string>

#include "ember/base/error.h"
#include "ember/ops/device_copy.h"
#include "ember/ops/ops.h"
#include "ember/tensor/cuda_runtime.h"

namespace ember {
namespace {

TEST(DeviceCopy, WithoutADeviceTransfersRaise) {
  if (cuda::is_available()) GTEST_SKIP() << "a CUDA device is present";
  const Tensor host = arange(6, TensorOptions(kFloat32));
  EXPECT_THROW(host.cuda(), RuntimeError);
  EXPECT_THROW(host.to(Device("cuda:0"), kFloat64, /*non_blocking=*/true), RuntimeError);
  try {
    pin_memory(host);
    FAIL() << "no error";
  } catch (const RuntimeError& error) {
    EXPECT_NE(std::string(error.what()).find("[pin_memory] no CUDA device"), std::string::npos)
        << error.what();
  }
  EXPECT_FALSE(is_pinned(host));
  // The CPU paths are unchanged.
  EXPECT_TRUE(host.cpu().is_same(host));
  EXPECT_TRUE(equal(host.to(kFloat64), arange(6, TensorOptions(kFloat64))));
}

TEST(DeviceCopy, RoundTripsKeepValues) {
  if (!cuda::is_available()) GTEST_SKIP() << "needs a CUDA device";
  const Tensor host = arange(24, TensorOptions(kFloat32)).reshape({2, 3, 4});
  const Tensor strided = host.transpose(0, 2).narrow(1, 1, 2);
  for (const Tensor& source : {host, strided}) {
    const Tensor on_device = source.cuda();
    EXPECT_TRUE(on_device.device().is_cuda());
    EXPECT_TRUE(equal(on_device.cpu(), source));
    EXPECT_TRUE(equal(on_device.transpose(0, 1).cpu(), source.transpose(0, 1)));
    // The dtype changes on the CPU side of the copy.
    EXPECT_TRUE(equal(source.to(Device(kCUDA), kFloat64).cpu(), source.to(kFloat64)));
    EXPECT_TRUE(equal(on_device.to(Device(kCPU), kInt64), source.to(kInt64)));
  }
  EXPECT_THROW(host.cuda().to(kFloat64), NotImplementedError);
  const Tensor on_device = host.cuda();
  EXPECT_TRUE(on_device.to(Device(kCUDA)).is_same(on_device));
  if (cuda::device_count() > 1) {
    EXPECT_TRUE(equal(on_device.to(Device("cuda:1")).cpu(), host));
    EXPECT_TRUE(equal(strided.cuda().to(Device("cuda:1")).cpu(), strided));
  }
}

TEST(DeviceCopy, PinnedNonBlockingCopies) {
  if (!cuda::is_available()) GTEST_SKIP() << "needs a CUDA device";
  const Tensor host = arange(1 << 16, TensorOptions(kFloat32));
  const Tensor pinned = pin_memory(host);
  EXPECT_TRUE(is_pinned(pinned));
  EXPECT_FALSE(is_pinned(host));
  EXPECT_TRUE(pin_memory(pinned).is_same(pinned));
  EXPECT_TRUE(equal(pinned, host));
  const Tensor on_device = pinned.to(Device(kCUDA), kFloat32, /*non_blocking=*/true);
  Tensor back = pin_memory(zeros({1 << 16}));
  back.copy_(on_device.to(Device(kCPU), kFloat32, /*non_blocking=*/false));
  cuda::synchronize();
  EXPECT_TRUE(equal(back, host));
  EXPECT_THROW(pin_memory(on_device), RuntimeError);
}

}  // namespace
}  // namespace ember
