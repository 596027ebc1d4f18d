#include "ember/env/vector_env.h"

#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>

#include "ember/base/error.h"
#include "ember/env/env_test_support.h"

namespace ember::env {
namespace {

using testing::CountingEnv;

std::vector<std::shared_ptr<Env>> counting_envs(int n) {
  std::vector<std::shared_ptr<Env>> envs;
  for (int i = 0; i < n; ++i) envs.push_back(std::make_shared<CountingEnv>(2 + i));
  return envs;
}

// Episodes of 2 and 3 steps: NEXT_STEP autoreset resets an env on the step after it terminated,
// with reward 0 and both flags false.
void check_next_step_autoreset(VectorEnv& env) {
  VectorResetResult reset = env.reset(10);
  EXPECT_FLOAT_EQ(reset.observations[1][1].item<float>(), 11.0f);  // env i seeded 10 + i
  const Tensor actions = ones({2}, TensorOptions().dtype(kInt64));
  VectorStepResult step = env.step(actions);
  EXPECT_EQ(step.observations.data_ptr(), reset.observations.data_ptr());
  step = env.step(actions);  // env 0 terminates (2 steps)
  EXPECT_TRUE(step.terminations[0].item<bool>());
  EXPECT_FALSE(step.terminations[1].item<bool>());
  step = env.step(actions);  // env 0 autoresets, env 1 terminates
  EXPECT_DOUBLE_EQ(step.rewards[0].item<double>(), 0.0);
  EXPECT_FALSE(step.terminations[0].item<bool>());
  EXPECT_FLOAT_EQ(step.observations[0][0].item<float>(), 0.0f);
  EXPECT_EQ(std::get<bool>(step.infos[0].at("reset")), true);
  EXPECT_TRUE(step.terminations[1].item<bool>());
  step = env.step(actions);
  EXPECT_FLOAT_EQ(step.observations[0][0].item<float>(), 1.0f);
  EXPECT_DOUBLE_EQ(step.rewards[0].item<double>(), 1.0);
  EXPECT_DOUBLE_EQ(step.rewards[1].item<double>(), 0.0);
}

TEST(SyncVectorEnv, AutoresetsOnTheNextStep) {
  SyncVectorEnv env(counting_envs(2));
  EXPECT_EQ(env.num_envs(), 2);
  check_next_step_autoreset(env);
}

TEST(AsyncVectorEnv, AutoresetsOnTheNextStep) {
  AsyncVectorEnv env(counting_envs(2));
  check_next_step_autoreset(env);
  env.close();
  EXPECT_THROW(env.step(ones({2}, TensorOptions().dtype(kInt64))), RuntimeError);
}

TEST(VectorEnv, BatchesTheSpaces) {
  SyncVectorEnv env(counting_envs(3));
  EXPECT_EQ(env.observation_space()->shape(), (std::vector<int64_t>{3, 2}));
  const auto& actions = dynamic_cast<const MultiDiscrete&>(*env.action_space());
  EXPECT_EQ(actions.nvec(), (std::vector<int64_t>{2, 2, 2}));
  EXPECT_EQ(batch_space(std::make_shared<MultiBinary>(std::vector<int64_t>{4}), 2)->shape(),
            (std::vector<int64_t>{2, 4}));
}

TEST(VectorEnv, BatchSpaceCopiesTheSpacesGenerator) {
  auto space = std::make_shared<Discrete>(6);
  space->seed(7);
  std::shared_ptr<Space> batched = batch_space(space, 3);
  auto twin = std::make_shared<Discrete>(6);
  twin->seed(7);
  std::shared_ptr<Space> twin_batch = batch_space(twin, 3);
  EXPECT_TRUE(equal(batched->sample(), twin_batch->sample()));
  // The batch's draws leave the space's own generator where it was.
  EXPECT_TRUE(equal(space->sample(), twin->sample()));
}

// A CountingEnv with Dict observations {"count": (step, seed) float32, "goal": Tuple(Discrete(4),
// Box(1) int32)}: goal is (seed % 4, -step).
class GoalEnv : public CountingEnv {
 public:
  explicit GoalEnv(int64_t episode_length) : CountingEnv(episode_length) {
    set_observation_space(std::make_shared<DictSpace>(DictSpace::Entries{
        {"count", std::make_shared<Box>(-10.0, 10.0, std::vector<int64_t>{2})},
        {"goal", std::make_shared<TupleSpace>(std::vector<std::shared_ptr<Space>>{
                     std::make_shared<Discrete>(4),
                     std::make_shared<Box>(-10.0, 0.0, std::vector<int64_t>{1}, kInt32)})}}));
  }
  using Env::step;
  ResetResult reset(std::optional<uint64_t> seed = std::nullopt,
                    const Info& options = {}) override {
    ResetResult result = CountingEnv::reset(seed, options);
    result.observation = structured(result.observation);
    return result;
  }
  StepResult step(const Tensor& action) override {
    StepResult result = CountingEnv::step(action);
    result.observation = structured(result.observation);
    return result;
  }

