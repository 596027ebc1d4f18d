// GradScaler's ops: unscaling with the inf/NaN check, and the scale's backoff and growth.
#include "ember/ops/amp.h"

#include <gtest/gtest.h>

#include <limits>
#include <vector>

#include "ember/base/error.h"
#include "ember/ops/ops.h"
#include "tests/test_support.h"

namespace ember {
namespace {

using testing::values;

Tensor scalar_state(double value, ScalarType dtype = kFloat32) {
  return full({1}, value, TensorOptions(dtype));
}

TEST(AmpUnscale, MultipliesEveryGradientAndLeavesFoundInfAtZeroWhenFinite) {
  const Tensor a = full({2}, 8.0);
  const Tensor b = full({3}, 4.0, TensorOptions(kFloat64));
  const Tensor found_inf = scalar_state(0.0);
  _amp_foreach_non_finite_check_and_unscale_({a, b}, found_inf, scalar_state(0.25));
  EXPECT_EQ(values(a), (std::vector<double>{2.0, 2.0}));
  EXPECT_EQ(values(b), (std::vector<double>{1.0, 1.0, 1.0}));
  EXPECT_EQ(found_inf.item<float>(), 0.0f);
}

TEST(AmpUnscale, SetsFoundInfForInfOrNaNAndNeverResetsIt) {
  const Tensor found_inf = scalar_state(0.0);
  const Tensor nan_grad = full({2}, std::numeric_limits<double>::quiet_NaN());
  _amp_foreach_non_finite_check_and_unscale_({full({2}, 1.0), nan_grad}, found_inf,
                                             scalar_state(1.0));
  EXPECT_EQ(found_inf.item<float>(), 1.0f);
  _amp_foreach_non_finite_check_and_unscale_({full({2}, 1.0)}, found_inf, scalar_state(1.0));
  EXPECT_EQ(found_inf.item<float>(), 1.0f);
  const Tensor inf_found = scalar_state(0.0);
  _amp_foreach_non_finite_check_and_unscale_(
      {full({2}, std::numeric_limits<double>::infinity(), TensorOptions(kBFloat16))}, inf_found,
      scalar_state(0.5));
  EXPECT_EQ(inf_found.item<float>(), 1.0f);
}

TEST(AmpUnscale, SixteenBitGradientsAreUnscaledInFloat32) {
  // 1e-30 is zero in float16: multiplied there, inf * 0 would be NaN.
  const Tensor grad = full({2}, std::numeric_limits<double>::infinity(), TensorOptions(kFloat16));
  _amp_foreach_non_finite_check_and_unscale_({grad}, scalar_state(0.0), scalar_state(1e-30));
  EXPECT_EQ(values(grad), (std::vector<double>(2, std::numeric_limits<double>::infinity())));
  const Tensor small = full({1}, 1000.0, TensorOptions(kBFloat16));
  _amp_foreach_non_finite_check_and_unscale_({small}, scalar_state(0.0), scalar_state(1.0 / 1024));
  EXPECT_NEAR(values(small)[0], 1000.0 / 1024, 1e-2);
}

TEST(AmpUnscale, BadStateIsATypedError) {
  EXPECT_THROW(_amp_foreach_non_finite_check_and_unscale_({ones({2})}, scalar_state(0, kFloat64),
                                                          scalar_state(1)),
               RuntimeError);
  EXPECT_THROW(_amp_foreach_non_finite_check_and_unscale_({ones({2})}, zeros({2}), scalar_state(1)),
               RuntimeError);
  EXPECT_THROW(_amp_foreach_non_finite_check_and_unscale_({ones({2}, TensorOptions(kInt64))},
                                                          scalar_state(0), scalar_state(1)),
               RuntimeError);
}

TEST(AmpUpdateScale, BacksOffAndResetsTheTrackerOnInf) {
  const Tensor scale = scalar_state(1024.0);
  const Tensor tracker = scalar_state(5, kInt32);
  _amp_update_scale_(scale, tracker, scalar_state(1.0), 2.0, 0.5, 10);
  EXPECT_EQ(scale.item<float>(), 512.0f);
  EXPECT_EQ(tracker.item<int32_t>(), 0);
}

TEST(AmpUpdateScale, GrowsAfterGrowthIntervalSuccessfulSteps) {
  const Tensor scale = scalar_state(4.0);
  const Tensor tracker = scalar_state(0, kInt32);
  for (int step = 1; step < 3; ++step) {
    _amp_update_scale_(scale, tracker, scalar_state(0.0), 2.0, 0.5, 3);
    EXPECT_EQ(scale.item<float>(), 4.0f);
    EXPECT_EQ(tracker.item<int32_t>(), step);
  }
  _amp_update_scale_(scale, tracker, scalar_state(0.0), 2.0, 0.5, 3);
  EXPECT_EQ(scale.item<float>(), 8.0f);
  EXPECT_EQ(tracker.item<int32_t>(), 0);
}

TEST(AmpUpdateScale, KeepsTheScaleWhenGrowthOverflows) {
  const Tensor scale = scalar_state(std::numeric_limits<float>::max());
  const Tensor tracker = scalar_state(0, kInt32);
  _amp_update_scale_(scale, tracker, scalar_state(0.0), 2.0, 0.5, 1);
  EXPECT_EQ(scale.item<float>(), std::numeric_limits<float>::max());
  EXPECT_EQ(tracker.item<int32_t>(), 0);
}

TEST(AmpUpdateScale, BadStateIsATypedError) {
  EXPECT_THROW(_amp_update_scale_(scalar_state(1), scalar_state(0), scalar_state(0), 2, 0.5, 1),
               RuntimeError);
  EXPECT_THROW(_amp_update_scale_(scalar_state(1, kFloat64), scalar_state(0, kInt32),
                                  scalar_state(0), 2, 0.5, 1),
               RuntimeError);
  EXPECT_THROW(
      _amp_update_scale_(scalar_state(1), scalar_state(0, kInt32), scalar_state(0), 2, 0.5, 0),
      ValueError);
}

}  // namespace
}  // namespace ember
