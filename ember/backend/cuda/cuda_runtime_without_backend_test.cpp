// ember::cuda without the CUDA backend linked (this program has no runtime, as a CPU-only build):
// CUDA is unavailable and every call that needs it says the build has no CUDA support.
#include <gtest/gtest.h>

#include <string>

#include "ember/base/error.h"
#include "ember/ops/device_copy.h"
#include "ember/ops/ops.h"
#include "ember/tensor/cuda_runtime.h"

namespace ember::cuda {
namespace {

TEST(CudaRuntimeWithoutBackend, SaysTheBuildHasNoCuda) {
  ASSERT_EQ(hooks(), nullptr);
  EXPECT_FALSE(is_available());
  EXPECT_EQ(device_count(), 0);
  EXPECT_FALSE(is_initialized());
  try {
    set_device(0);
    FAIL() << "no error";
  } catch (const RuntimeError& error) {
    EXPECT_NE(std::string(error.what()).find("[set_device] this build of ember has no CUDA"),
              std::string::npos)
        << error.what();
  }
  EXPECT_THROW(current_stream(), RuntimeError);
  EXPECT_THROW(Event(), RuntimeError);
  EXPECT_THROW(ones({2}).cuda(), RuntimeError);
  EXPECT_THROW(pin_memory(ones({2})), RuntimeError);
  EXPECT_FALSE(is_pinned(ones({2})));
  manual_seed_all(3);
}

}  // namespace
}  // namespace ember::cuda
