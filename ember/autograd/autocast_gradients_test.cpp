// autocast with autograd: the casts are recorded ops, so gradients reach the float32 weights in
// float32; the cache holds only leaves (autograd's leaf query), and a weight used twice in a
// region is cast once and gets both uses' gradient.
#include <gtest/gtest.h>

#include <vector>

#include "ember/ops/autocast.h"
#include "ember/ops/nn_linear.h"
#include "ember/ops/nn_loss.h"
#include "ember/ops/ops.h"
#include "tests/test_support.h"

namespace ember {
namespace {

using testing::tensor_of;
using testing::values;

Tensor weight_leaf() {
  return tensor_of({0.5, -0.25, 1.0, 0.75, -0.5, 0.25}, {2, 3}).requires_grad_();
}

TEST(AutocastGradients, ReachTheFloat32WeightInFloat32) {
  const Tensor w = weight_leaf();
  const Tensor x = tensor_of({1.0, 2.0, -1.0, 0.5, 0.0, 1.5}, {2, 3});
  Tensor loss;
  {
    autocast::AutocastGuard guard(DeviceType::CPU);
    const Tensor y = linear(x, w);
    EXPECT_EQ(y.dtype(), kBFloat16);
    loss = mse_loss(y, zeros({2, 2}));
  }
  EXPECT_EQ(loss.dtype(), kFloat32);
  loss.backward();
  ASSERT_TRUE(w.grad().defined());
  EXPECT_EQ(w.grad().dtype(), kFloat32);
  // Every value here is exact in bfloat16, so the gradient is the float32 one:
  // d/dw mean((x w^T)^2) = (2 / 4) (x w^T)^T x.
  const Tensor x64 = x.to(kFloat64);
  const Tensor w64 = w.detach().to(kFloat64);
  const Tensor expected = matmul(matmul(x64, w64.t()).t(), x64) * 0.5;
  const std::vector<double> got = values(w.grad()), want = values(expected);
  for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], 1e-6) << i;
}

TEST(AutocastGradients, ACachedWeightGetsTheGradientOfEveryUse) {
  const Tensor w = weight_leaf();
  const Tensor x = ones({1, 3});
  Tensor total;
  {
    autocast::AutocastGuard guard(DeviceType::CPU);
    total = (linear(x, w).sum() + linear(x * 2.0, w).sum()).to(kFloat32);
    EXPECT_EQ(autocast::cache_size(), 1);
  }
  total.backward();
  for (double g : values(w.grad())) EXPECT_EQ(g, 3.0);
}

TEST(AutocastGradients, NonLeavesAreNotCached) {
  const Tensor w = weight_leaf();
  autocast::AutocastGuard guard(DeviceType::CPU);
  const Tensor activation = w * 2.0;  // requires grad, not a leaf
  linear(ones({1, 3}), activation);
  EXPECT_EQ(autocast::cache_size(), 0);
  linear(ones({1, 3}), w);
  EXPECT_EQ(autocast::cache_size(), 1);
}

}  // namespace
}  // namespace ember
