#include "ember/serialize/dlpack.h"

#include <gtest/gtest.h>

#include "ember/base/error.h"
#include "ember/base/error_testing.h"
#include "ember/ops/ops.h"

namespace ember {
namespace {

using test_support::contains;
using test_support::error_of;

TEST(DLPack, RoundTripSharesMemoryAndKeepsTheProducerAlive) {
  for (ScalarType dtype :
       {kBool, kUInt8, kInt8, kInt16, kInt32, kInt64, kFloat16, kBFloat16, kFloat32, kFloat64}) {
    Tensor source = arange(6, TensorOptions(kFloat64)).reshape({2, 3}).to(dtype).t();
    DLManagedTensor* managed = toDLPack(source);
    EXPECT_EQ(managed->dl_tensor.data, source.data_ptr());
    EXPECT_EQ(toScalarType(managed->dl_tensor.dtype), dtype);
    Tensor back = fromDLPack(managed);
    EXPECT_EQ(back.data_ptr(), source.data_ptr());
    EXPECT_EQ(back.strides(), source.strides());
    source = Tensor();  // the DLPack tensor keeps the storage alive
    EXPECT_EQ(back.to(kFloat64).sum().item<double>(), dtype == kBool ? 5.0 : 15.0);
  }
}

TEST(DLPack, VersionedRoundTrip) {
  Tensor source = arange(4, TensorOptions(kFloat32));
  DLManagedTensorVersioned* managed = toDLPackVersioned(source);
  EXPECT_EQ(managed->version.major, 1u);
  Tensor back = fromDLPackVersioned(managed);
  EXPECT_EQ(back.data_ptr(), source.data_ptr());
}

TEST(DLPack, RejectsWhatEmberCannotViewAndReleasesTheSource) {
  Tensor source = ones({2}, kFloat32);
  for (int problem = 0; problem < 3; ++problem) {
    DLManagedTensor* managed = toDLPack(source);
    int64_t negative = -1;
    if (problem == 0) managed->dl_tensor.device.device_type = kDLOpenCL;
    if (problem == 1) managed->dl_tensor.dtype = DLDataType{kDLComplex, 64, 1};
    if (problem == 2) managed->dl_tensor.strides = &negative;
    bool released = false;
    const std::string message = error_of<TypeError>([&] {
      fromDLPack(managed, [&](void*) {
        released = true;
        managed->deleter(managed);
      });
    });
    EXPECT_TRUE(contains(message, "[from_dlpack]")) << message;
    EXPECT_TRUE(released) << message;
  }
}

TEST(DLPack, CudaMemoryBecomesACudaTensorOnlyWithCuda) {
  if (cuda::is_available()) GTEST_SKIP() << "the error needs a machine without CUDA";
  Tensor source = ones({2}, kFloat32);
  DLManagedTensor* managed = toDLPack(source);
  managed->dl_tensor.device = DLDevice{kDLCUDA, 0};
  const std::string message = error_of<TypeError>([&] { fromDLPack(managed); });
  EXPECT_TRUE(contains(message,
                       "[from_dlpack] got a CUDA tensor (DLPack device type 2), but CUDA "
                       "is not available"))
      << message;
}

}  // namespace
}  // namespace ember
