// The batched vector step (ember/env/vector_batched.h) of every built-in env against the envs
// stepped one by one: the same stacks behind a plain Wrapper take SyncVectorEnv's generic path.
#include "ember/env/vector_batched.h"

#include <gtest/gtest.h>

#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "ember/base/error.h"
#include "ember/env/builtin/cart_pole.h"
#include "ember/env/registry.h"
#include "ember/env/vector_env.h"
#include "ember/env/wrappers.h"
#include "ember/ops/ops.h"

namespace ember::env {
namespace {

constexpr int kNumEnvs = 16;

// kNumEnvs envs made as make(id) does; behind a plain Wrapper (generic) they step one by one.
std::vector<std::shared_ptr<Env>> made_envs(const std::string& id, bool generic,
                                            std::optional<int64_t> max_episode_steps = {}) {
  std::vector<std::shared_ptr<Env>> envs;
  for (int i = 0; i < kNumEnvs; ++i) {
    std::shared_ptr<Env> env = make(id, {}, max_episode_steps);
    envs.push_back(generic ? std::make_shared<Wrapper>(env) : env);
  }
  return envs;
}

std::vector<std::shared_ptr<Env>> cart_poles(bool generic) {
  return made_envs("CartPole-v1", generic);
}

std::vector<std::optional<uint64_t>> seeds() {
  std::vector<std::optional<uint64_t>> out;
  for (int i = 0; i < kNumEnvs; ++i) out.emplace_back(1000 + 7 * i);
  return out;
}

void expect_same_bytes(const Tensor& a, const Tensor& b, const std::string& what) {
  ASSERT_EQ(a.sizes(), b.sizes()) << what;
  ASSERT_EQ(a.dtype(), b.dtype()) << what;
  EXPECT_EQ(std::memcmp(a.data_ptr(), b.data_ptr(), a.nbytes()), 0) << what;
}

using ActionMaker = std::function<Tensor(const Tensor& observations, std::mt19937& random)>;

// Half the envs balance the pole (so that episodes reach TimeLimit's 500 steps), half act at
// random (so that they terminate).
Tensor cart_pole_actions(const Tensor& observations, std::mt19937& random) {
  std::vector<int64_t> actions(kNumEnvs);
  const float* obs = observations.data_ptr<float>();
  for (int i = 0; i < kNumEnvs; ++i) {
    actions[i] = i % 2 == 0 ? (obs[4 * i + 2] + obs[4 * i + 3] > 0 ? 1 : 0) : random() % 2;
  }
  return from_blob_copy(actions.data(), {kNumEnvs}, kInt64);
}

ActionMaker discrete_actions(int64_t n) {
  return [n](const Tensor&, std::mt19937& random) {
    std::vector<int64_t> actions(kNumEnvs);
    for (int64_t& action : actions) action = static_cast<int64_t>(random() % n);
    return from_blob_copy(actions.data(), {kNumEnvs}, kInt64);
  };
}

// Box (1,) actions beyond the bounds too (the envs clip them), float32 or float64.
ActionMaker box_actions(double bound, ScalarType dtype) {
  return [bound, dtype](const Tensor&, std::mt19937& random) {
    std::uniform_real_distribution<double> value(-1.5 * bound, 1.5 * bound);
    std::vector<double> actions(kNumEnvs);
    for (double& action : actions) action = value(random);
    return from_blob_copy(actions.data(), {kNumEnvs, 1}, kFloat64).to(dtype);
  };
}

// Steps both vector envs side by side; returns the numbers of terminations and truncations.
std::pair<int64_t, int64_t> expect_bit_identical(VectorEnv& batched, VectorEnv& generic,
                                                 const ActionMaker& next_actions, int steps) {
  EXPECT_TRUE(batched.batched());
  EXPECT_FALSE(generic.batched());
  Tensor observations = batched.reset(seeds()).observations;
  expect_same_bytes(observations, generic.reset(seeds()).observations, "reset");
  std::mt19937 random(3);
  int64_t terminations = 0, truncations = 0;
  for (int step = 0; step < steps; ++step) {
    Tensor actions = next_actions(observations, random);
    VectorStepResult ours = batched.step(actions);
    VectorStepResult theirs = generic.step(actions);
    const std::string what = "step " + std::to_string(step);
    expect_same_bytes(ours.observations, theirs.observations, what);
    expect_same_bytes(ours.rewards, theirs.rewards, what);
    expect_same_bytes(ours.terminations, theirs.terminations, what);
    expect_same_bytes(ours.truncations, theirs.truncations, what);
    for (int i = 0; i < kNumEnvs; ++i) {  // the built-in envs' infos are empty
      EXPECT_TRUE(ours.infos[i].empty() && theirs.infos[i].empty()) << what;
    }
    terminations += ours.terminations.sum().item<int64_t>();
    truncations += ours.truncations.sum().item<int64_t>();
    observations = ours.observations;
    if (step % 997 == 0) {
      // Handing the envs out gives them the batch's states; the next step reads them again.
      for (int i = 0; i < kNumEnvs; ++i) {
        auto& ours_env = dynamic_cast<TimeLimit&>(*batched.envs()[i]);
        auto& theirs_env =
            dynamic_cast<TimeLimit&>(*dynamic_cast<Wrapper&>(*generic.envs()[i]).env());
        EXPECT_EQ(ours_env.elapsed_steps(), theirs_env.elapsed_steps());
      }
    }
  }
  return {terminations, truncations};
}

TEST(BatchedVectorEnv, CartPoleMatchesTheEnvsSteppedOneByOneBitForBit) {
  SyncVectorEnv batched(cart_poles(false));
  SyncVectorEnv generic(cart_poles(true));
  auto [terminations, truncations] =
      expect_bit_identical(batched, generic, cart_pole_actions, 3000);
  EXPECT_GT(terminations, 100);
  EXPECT_GT(truncations, 10);  // TimeLimit's 500 steps
  for (int i = 0; i < kNumEnvs; ++i) {
    EXPECT_EQ(dynamic_cast<CartPole&>(*batched.envs()[i]->unwrapped()).state(),
              dynamic_cast<CartPole&>(*generic.envs()[i]->unwrapped()).state());
  }
}

TEST(BatchedVectorEnv, EveryBuiltinEnvMatchesTheEnvsSteppedOneByOneBitForBit) {
  const std::vector<std::pair<std::string, ActionMaker>> cases{
      {"MountainCar-v0", discrete_actions(3)},
      {"Acrobot-v1", discrete_actions(3)},
      {"Pendulum-v1", box_actions(2.0, kFloat32)},
      {"Pendulum-v1", box_actions(2.0, kFloat64)},
      {"MountainCarContinuous-v0", box_actions(1.0, kFloat32)},
      {"MountainCarContinuous-v0", box_actions(1.0, kFloat64)},
  };
  for (const auto& [id, actions] : cases) {
    SCOPED_TRACE(id);
    SyncVectorEnv batched(made_envs(id, false, 60));
    SyncVectorEnv generic(made_envs(id, true, 60));
    auto [terminations, truncations] = expect_bit_identical(batched, generic, actions, 1000);
    EXPECT_GT(truncations, 100);
  }
}

TEST(BatchedVectorEnv, ReadsEnvsChangedBetweenSteps) {
  SyncVectorEnv batched(cart_poles(false));
  SyncVectorEnv generic(cart_poles(true));
  batched.reset(seeds());
  generic.reset(seeds());
  const Tensor actions = ones({kNumEnvs}, TensorOptions().dtype(kInt64));
  batched.step(actions);
  generic.step(actions);
  batched.envs()[3]->reset(99);
  generic.envs()[3]->reset(99);
  expect_same_bytes(batched.step(actions).observations, generic.step(actions).observations,
                    "after an env's own reset");
}

TEST(BatchedVectorEnv, OnlyForOneBuiltinEnvBareOrInATimeLimit) {
  EXPECT_TRUE(
      SyncVectorEnv({std::make_shared<CartPole>(), std::make_shared<CartPole>()}).batched());
  EXPECT_TRUE(SyncVectorEnv({make("CartPole-v1"), std::make_shared<CartPole>()}).batched());
  EXPECT_FALSE(SyncVectorEnv({make("CartPole-v1"), make("MountainCar-v0")}).batched());
  EXPECT_TRUE(SyncVectorEnv({make("Acrobot-v1"), make("Acrobot-v1")}).batched());
  EXPECT_FALSE(
      SyncVectorEnv({std::make_shared<RecordEpisodeStatistics>(make("CartPole-v1"))}).batched());
  EXPECT_FALSE(AsyncVectorEnv({make("CartPole-v1")}, 1).batched());
}

// The error of the envs' own step, before any env has stepped.
void expect_rejected(const Tensor& actions, const std::string& id = "CartPole-v1") {
  SyncVectorEnv batched(made_envs(id, false));
  SyncVectorEnv generic(made_envs(id, true));
  batched.reset(seeds());
  generic.reset(seeds());
  std::string ours, theirs;
  try {
    batched.step(actions);
  } catch (const ValueError& error) {
    ours = error.what();
  }
  try {
    generic.step(actions);
  } catch (const ValueError& error) {
    theirs = error.what();
  }
  EXPECT_FALSE(ours.empty()) << actions.sizes();
  EXPECT_EQ(ours, theirs);
  // No env stepped: the batch continues from the reset states.
  SyncVectorEnv fresh(made_envs(id, false));
  fresh.reset(seeds());
  Tensor good =
      id == "Pendulum-v1" ? zeros({kNumEnvs, 1}) : zeros({kNumEnvs}, TensorOptions().dtype(kInt64));
  expect_same_bytes(batched.step(good).observations, fresh.step(good).observations, "after");
}
TEST(BatchedVectorEnv, BadActionsAreTheEnvsValueErrors) {
  std::vector<int64_t> values(kNumEnvs, 1);
  values[5] = 2;
  expect_rejected(from_blob_copy(values.data(), {kNumEnvs}, kInt64));  // out of range
  values[5] = -1;
  expect_rejected(from_blob_copy(values.data(), {kNumEnvs}, kInt64));
  expect_rejected(ones({kNumEnvs}, TensorOptions().dtype(kFloat32)));  // not integral
  expect_rejected(ones({kNumEnvs}, TensorOptions().dtype(kBool)));
  expect_rejected(ones({kNumEnvs, 1}, TensorOptions().dtype(kInt64)));  // a row per env
  expect_rejected(ones({kNumEnvs}), "Pendulum-v1");                     // Box (1,) rows
  expect_rejected(ones({kNumEnvs, 2}), "Pendulum-v1");
  expect_rejected(ones({kNumEnvs, 1}, TensorOptions().dtype(kBool)), "Pendulum-v1");
  SyncVectorEnv batched(cart_poles(false));
  EXPECT_THROW(batched.step(ones({kNumEnvs + 1}, TensorOptions().dtype(kInt64))), ValueError);
  EXPECT_THROW(batched.step(ones({kNumEnvs}, TensorOptions().dtype(kInt64))), RuntimeError);
}

TEST(BatchedVectorEnv, Int32ActionsStepLikeInt64) {
  SyncVectorEnv int32(cart_poles(false));
  SyncVectorEnv int64(cart_poles(false));
  int32.reset(seeds());
  int64.reset(seeds());
  for (int step = 0; step < 50; ++step) {
    expect_same_bytes(int32.step(ones({kNumEnvs}, TensorOptions().dtype(kInt32))).observations,
                      int64.step(ones({kNumEnvs}, TensorOptions().dtype(kInt64))).observations,
                      "int32");
  }
}

}  // namespace
}  // namespace ember::env
