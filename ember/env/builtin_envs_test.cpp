// The built-in environments in C++ against Gymnasium: each expected value below was printed by
// Gymnasium 1.4 (numpy 2.4) after reset(seed=42) and the five actions listed, as the final
// observation and the sum of the rewards. test_env_gymnasium.py compares thousands of steps.
#include <gtest/gtest.h>

#include <functional>
#include <memory>

#include "ember/base/error.h"
#include "ember/env/builtin/acrobot.h"
#include "ember/env/builtin/cart_pole.h"
#include "ember/env/builtin/mountain_car.h"
#include "ember/env/builtin/pendulum.h"
#include "ember/ops/ops.h"

namespace ember::env {
namespace {

struct Case {
  std::function<std::unique_ptr<Env>()> make;
  std::vector<Tensor> actions;
  std::vector<float> observation;
  double return_;
};

Tensor force(float value) { return tensor({value}); }

std::vector<Case> cases() {
  auto discrete = [](std::initializer_list<int64_t> actions) {
    std::vector<Tensor> out;
    for (int64_t action : actions) out.push_back(scalar_tensor(action, kInt64));
    return out;
  };
  return {
      {[] { return std::make_unique<MountainCar>(); },
       discrete({2, 2, 0, 1, 2}),
       {-0.44698700308799744f, -0.0009220809442922473f},
       -5.0},
      {[] { return std::make_unique<MountainCarContinuous>(); },
       {force(0.5f), force(1.5f), force(-0.25f), force(0.0f), force(1.0f)},
       {-0.4438803195953369f, 0.0004355678684078157f},
       -0.35624999999999996},
      {[] { return std::make_unique<Pendulum>(); },
       {force(1.0f), force(-2.5f), force(0.3f), force(2.0f), force(0.0f)},
       {-0.6283257007598877f, 0.7779504060745239f, 3.641894578933716f},
       -18.82790777254617},
      {[] { return std::make_unique<Acrobot>(); },
       discrete({0, 2, 1, 2, 0}),
       {0.9982560276985168f, -0.059033140540122986f, 0.9833953380584717f, 0.18147628009319305f,
        -0.12737414240837097f, 0.04751425236463547f},
       -5.0},
  };
}

TEST(BuiltinEnvs, MatchGymnasium) {
  for (const Case& c : cases()) {
    auto env = c.make();
    env->reset(42);
    double total = 0;
    StepResult result;
    for (const Tensor& action : c.actions) {
      result = env->step(action);
      total += result.reward;
      EXPECT_FALSE(result.truncated);
    }
    ASSERT_EQ(result.observation.numel(), static_cast<int64_t>(c.observation.size()));
    for (size_t i = 0; i < c.observation.size(); ++i) {
      EXPECT_EQ(result.observation.data_ptr<float>()[i], c.observation[i]) << env->name() << i;
    }
    EXPECT_EQ(total, c.return_) << env->name();
    EXPECT_TRUE(env->observation_space()->contains(result.observation)) << env->name();
  }
}

TEST(BuiltinEnvs, RenderSizesAreGymnasiums) {
  EXPECT_EQ(CartPole({false, "rgb_array"}).metadata().render_fps, 50);
  std::vector<std::pair<std::unique_ptr<Env>, std::vector<int64_t>>> envs;
  envs.emplace_back(std::make_unique<MountainCar>(MountainCarOptions{0, "rgb_array"}),
                    std::vector<int64_t>{400, 600, 3});
  envs.emplace_back(std::make_unique<MountainCarContinuous>(MountainCarOptions{0, "rgb_array"}),
                    std::vector<int64_t>{400, 600, 3});
  envs.emplace_back(std::make_unique<Pendulum>(PendulumOptions{10.0, "rgb_array"}),
                    std::vector<int64_t>{500, 500, 3});
  envs.emplace_back(std::make_unique<Acrobot>(AcrobotOptions{"rgb_array"}),
                    std::vector<int64_t>{500, 500, 3});
  for (auto& [env, shape] : envs) {
    env->reset(0);
    auto frame = env->render();
    ASSERT_TRUE(frame.has_value()) << env->name();
    EXPECT_EQ(frame->sizes(), IntArrayRef(shape)) << env->name();
    EXPECT_EQ(frame->dtype(), kUInt8);
  }
}

TEST(BuiltinEnvs, BadActionsAreValueErrorsNamingTheEnv) {
  Pendulum pendulum;
  pendulum.reset(0);
  EXPECT_THROW(pendulum.step(tensor({1.0f, 2.0f})), ValueError);  // shape (2,), not (1,)
  EXPECT_THROW(pendulum.step(scalar_tensor(1.0)), ValueError);    // a scalar, not (1,)
  pendulum.step(force(5.0f));  // out of bounds: clipped, as Gymnasium
  Acrobot acrobot;
  acrobot.reset(0);
  try {
    acrobot.step(3);
    FAIL();
  } catch (const ValueError& error) {
    EXPECT_NE(std::string(error.what()).find("[Acrobot.step]"), std::string::npos);
  }
  MountainCar car;
  EXPECT_THROW(car.step(1), RuntimeError);  // reset() first
  EXPECT_THROW(car.reset(0, {{"low", -0.1}, {"high", -0.2}}), ValueError);
}

}  // namespace
}  // namespace ember::env
