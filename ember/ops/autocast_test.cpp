// autocast: the thread-local state and regions, the three casting policies at the op entries
// (lower precision, float32, promote), what stays uncast, the weight-cast cache and its clearing.
#include "ember/ops/autocast.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>

#include "ember/base/error.h"
#include "ember/ops/nn_activation.h"
#include "ember/ops/nn_conv.h"
#include "ember/ops/nn_linear.h"
#include "ember/ops/nn_loss.h"
#include "ember/ops/nn_norm.h"
#include "ember/ops/ops.h"
#include "ember/ops/rnn_ops.h"
#include "ember/ops/scan.h"
#include "ember/ops/shape.h"
#include "ember/ops/util.h"
#include "tests/test_support.h"

namespace ember::autocast {
namespace {

using ember::testing::message_of;

TEST(Autocast, StateIsOffByDefaultWithPyTorchsDefaultDtypes) {
  EXPECT_FALSE(is_autocast_enabled(DeviceType::CPU));
  EXPECT_FALSE(is_autocast_enabled(DeviceType::CUDA));
  EXPECT_EQ(get_autocast_dtype(DeviceType::CPU), kBFloat16);
  EXPECT_EQ(get_autocast_dtype(DeviceType::CUDA), kFloat16);
  EXPECT_TRUE(is_autocast_cache_enabled());
  EXPECT_FALSE(active());
}

TEST(Autocast, GuardSetsAndRestoresTheState) {
  {
    AutocastGuard outer(DeviceType::CPU);
    EXPECT_TRUE(is_autocast_enabled(DeviceType::CPU));
    EXPECT_FALSE(is_autocast_enabled(DeviceType::CUDA));
    EXPECT_TRUE(active());
    {
      AutocastGuard inner(DeviceType::CPU, true, kFloat16, false);
      EXPECT_EQ(get_autocast_dtype(DeviceType::CPU), kFloat16);
      EXPECT_FALSE(is_autocast_cache_enabled());
      AutocastGuard disabled(DeviceType::CPU, false);
      EXPECT_FALSE(is_autocast_enabled(DeviceType::CPU));
      EXPECT_FALSE(active());
    }
    EXPECT_TRUE(is_autocast_enabled(DeviceType::CPU));
    EXPECT_EQ(get_autocast_dtype(DeviceType::CPU), kBFloat16);
    EXPECT_TRUE(is_autocast_cache_enabled());
  }
  EXPECT_FALSE(is_autocast_enabled(DeviceType::CPU));
  EXPECT_FALSE(active());
}

TEST(Autocast, CudaStateNeedsNoKernels) {
  AutocastGuard guard(DeviceType::CUDA, true, kBFloat16);
  EXPECT_TRUE(is_autocast_enabled(DeviceType::CUDA));
  EXPECT_EQ(get_autocast_dtype(DeviceType::CUDA), kBFloat16);
  // CPU tensors follow the CPU state, which is off.
  EXPECT_EQ(mm(ones({2, 2}), ones({2, 2})).dtype(), kFloat32);
}

TEST(Autocast, LowerPrecisionOpsRunInTheRegionsDtype) {
  const Tensor x = ones({2, 3});
  const Tensor w = ones({4, 3});
  AutocastGuard guard(DeviceType::CPU);
  EXPECT_EQ(mm(x, w.t()).dtype(), kBFloat16);
  EXPECT_EQ(matmul(x, w.t()).dtype(), kBFloat16);
  EXPECT_EQ(linear(x, w, ones({4})).dtype(), kBFloat16);
  EXPECT_EQ(bmm(ones({2, 2, 3}), ones({2, 3, 2})).dtype(), kBFloat16);
  EXPECT_EQ(addmm(ones({2, 4}), x, w.t()).dtype(), kBFloat16);
  EXPECT_EQ(conv2d(ones({1, 1, 4, 4}), ones({2, 1, 3, 3})).dtype(), kBFloat16);
  {
    AutocastGuard half(DeviceType::CPU, true, kFloat16);
    EXPECT_EQ(mm(x, w.t()).dtype(), kFloat16);
  }
  // The values are the float32 product rounded through bfloat16.
  EXPECT_EQ(mm(x, w.t()).to(kFloat32).sum().item<float>(), 24.0f);
}

TEST(Autocast, Float64IntegerAndOutsideTheRegionStayUncast) {
  const Tensor x = ones({2, 2}, TensorOptions(kFloat64));
  EXPECT_EQ(mm(ones({2, 2}), ones({2, 2})).dtype(), kFloat32);
  AutocastGuard guard(DeviceType::CPU);
  EXPECT_EQ(mm(x, x).dtype(), kFloat64);
  EXPECT_EQ(mm(ones({2, 2}, TensorOptions(kInt64)), ones({2, 2}, TensorOptions(kInt64))).dtype(),
            kInt64);
}

TEST(Autocast, Float32ListOpsPromoteBack) {
  AutocastGuard guard(DeviceType::CPU);
  const Tensor y = mm(ones({2, 2}), ones({2, 2}));
  ASSERT_EQ(y.dtype(), kBFloat16);
  EXPECT_EQ(mse_loss(y, zeros({2, 2})).dtype(), kFloat32);
  EXPECT_EQ(cross_entropy_loss(y, zeros({2}, TensorOptions(kInt64))).dtype(), kFloat32);
  // softmax is on the float32 list of CUDA only: on CPU it keeps its input's dtype.
  EXPECT_EQ(softmax(y, 1).dtype(), kBFloat16);
}

TEST(Autocast, CpuFloat32ListReductionsRunInFloat32) {
  AutocastGuard guard(DeviceType::CPU);
  const Tensor y = mm(ones({3, 3}), ones({3, 3}));
  ASSERT_EQ(y.dtype(), kBFloat16);
  EXPECT_EQ(prod(y, 1).dtype(), kFloat32);
  EXPECT_EQ(trace(y).dtype(), kFloat32);
  EXPECT_EQ(cdist(y, y).dtype(), kFloat32);
  EXPECT_EQ(quantile(y, 0.5).dtype(), kFloat32);
  EXPECT_EQ(trace(y).item<float>(), 9.0f);
}

TEST(Autocast, LayerNormTakesALowerPrecisionInputWithFloat32Weights) {
  AutocastGuard guard(DeviceType::CPU);
  const Tensor y = mm(ones({2, 4}), ones({4, 4}));
  const Tensor normed = layer_norm(y, {4}, ones({4}), zeros({4}));
  EXPECT_EQ(normed.dtype(), kBFloat16);
  EXPECT_EQ(normed.abs().sum().item<float>(), 0.0f);
}

TEST(Autocast, RecurrentLayersRunInFloat32) {
  // PyTorch runs them in lower precision on CPU; ember's fused cells take float32 and float64.
  const Tensor x = ones({3, 2, 4});
  const Tensor h = zeros({1, 2, 5});
  const std::vector<Tensor> params{ones({20, 4}), ones({20, 5}), zeros({20}), zeros({20})};
  AutocastGuard guard(DeviceType::CPU);
  const auto [output, h_n, c_n] =
      lstm(x.to(kBFloat16), {h, h}, params, true, 1, 0.0, false, false, false);
  EXPECT_EQ(output.dtype(), kFloat32);
  EXPECT_EQ(c_n.dtype(), kFloat32);
}

TEST(Autocast, PromoteOpsTakeTheWidestInput) {
  AutocastGuard guard(DeviceType::CPU);
  const Tensor low = ones({2}, TensorOptions(kBFloat16));
  const Tensor wide = ones({2});
  EXPECT_EQ(cat({low, wide}).dtype(), kFloat32);
  EXPECT_EQ(stack({low, wide}).dtype(), kFloat32);
  EXPECT_EQ(stack({low, low}).dtype(), kBFloat16);
  EXPECT_EQ(low.index_copy(0, arange(2), wide).dtype(), kFloat32);
}

TEST(Autocast, WeightCastIsCachedOncePerOutermostRegion) {
  // Flagged directly: this layer has no autograd, so every tensor counts as a leaf.
  const Tensor w = ones({3, 3});
  w.impl()->set_requires_grad_flag(true);
  const Tensor x = ones({2, 3});
  {
    AutocastGuard outer(DeviceType::CPU);
    linear(x, w);
    EXPECT_EQ(cache_size(), 1);
    {
      AutocastGuard inner(DeviceType::CPU);
      linear(x, w);
      matmul(x, w);
      EXPECT_EQ(cache_size(), 1);
    }
    EXPECT_EQ(cache_size(), 1);
    // Tensors that are not float32 leaves requiring grad are cast every time.
    linear(x, ones({3, 3}));
    EXPECT_EQ(cache_size(), 1);
  }
  EXPECT_EQ(cache_size(), 0);
  AutocastGuard uncached(DeviceType::CPU, true, std::nullopt, false);
  linear(x, w);
  EXPECT_EQ(cache_size(), 0);
}

TEST(Autocast, StateIsPerThread) {
  AutocastGuard guard(DeviceType::CPU);
  bool other_enabled = true;
  ScalarType other_dtype = kFloat32;
  std::thread other([&] {
    other_enabled = is_autocast_enabled(DeviceType::CPU);
    other_dtype = mm(ones({2, 2}), ones({2, 2})).dtype();
  });
  other.join();
  EXPECT_FALSE(other_enabled);
  EXPECT_EQ(other_dtype, kFloat32);
}

TEST(Autocast, BadArgumentsAreTypedErrors) {
  EXPECT_THROW(AutocastGuard(DeviceType::CPU, true, kFloat32), ValueError);
  EXPECT_NE(message_of([] { set_autocast_dtype(DeviceType::CUDA, kInt64); }).find("[autocast]"),
            std::string::npos);
  EXPECT_THROW(parse_device_type("xla"), ValueError);
  EXPECT_EQ(parse_device_type("cuda"), DeviceType::CUDA);
  EXPECT_THROW(decrement_nesting(), RuntimeError);
  // A failed entry leaves nothing behind.
  EXPECT_FALSE(is_autocast_enabled(DeviceType::CPU));
}

}  // namespace
}  // namespace ember::autocast
