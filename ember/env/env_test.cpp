// Env's seeding rules and CartPole in C++. The expected observation was printed by Gymnasium 1.4:
// gymnasium.make("CartPole-v1").reset(seed=42).
#include "ember/env/env.h"

#include <gtest/gtest.h>

#include "ember/base/error.h"
#include "ember/env/builtin/cart_pole.h"
#include "ember/ops/ops.h"

namespace ember::env {
namespace {

TEST(Env, ResetWithASeedReproducesTheEpisode) {
  CartPole a, b;
  auto [obs_a, info_a] = a.reset(42);
  auto [obs_b, info_b] = b.reset(42);
  EXPECT_TRUE(obs_a.equal(obs_b));
  EXPECT_EQ(a.np_random_seed(), std::optional<uint64_t>(42));
  for (int i = 0; i < 20; ++i) {
    StepResult ra = a.step(i % 2), rb = b.step(i % 2);
    EXPECT_TRUE(ra.observation.equal(rb.observation));
    EXPECT_EQ(ra.terminated, rb.terminated);
  }
  // Without a seed the generator continues: a second reset differs from the first.
  auto again = a.reset();
  EXPECT_FALSE(again.observation.equal(obs_a));
}

TEST(Env, CartPoleMatchesGymnasium) {
  CartPole env;
  auto [obs, info] = env.reset(42);
  std::vector<float> expected{0.02739560417830944f, -0.006112155970185995f, 0.03585979342460632f,
                              0.019736802205443382f};
  ASSERT_EQ(obs.dtype(), kFloat32);
  ASSERT_EQ(obs.sizes(), IntArrayRef({4}));
  for (size_t i = 0; i < 4; ++i) EXPECT_EQ(obs.data_ptr<float>()[i], expected[i]);
  StepResult result = env.step(1);
  EXPECT_EQ(result.reward, 1.0);
  EXPECT_FALSE(result.terminated);
  EXPECT_FALSE(result.truncated);
}

TEST(Env, CartPoleTerminatesAndNeverTruncates) {
  CartPole env;
  env.reset(0);
  StepResult result;
  int steps = 0;
  do {
    result = env.step(1);
    ++steps;
  } while (!result.terminated && steps < 1000);
  EXPECT_TRUE(result.terminated);
  EXPECT_FALSE(result.truncated);
  EXPECT_EQ(result.reward, 1.0);
  EXPECT_EQ(env.step(1).reward, 0.0);  // steps beyond termination earn nothing
}

TEST(Env, BadActionsAndOrderAreErrorsNamingTheEnv) {
  CartPole env;
  EXPECT_THROW(env.step(1), RuntimeError);  // reset() first
  env.reset(1);
  try {
    env.step(2);
    FAIL();
  } catch (const ValueError& error) {
    EXPECT_NE(std::string(error.what()).find("[CartPole.step]"), std::string::npos);
    EXPECT_NE(std::string(error.what()).find("Discrete(2)"), std::string::npos);
  }
  EXPECT_THROW(env.step(tensor({1})), ValueError);         // shape (1,) is not a Discrete action
  EXPECT_THROW(env.step(scalar_tensor(1.0)), ValueError);  // nor is a float
  EXPECT_THROW(env.reset(1, {{"low", 0.1}, {"high", -0.1}}), ValueError);
}

TEST(Env, RenderDrawsAnRgbArray) {
  CartPole env({false, "rgb_array"});
  env.reset(3);
  auto frame = env.render();
  ASSERT_TRUE(frame.has_value());
  EXPECT_EQ(frame->sizes(), IntArrayRef({400, 600, 3}));
  EXPECT_EQ(frame->dtype(), kUInt8);
  EXPECT_FALSE(CartPole().render().has_value());  // no render mode
}

}  // namespace
}  // namespace ember::env
