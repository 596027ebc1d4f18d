// The Upsample layer and the resampling functionals: libtorch's options, forwards equal to the
// ops, no parameters, printing, and gradients (including second order) through the layer.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "ember/autograd/engine.h"
#include "ember/nn/nn.h"
#include "ember/ops/ops.h"
#include "tests/test_support.h"

namespace ember::nn {
namespace {

namespace F = functional;

std::string printed(const Module& module) {
  std::ostringstream stream;
  stream << module;
  return stream.str();
}

TEST(Upsample, ForwardsToInterpolateWithItsOptions) {
  const Tensor x = arange(0, 16, TensorOptions(kFloat64)).reshape({1, 1, 4, 4});
  Upsample bilinear(UpsampleOptions()
                        .scale_factor(std::vector<double>{2, 2})
                        .mode(kBilinear)
                        .align_corners(false));
  EXPECT_TRUE(equal(bilinear(x), upsample_bilinear2d(x, {8, 8}, false, 2.0, 2.0)));
  EXPECT_EQ(printed(*bilinear), "ember::nn::Upsample(scale_factor=[2, 2], mode=kBilinear)");
  Upsample nearest(UpsampleOptions().size(std::vector<int64_t>{3, 5}));
  EXPECT_EQ(nearest(x).size(3), 5);
  EXPECT_EQ(printed(*nearest), "ember::nn::Upsample(size=[3, 5], mode=kNearest)");
  EXPECT_TRUE(bilinear->parameters().empty());
  EXPECT_TRUE(bilinear->named_buffers().is_empty());
}

TEST(Upsample, FunctionalOptionsSelectTheMode) {
  const Tensor x = arange(0, 8, TensorOptions(kFloat64)).reshape({1, 1, 8});
  const Tensor area =
      F::interpolate(x, F::InterpolateFuncOptions().size(std::vector<int64_t>{2}).mode(kArea));
  EXPECT_TRUE(equal(area, testing::tensor_of({1.5, 5.5}, {1, 1, 2}, kFloat64)));
  const Tensor exact = F::interpolate(
      x, F::InterpolateFuncOptions().scale_factor(std::vector<double>{0.5}).mode(kNearestExact));
  EXPECT_TRUE(equal(exact, upsample_nearest_exact1d(x, {4}, 0.5)));
}

TEST(Upsample, AntialiasOptionReachesInterpolate) {
  const Tensor row = arange(0, 4, TensorOptions(kFloat64)).reshape({1, 1, 1, 4});
  // Scale 2: taps 0.75, 0.75, 0.25 and 0.25, 0.75, 0.75 of the stretched triangle, over 1.75.
  const Tensor smooth = F::interpolate(row, F::InterpolateFuncOptions()
                                                .size(std::vector<int64_t>{1, 2})
                                                .mode(kBilinear)
                                                .align_corners(false)
                                                .antialias(true));
  EXPECT_TRUE(allclose(smooth, testing::tensor_of({5.0 / 7, 16.0 / 7}, {1, 1, 1, 2}, kFloat64)));
}

TEST(Upsample, SecondOrderGradientIsTheForwardMap) {
  const Tensor x = (arange(0, 12, TensorOptions(kFloat64)) * 0.3).sin().reshape({1, 1, 3, 4});
  const Tensor leaf = x.clone().requires_grad_();
  const Tensor y = F::interpolate(leaf, F::InterpolateFuncOptions()
                                            .size(std::vector<int64_t>{5, 6})
                                            .mode(kBicubic)
                                            .align_corners(true));
  const Tensor g = ones({1, 1, 5, 6}, TensorOptions(kFloat64)).requires_grad_();
  const Tensor grad_x = autograd::grad({(y * g).sum()}, {leaf}, {}, std::nullopt, true)[0];
  const Tensor v = (arange(0, 12, TensorOptions(kFloat64)) * 0.7).cos().reshape({1, 1, 3, 4});
  const Tensor grad_g = autograd::grad({(grad_x * v).sum()}, {g})[0];
  EXPECT_TRUE(allclose(grad_g, upsample_bicubic2d(v, {5, 6}, true), 1e-12, 1e-12));
}

TEST(GridSample, FunctionalOptionsAndAffineGrid) {
  const Tensor x = arange(0, 12, TensorOptions(kFloat64)).reshape({1, 1, 3, 4});
  const Tensor theta = testing::tensor_of({1, 0, 0, 0, 1, 0}, {1, 2, 3}, kFloat64);
  const Tensor grid = F::affine_grid(theta, {1, 1, 3, 4}, true);
  const Tensor sampled = F::grid_sample(
      x, grid, F::GridSampleFuncOptions().mode(kNearest).padding_mode(kBorder).align_corners(true));
  EXPECT_TRUE(allclose(sampled, x, 1e-12, 1e-12));
}

}  // namespace
}  // namespace ember::nn
