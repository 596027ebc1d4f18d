// The CUDA kernels register themselves when the backend loads (elementwise.cu, reduce.cu): a
// program linking the backend whole finds them by primitive kind, with or without a device.
#include <gtest/gtest.h>

#include "ember/ops/cuda_kernels.h"

namespace ember {
namespace {

TEST(CudaKernels, ElementwiseAndReduceKernelsAreRegistered) {
  EXPECT_NE(cuda_kernel(PrimitiveKind::Unary), nullptr);
  EXPECT_NE(cuda_kernel(PrimitiveKind::Binary), nullptr);
  EXPECT_NE(cuda_kernel(PrimitiveKind::Reduce), nullptr);
}

}  // namespace
}  // namespace ember
