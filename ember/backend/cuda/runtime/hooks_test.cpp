// The CUDA runtime's hooks on a machine without a GPU or driver (CI's): loading works, CUDA is
// unavailable, and a CUDA tensor is a RuntimeError that says why. With a GPU these checks skip.
#include <gtest/gtest.h>

#include <string>

#include "ember/base/error.h"
#include "ember/ops/ops.h"
#include "ember/tensor/cuda_hooks.h"

namespace ember::cuda {
namespace {

TEST(CudaHooks, AreInstalledWhenTheBackendLoads) { EXPECT_NE(hooks(), nullptr); }

TEST(CudaHooks, WithoutADeviceCudaIsUnavailableAndSaysWhy) {
  if (is_available()) GTEST_SKIP() << "a CUDA device is present";
  EXPECT_EQ(device_count(), 0);
  try {
    zeros({2}, TensorOptions().device(Device(kCUDA)));
    FAIL() << "no error";
  } catch (const RuntimeError& error) {
    EXPECT_NE(std::string(error.what()).find("no CUDA device is available"), std::string::npos)
        << error.what();
  }
  EXPECT_THROW(ones({2}).to(Device("cuda:0")), RuntimeError);
}

}  // namespace
}  // namespace ember::cuda
