// The upsample ops, interpolate, grid_sample and affine_grid: hand-derived values for small
// inputs (PyTorch's source-index formulas worked by hand), the adjoint identity
// <up(x), g> = <x, up^T(g)> of every mode, and the errors naming the arguments involved.
#include "ember/ops/nn_interp.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ember/base/error.h"
#include "ember/ops/ops.h"
#include "ember/ops/primitives_nn_interp.h"
#include "tests/test_support.h"

namespace ember {
namespace {

using testing::message_of;
using testing::tensor_of;
using testing::values;

void expect_values(const Tensor& actual, const std::vector<double>& expected) {
  const std::vector<double> got = values(actual);
  ASSERT_EQ(got.size(), expected.size());
  for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], expected[i], 1e-12) << i;
}

const Tensor& square() {  // [[1, 2], [3, 4]]
  static const Tensor x = tensor_of({1, 2, 3, 4}, {1, 1, 2, 2}, kFloat64);
  return x;
}

TEST(Upsample, NearestRepeatsEachPixel) {
  expect_values(upsample_nearest2d(square(), {4, 4}),
                {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4});
  // 3 -> 5 samples floor(o * 3 / 5) = 0, 0, 1, 1, 2; nearest-exact floor((o + 0.5) * 3 / 5).
  const Tensor row = tensor_of({10, 20, 30}, {1, 1, 3}, kFloat64);
  expect_values(upsample_nearest1d(row, {5}), {10, 10, 20, 20, 30});
  expect_values(upsample_nearest_exact1d(row, {5}), {10, 10, 20, 30, 30});
}

TEST(Upsample, BilinearWithAndWithoutAlignCorners) {
  // align_corners=False: source = (o + 0.5) / 2 - 0.5 clamped at 0: 0, 0.25, 0.75, 1 (clamped).
  expect_values(
      upsample_bilinear2d(square(), {4, 4}, false),
      {1.0, 1.25, 1.75, 2.0, 1.5, 1.75, 2.25, 2.5, 2.5, 2.75, 3.25, 3.5, 3.0, 3.25, 3.75, 4.0});
  // align_corners=True: the corners stay, the centre is the mean.
  expect_values(upsample_bilinear2d(square(), {3, 3}, true),
                {1.0, 1.5, 2.0, 2.0, 2.5, 3.0, 3.0, 3.5, 4.0});
}

TEST(Upsample, BicubicUsesKeysKernelWithClampedBorders) {
  // 2 -> 4 along a row: o = 1 has t = 0.25 and reads x[-1..2] clamped to x0, x0, x1, x1 with
  // Keys' weights (A = -0.75) -0.10546875, 0.87890625, 0.24609375, -0.01953125.
  const Tensor row = tensor_of({1, 2}, {1, 1, 1, 2}, kFloat64);
  expect_values(upsample_bicubic2d(row, {1, 4}, false),
                {0.89453125, 1.2265625, 1.7734375, 2.10546875});
}

TEST(Upsample, AreaIsTheMeanOfEachWindow) {
  const Tensor row = tensor_of({1, 2, 3, 4, 5}, {1, 1, 5}, kFloat64);
  // out 2 of in 5: windows [0, 3) and [2, 5).
  expect_values(interpolate(row, std::vector<int64_t>{2}, std::nullopt, "area"), {2.0, 4.0});
}

TEST(Upsample, TheTransposedMapIsTheAdjoint) {
  // <up(x), g> = <x, up^T(g)> for every mode: the gradient rule is the transposed map.
  const Tensor x = (arange(0, 24, TensorOptions(kFloat64)) * 0.3).sin().reshape({1, 2, 3, 4});
  const Tensor g = (arange(0, 70, TensorOptions(kFloat64)) * 0.7).cos().reshape({1, 2, 5, 7});
  for (UpsampleMode mode : {UpsampleMode::Nearest, UpsampleMode::NearestExact, UpsampleMode::Linear,
                            UpsampleMode::Cubic, UpsampleMode::Area, UpsampleMode::LinearAntialias,
                            UpsampleMode::CubicAntialias}) {
    for (bool align : {false, true}) {
      const Upsample op(mode, {3, 4}, {5, 7}, {0.0, 1.9}, align, false);
      const double forward = (run_upsample(op, x) * g).sum().item<double>();
      const double adjoint = (x * run_upsample(op.transposed(), g)).sum().item<double>();
      EXPECT_NEAR(forward, adjoint, 1e-10) << op.name() << " align_corners=" << align;
    }
  }
}

