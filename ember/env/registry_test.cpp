#include "ember/env/registry.h"

#include <gtest/gtest.h>

#include <memory>

#include "ember/base/error.h"
#include "ember/env/env_test_support.h"
#include "ember/env/wrappers.h"

namespace ember::env {
namespace {

TEST(Registry, MakeAppliesTheSpecsTimeLimitAndKwargs) {
  register_env(
      {"test/Counting-v0", "", 4, {{"episode_length", int64_t{100}}}},
      [](const EnvKwargs& kwargs) {
        return std::make_shared<testing::CountingEnv>(
            kwarg_or<int64_t>(kwargs, "test/Counting-v0", "episode_length", 5));
      },
      10.0);
  auto env = make("test/Counting-v0");
  auto* limit = dynamic_cast<TimeLimit*>(env.get());
  ASSERT_NE(limit, nullptr);
  EXPECT_EQ(limit->max_episode_steps(), 4);
  EXPECT_EQ(dynamic_cast<TimeLimit&>(*make("test/Counting-v0", {}, 7)).max_episode_steps(), 7);
  auto short_env = make("test/Counting-v0", {{"episode_length", int64_t{1}}});
  short_env->reset(0);
  EXPECT_TRUE(short_env->step(testing::action(0)).terminated);
  EXPECT_EQ(registration("test/Counting-v0").reward_threshold, 10.0);
  ASSERT_NE(env->spec(), nullptr);
  EXPECT_EQ(env->spec()->id, "test/Counting-v0");
  EXPECT_EQ(std::get<int64_t>(env->spec()->kwargs.at("episode_length")), 100);
  EXPECT_TRUE(is_registered("test/Counting-v0"));
  EXPECT_THROW(make("test/Counting-v0", {{"episode_length", std::string("long")}}), TypeError);
  EXPECT_TRUE(unregister_env("test/Counting-v0"));
  EXPECT_THROW(make("test/Counting-v0"), ValueError);
}

TEST(Registry, RejectsAnEmptyIdOrFactory) {
  EXPECT_THROW(
      register_env({"", "", std::nullopt, {}},
                   [](const EnvKwargs&) { return std::make_shared<testing::CountingEnv>(); }),
      ValueError);
  EXPECT_THROW(register_env({"test/None-v0", "", std::nullopt, {}}, nullptr), ValueError);
}

// Gymnasium's EnvSpec carries reward_threshold: make() puts it on env.spec (built-in and
// registered envs alike), and nondeterministic travels with the spec.
TEST(Registry, SpecCarriesRewardThresholdAndNondeterministic) {
  EXPECT_EQ(make("CartPole-v1")->spec()->reward_threshold, std::optional<double>(475.0));
  EnvSpec spec{"test/Threshold-v0", "", std::nullopt, {}};
  spec.nondeterministic = true;
  register_env(
      spec, [](const EnvKwargs&) { return std::make_shared<testing::CountingEnv>(); }, 12.5);
  std::shared_ptr<Env> env = make("test/Threshold-v0");
  EXPECT_EQ(env->spec()->reward_threshold, std::optional<double>(12.5));
  EXPECT_TRUE(env->spec()->nondeterministic);
  EXPECT_EQ(registration("test/Threshold-v0").reward_threshold, std::optional<double>(12.5));
  unregister_env("test/Threshold-v0");
}

}  // namespace
}  // namespace ember::env
