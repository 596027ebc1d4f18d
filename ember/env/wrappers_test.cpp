#include "ember/env/wrappers.h"

#include <gtest/gtest.h>

#include <cmath>
#include <memory>

#include "ember/base/error.h"
#include "ember/env/env_test_support.h"

namespace ember::env {
namespace {

using testing::action;
using testing::CountingEnv;

TEST(TimeLimit, TruncatesAfterMaxEpisodeSteps) {
  TimeLimit env(std::make_shared<CountingEnv>(100), 3);
  env.reset(1);
  EXPECT_FALSE(env.step(action(1)).truncated);
  EXPECT_FALSE(env.step(action(1)).truncated);
  EXPECT_TRUE(env.step(action(1)).truncated);
  env.reset();
  EXPECT_EQ(env.elapsed_steps(), 0);
  EXPECT_FALSE(env.step(action(1)).truncated);
}

TEST(TimeLimit, RejectsANonPositiveLimit) {
  EXPECT_THROW(TimeLimit(std::make_shared<CountingEnv>(), 0), ValueError);
}

TEST(Wrapper, ForwardsSpacesCloseAndUnwrapped) {
  auto inner = std::make_shared<CountingEnv>();
  TimeLimit env(std::make_shared<TimeLimit>(inner, 10), 5);
  EXPECT_EQ(env.observation_space(), inner->observation_space());
  EXPECT_EQ(env.unwrapped(), inner.get());
  env.close();
  EXPECT_TRUE(inner->closed);
  EXPECT_THROW(Wrapper(nullptr), ValueError);
}

TEST(RecordEpisodeStatistics, AddsEpisodeInfoAtTheEnd) {
  RecordEpisodeStatistics env(std::make_shared<CountingEnv>(3), 2);
  for (int episode = 0; episode < 3; ++episode) {
    env.reset(episode);
    StepResult result;
    for (int t = 0; t < 3; ++t) {
      result = env.step(action(2));
      EXPECT_EQ(result.info.count("episode/r"), t == 2 ? 1u : 0u);
    }
    EXPECT_DOUBLE_EQ(std::get<double>(result.info.at("episode/r")), 6.0);
    EXPECT_EQ(std::get<int64_t>(result.info.at("episode/l")), 3);
    EXPECT_GE(std::get<double>(result.info.at("episode/t")), 0.0);
  }
  EXPECT_EQ(env.episode_count(), 3);
  EXPECT_EQ(env.return_queue().size(), 2u);  // the buffer keeps the last two
}

TEST(RunningMeanStd, MatchesTheCountWeightedMoments) {
  RunningMeanStd rms;
  const double samples[] = {1.0, 4.0, -2.0};
  for (double x : samples) rms.update(scalar_tensor(x, kFloat64));
  // count 1e-4 of a prior (mean 0, var 1) plus the three samples.
  const double count = 3 + 1e-4;
  const double mean = (1.0 + 4.0 - 2.0) / count;
  double m2 = 1e-4 * (1.0 + mean * mean);
  for (double x : samples) m2 += (x - mean) * (x - mean);
  EXPECT_NEAR(rms.mean().item<double>(), mean, 1e-12);
  EXPECT_NEAR(rms.var().item<double>(), m2 / count, 1e-9);
  EXPECT_DOUBLE_EQ(rms.count(), count);
}

TEST(NormalizeObservation, NormalizesWithTheRunningStatistics) {
  NormalizeObservation env(std::make_shared<CountingEnv>(50));
  const Tensor first = env.reset(7).observation;
  EXPECT_EQ(first.dtype(), kFloat32);
  // One sample x = 7 over the prior (mean 0, var 1, count 1e-4).
  const double count = 1 + 1e-4;
  const double mean = 7 / count;
  const double var = (1e-4 + 49 * 1e-4 / count) / count;
  EXPECT_NEAR(first[1].item<float>(), (7 - mean) / std::sqrt(var + 1e-8), 1e-5);
  env.update_running_mean = false;
  const double count_before = env.obs_rms().count();
  env.step(action(0));
  EXPECT_DOUBLE_EQ(env.obs_rms().count(), count_before);
  EXPECT_THROW(NormalizeObservation(std::make_shared<CountingEnv>(), 0.0), ValueError);
}

TEST(NormalizeReward, ScalesByTheDiscountedReturnsDeviation) {
  NormalizeReward env(std::make_shared<CountingEnv>(50), 0.5);
  env.reset(0);
  const double first = env.step(action(1)).reward;
  // discounted return 1: mean 1/(1+1e-4), var 1e-4*(1+mean^2)/(1+1e-4)... checked by
  // RunningMeanStd; here the reward is the raw reward over sqrt(var + eps).
  EXPECT_NEAR(first, 1.0 / std::sqrt(env.return_rms().var().item<double>() + 1e-8), 1e-12);
  env.step(action(1));
  EXPECT_DOUBLE_EQ(env.discounted_reward(), 1.5);
  EXPECT_THROW(NormalizeReward(std::make_shared<CountingEnv>(), 1.5), ValueError);
}

TEST(ClipAction, ClipsIntoTheBoxBounds) {
  auto inner = std::make_shared<CountingEnv>(5, /*continuous_actions=*/true);
  ClipAction env(inner);
  env.reset(0);
  env.step(full({1}, 3.0, TensorOptions().dtype(kFloat32)));
  EXPECT_FLOAT_EQ(inner->last_action.item<float>(), 1.0f);
  env.step(full({1}, -0.25, TensorOptions().dtype(kFloat32)));
  EXPECT_FLOAT_EQ(inner->last_action.item<float>(), -0.25f);
  EXPECT_TRUE(std::isinf(dynamic_cast<Box&>(*env.action_space()).high().item<float>()));
  EXPECT_THROW(ClipAction(std::make_shared<CountingEnv>()), TypeError);
}

TEST(TransformObservation, AppliesTheFunction) {
  auto space = std::make_shared<Box>(full({2}, -20.0, TensorOptions().dtype(kFloat32)),
                                     full({2}, 20.0, TensorOptions().dtype(kFloat32)));
  TransformObservation env(
      std::make_shared<CountingEnv>(), [](const Tensor& x) { return x * 2; }, space);
  EXPECT_FLOAT_EQ(env.reset(3).observation[1].item<float>(), 6.0f);
  EXPECT_FLOAT_EQ(env.step(action(0)).observation[0].item<float>(), 2.0f);
  EXPECT_EQ(env.observation_space(), space);
}

TEST(FrameStackObservation, PadsWithTheResetOrZeroObservation) {
  FrameStackObservation reset_padded(std::make_shared<CountingEnv>(), 3, "reset");
  const Tensor first = reset_padded.reset(4).observation;
  ASSERT_EQ(first.sizes().vec(), (std::vector<int64_t>{3, 2}));
  EXPECT_FLOAT_EQ(first[0][1].item<float>(), 4.0f);
  const Tensor second = reset_padded.step(action(0)).observation;
  EXPECT_FLOAT_EQ(second[0][0].item<float>(), 0.0f);
  EXPECT_FLOAT_EQ(second[2][0].item<float>(), 1.0f);
  EXPECT_EQ(reset_padded.observation_space()->shape(), (std::vector<int64_t>{3, 2}));

  FrameStackObservation zero_padded(std::make_shared<CountingEnv>(), 2, "zero");
  const Tensor zero_first = zero_padded.reset(4).observation;
  EXPECT_FLOAT_EQ(zero_first[0][1].item<float>(), 0.0f);
  EXPECT_FLOAT_EQ(zero_first[1][1].item<float>(), 4.0f);
  EXPECT_THROW(FrameStackObservation(std::make_shared<CountingEnv>(), 0), ValueError);
  EXPECT_THROW(FrameStackObservation(std::make_shared<CountingEnv>(), 2, "same"), ValueError);
}

}  // namespace
}  // namespace ember::env