TEST(Interpolate, AntialiasStretchesAndNormalisesTheFilterWhenDownsampling) {
  const Tensor row = arange(0, 4, TensorOptions(kFloat64)).reshape({1, 1, 1, 4});
  const std::vector<int64_t> half{1, 2};
  // Scale 2: the triangle spans 2 inputs each side of the centres 1 and 3; output 0 weighs
  // inputs 0, 1, 2 by 0.75, 0.75, 0.25 (/ 1.75), output 1 inputs 1, 2, 3 by 0.25, 0.75, 0.75.
  expect_values(interpolate(row, half, std::nullopt, "bilinear", false, std::nullopt, true),
                {5.0 / 7.0, 16.0 / 7.0});
  // Keys' kernel (A = -0.5) at 0.25, 0.25, 0.75, 1.25 input widths from the centre: 0.8671875,
  // 0.8671875, 0.2265625 and -0.0703125, over their sum 1.890625.
  const double first = (0.8671875 + 2 * 0.2265625 - 3 * 0.0703125) / 1.890625;
  expect_values(interpolate(row, half, std::nullopt, "bicubic", false, std::nullopt, true),
                {first, 3.0 - first});
  // Upsampling with the triangle and align_corners=False is plain bilinear interpolation.
  const Tensor x = (arange(0, 20, TensorOptions(kFloat64)) * 0.4).sin().reshape({1, 1, 4, 5});
  const std::vector<int64_t> up{7, 9};
  const Tensor plain = interpolate(x, up, std::nullopt, "bilinear", false);
  const Tensor smooth = interpolate(x, up, std::nullopt, "bilinear", false, std::nullopt, true);
  EXPECT_LT((plain - smooth).abs().max().item<double>(), 1e-12);
  EXPECT_THROW(interpolate(x, up, std::nullopt, "nearest", std::nullopt, std::nullopt, true),
               ValueError);
}

TEST(Upsample, BadInputsNameTheOpAndShapes) {
  const std::string rank = message_of([] { upsample_bilinear2d(ones({2, 3}), {4, 4}, false); });
  EXPECT_NE(rank.find("[upsample_bilinear2d]"), std::string::npos) << rank;
  EXPECT_NE(rank.find("[2, 3]"), std::string::npos) << rank;
  const std::string sizes = message_of([] { upsample_nearest2d(ones({1, 1, 2, 2}), {0, 4}); });
  EXPECT_NE(sizes.find("greater than 0"), std::string::npos) << sizes;
  EXPECT_THROW(upsample_nearest1d(ones({1, 1, 2}), {2, 2}), RuntimeError);
  EXPECT_THROW(upsample_nearest1d(arange(4).reshape({1, 1, 4}), {8}), TypeError);
  EXPECT_THROW(upsample_nearest1d(ones({1, 0, 2}), {4}), RuntimeError);
}

TEST(Interpolate, ArgumentErrorsFollowPyTorch) {
  const Tensor x = ones({1, 1, 2, 2});
  EXPECT_THROW(interpolate(x, std::vector<int64_t>{4, 4}, std::nullopt, "nearest", true),
               ValueError);
  EXPECT_THROW(interpolate(x, std::vector<int64_t>{4, 4}, std::vector<double>{2, 2}), ValueError);
  EXPECT_THROW(interpolate(x, std::nullopt, std::nullopt), ValueError);
  EXPECT_THROW(interpolate(x, std::vector<int64_t>{4}, std::nullopt), ValueError);
  EXPECT_THROW(
      interpolate(x, std::vector<int64_t>{4, 4}, std::nullopt, "nearest", std::nullopt, true),
      ValueError);
  EXPECT_THROW(interpolate(x, std::vector<int64_t>{4, 4}, std::nullopt, "linear"),
               NotImplementedError);
  EXPECT_THROW(interpolate(x, std::vector<int64_t>{4, 4}, std::nullopt, "cubic"),
               NotImplementedError);
  EXPECT_THROW(interpolate(x, std::vector<int64_t>{4, 4}, std::nullopt, "nearest", std::nullopt,
                           std::nullopt, true),
               ValueError);
}

