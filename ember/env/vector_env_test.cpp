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

// A CountingEnv that declares Dict observations.
class DictObservationEnv : public CountingEnv {
 public:
  DictObservationEnv() {
    set_observation_space(std::make_shared<DictSpace>(DictSpace::Entries{
        {"position", std::make_shared<Box>(-1.0, 1.0, std::vector<int64_t>{2})}}));
  }
};

TEST(VectorEnv, RejectsEnvsWithStructuredObservations) {
  std::vector<std::shared_ptr<Env>> envs{std::make_shared<DictObservationEnv>()};
  try {
    SyncVectorEnv vector(envs);
    FAIL() << "no error";
  } catch (const TypeError& error) {
    EXPECT_NE(std::string(error.what())
                  .find("[VectorEnv] expected envs whose observations are "
                        "tensors; received Dict("),
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