 private:
  static Observation structured(const Tensor& count) {
    const auto step = static_cast<int32_t>(count[0].item<float>());
    const auto seed = static_cast<int64_t>(count[1].item<float>());
    return Observation::dict(
        {{"count", count},
         {"goal", Observation::tuple({scalar_tensor(seed % 4, kInt64),
                                      tensor({-step}, TensorOptions().dtype(kInt32))})}});
  }
};

// The NEXT_STEP autoreset with structured observations: each leaf is one (N, ...) tensor.
void check_structured_observations(VectorEnv& env) {
  VectorResetResult reset = env.reset(5);
  ASSERT_EQ(reset.observations.kind(), Observation::Kind::kDict);
  EXPECT_EQ(reset.observations.structure(), "Dict(count: Tensor, goal: Tuple(Tensor, Tensor))");
  const Observation& goal = reset.observations.at("goal");
  EXPECT_EQ(goal.part(0).sizes(), (std::vector<int64_t>{2}));
  EXPECT_EQ(goal.part(0).dtype(), kInt64);
  EXPECT_EQ(goal.part(1).sizes(), (std::vector<int64_t>{2, 1}));
  EXPECT_EQ(goal.part(1).dtype(), kInt32);
  EXPECT_EQ(goal.part(0)[1].item<int64_t>(), 6 % 4);  // env 1 seeded 6
  const Tensor actions = ones({2}, TensorOptions().dtype(kInt64));
  VectorStepResult step = env.step(actions);
  EXPECT_EQ(step.observations.at("goal").part(1).data_ptr(), goal.part(1).data_ptr());
  EXPECT_EQ(step.observations.at("goal").part(1)[0][0].item<int32_t>(), -1);
  EXPECT_FLOAT_EQ(step.observations.at("count")[1][0].item<float>(), 1.0f);
  step = env.step(actions);  // env 0 terminates
  EXPECT_TRUE(step.terminations[0].item<bool>());
  step = env.step(actions);  // env 0 autoresets
  EXPECT_EQ(step.observations.at("goal").part(1)[0][0].item<int32_t>(), 0);
  EXPECT_EQ(step.observations.at("goal").part(1)[1][0].item<int32_t>(), -3);
  EXPECT_EQ(dynamic_cast<const DictSpace&>(*env.observation_space()).spaces().size(), 2u);
}

TEST(SyncVectorEnv, BatchesStructuredObservations) {
  SyncVectorEnv env({std::make_shared<GoalEnv>(2), std::make_shared<GoalEnv>(3)});
  EXPECT_FALSE(env.batched());
  check_structured_observations(env);
}

TEST(AsyncVectorEnv, BatchesStructuredObservations) {
  AsyncVectorEnv env({std::make_shared<GoalEnv>(2), std::make_shared<GoalEnv>(3)});
  check_structured_observations(env);
}

// Declares Dict observations but returns tensors.
class MisshapenEnv : public CountingEnv {
 public:
  MisshapenEnv() {
    set_observation_space(std::make_shared<DictSpace>(DictSpace::Entries{
        {"position", std::make_shared<Box>(-1.0, 1.0, std::vector<int64_t>{2})}}));
  }
};

TEST(VectorEnv, RejectsObservationsUnlikeTheSpace) {
  SyncVectorEnv misshapen({std::make_shared<MisshapenEnv>(), std::make_shared<MisshapenEnv>()});
  try {
    misshapen.reset();
    FAIL() << "no error";
  } catch (const ValueError& error) {
    EXPECT_NE(std::string(error.what())
                  .find("[VectorEnv.reset env 0] expected an observation shaped like "
                        "Dict(position: Tensor); received Tensor"),
              std::string::npos)
        << error.what();
  }
}

TEST(VectorEnv, RejectsBadActionsAndSeeds) {
  SyncVectorEnv env(counting_envs(2));
  env.reset();
  EXPECT_THROW(env.step(ones({3}, TensorOptions().dtype(kInt64))), ValueError);
  EXPECT_THROW(env.reset(std::vector<std::optional<uint64_t>>{1}), ValueError);
  EXPECT_THROW(SyncVectorEnv({}), ValueError);
}

class ThrowingEnv : public CountingEnv {
 public:
  using Env::step;
  StepResult step(const Tensor&) override { throw std::runtime_error("broken env"); }
};

TEST(AsyncVectorEnv, RethrowsAWorkersException) {
  AsyncVectorEnv env({std::make_shared<CountingEnv>(), std::make_shared<ThrowingEnv>()});
  env.reset();
  EXPECT_THROW(env.step(ones({2}, TensorOptions().dtype(kInt64))), std::runtime_error);
}

}  // namespace
}  // namespace ember::env