TEST(Interpolate, ScaleFactorSetsTheSizeAndTheSourceScale) {
  // scale 1.7 on 3 -> floor(5.1) = 5 outputs; nearest reads floor(o / 1.7) = 0, 0, 1, 1, 2.
  const Tensor row = tensor_of({10, 20, 30}, {1, 1, 3}, kFloat64);
  expect_values(interpolate(row, std::nullopt, std::vector<double>{1.7}), {10, 10, 20, 20, 30});
  // recomputed: the scale is 3 / 5, the same indices here; the size stays 5.
  EXPECT_EQ(interpolate(row, std::nullopt, std::vector<double>{1.7}, "nearest", std::nullopt, true)
                .size(2),
            5);
}

TEST(GridSample, IdentityGridReturnsTheInput) {
  const Tensor x = (arange(0, 12, TensorOptions(kFloat64)) * 0.4).sin().reshape({1, 1, 3, 4});
  const Tensor theta = tensor_of({1, 0, 0, 0, 1, 0}, {1, 2, 3}, kFloat64);
  for (bool align : {false, true}) {
    const Tensor grid = affine_grid(theta, {1, 1, 3, 4}, align);
    for (std::string_view mode : {"bilinear", "nearest", "bicubic"}) {
      const std::vector<double> got = values(grid_sample(x, grid, mode, "zeros", align));
      const std::vector<double> want = values(x);
      for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], 1e-12) << mode;
    }
  }
}

TEST(GridSample, PaddingModesOutsideTheInput) {
  // x = [[1, 2]] at x-coordinate 1.25: pixel 1.75 (align_corners=False). zeros: 0.25 * x1, the
  // other tap outside; border clips to 1: x1; reflection reflects 1.75 about the edge 1.5 to
  // 1.25, then clips to 1: x1.
  const Tensor x = tensor_of({1, 2}, {1, 1, 1, 2}, kFloat64);
  const Tensor grid = tensor_of({1.25, 0.0}, {1, 1, 1, 2}, kFloat64);
  expect_values(grid_sample(x, grid, "bilinear", "zeros", false), {0.5});
  expect_values(grid_sample(x, grid, "bilinear", "border", false), {2.0});
  expect_values(grid_sample(x, grid, "bilinear", "reflection", false), {2.0});
}

TEST(GridSample, BadInputsNameTheShapes) {
  const Tensor x = ones({1, 1, 3, 3});
  const std::string batch = message_of([&] {
    grid_sample(x, ones({2, 2, 2, 2}), "bilinear", "zeros", false);
  });
  EXPECT_NE(batch.find("[2, 2, 2, 2]"), std::string::npos) << batch;
  EXPECT_THROW(grid_sample(x, ones({1, 2, 2, 3}), "bilinear", "zeros", false), RuntimeError);
  EXPECT_THROW(grid_sample(x, ones({1, 2, 2}), "bilinear", "zeros", false), RuntimeError);
  EXPECT_THROW(grid_sample(x, ones({1, 2, 2, 2}), "linear", "zeros", false), ValueError);
  EXPECT_THROW(grid_sample(x, ones({1, 2, 2, 2}), "bilinear", "wrap", false), ValueError);
  EXPECT_THROW(grid_sample(ones({1, 1, 2, 2, 2}), ones({1, 1, 1, 1, 3}), "bicubic", "zeros", false),
               RuntimeError);
  EXPECT_THROW(grid_sample(ones({1, 1, 0, 2}), ones({1, 1, 1, 2}), "bilinear", "zeros", false),
               RuntimeError);
  EXPECT_THROW(
      grid_sample(x, ones({1, 2, 2, 2}, TensorOptions(kFloat64)), "bilinear", "zeros", false),
      TypeError);
  testing::WarningCapture warnings;
  grid_sample(x, zeros({1, 2, 2, 2}));
  EXPECT_EQ(warnings.captured().size(), 1u);
}

TEST(AffineGrid, BadInputsNameTheShapes) {
  const Tensor theta = ones({2, 2, 3});
  EXPECT_THROW(affine_grid(theta, {2, 1, 3}, false), NotImplementedError);
  const std::string shape = message_of([&] { affine_grid(theta, {3, 1, 2, 2}, false); });
  EXPECT_NE(shape.find("[2, 2, 3]"), std::string::npos) << shape;
  EXPECT_THROW(affine_grid(theta, {2, 1, 0, 2}, false), ValueError);
  EXPECT_THROW(affine_grid(ones({2, 2, 3}, TensorOptions(kInt64)), {2, 1, 2, 2}, false), TypeError);
}

}  // namespace
}  // namespace ember
