// The built-in environments' batched vector step. BuiltinBatch keeps what every env shares (the
// TimeLimit counters, NEXT_STEP autoreset, the action checks, the output rows); a kernel per
// environment keeps the states side by side and advances them with that environment's own step
// and reset functions (CartPole's equations are inline, cart_pole_dynamics.h), so the math lives
// once. Compiled, like the environments, without FMA contraction.
#include "ember/env/builtin/batched_envs.h"

#include <limits>
#include <optional>
#include <tuple>
#include <typeinfo>
#include <utility>

#include "ember/base/error.h"
#include "ember/env/builtin/acrobot.h"
#include "ember/env/builtin/cart_pole.h"
#include "ember/env/builtin/cart_pole_dynamics.h"
#include "ember/env/builtin/mountain_car.h"
#include "ember/env/builtin/pendulum.h"
#include "ember/env/wrappers.h"

namespace ember::env {
namespace {

// One env's action: a Discrete index, or a Box (1,) value with whether the actions are float32
// (the continuous environments then compute in float32, as numpy does).
struct BatchAction {
  int64_t index = 0;
  double value = 0.0;
  bool float32 = false;
};

// The reset options of an autoreset: none.
const Info kNoOptions;

// CartPole: the four state variables in arrays of their own.
class CartPoleKernel {
 public:
  using EnvType = CartPole;
  static constexpr int64_t kObservationSize = 4;
  static constexpr bool kDiscrete = true;

  explicit CartPoleKernel(size_t n)
      : x_(n),
        x_dot_(n),
        theta_(n),
        theta_dot_(n),
        steps_beyond_terminated_(n),
        sutton_barto_reward_(n) {}

  void load(size_t i, const CartPole& env) {
    set(i, env.state());
    steps_beyond_terminated_[i] = env.steps_beyond_terminated();
    sutton_barto_reward_[i] = env.sutton_barto_reward();
  }
  void store(size_t i, CartPole& env) const {
    env.set_state({x_[i], x_dot_[i], theta_[i], theta_dot_[i]});
    env.set_steps_beyond_terminated(steps_beyond_terminated_[i]);
  }
  void reset(size_t i, CartPole& env) {
    set(i, cart_pole::initial_state(env.np_random(), cart_pole::kResetLow, cart_pole::kResetHigh));
    steps_beyond_terminated_[i].reset();
  }
  std::pair<double, bool> step(size_t i, const CartPole& /*env*/, const BatchAction& action) {
    bool terminated = cart_pole::advance(x_[i], x_dot_[i], theta_[i], theta_dot_[i], action.index);
    return {
        cart_pole::reward(terminated, steps_beyond_terminated_[i], sutton_barto_reward_[i] != 0),
        terminated};
  }
  void observe(size_t i, float* out) const {
    out[0] = static_cast<float>(x_[i]);
    out[1] = static_cast<float>(x_dot_[i]);
    out[2] = static_cast<float>(theta_[i]);
    out[3] = static_cast<float>(theta_dot_[i]);
  }

 private:
  void set(size_t i, const std::array<double, 4>& state) {
    x_[i] = state[0];
    x_dot_[i] = state[1];
    theta_[i] = state[2];
    theta_dot_[i] = state[3];
  }

  std::vector<double> x_, x_dot_, theta_, theta_dot_;
  std::vector<std::optional<int64_t>> steps_beyond_terminated_;
  std::vector<uint8_t> sutton_barto_reward_;
};

class MountainCarKernel {
 public:
  using EnvType = MountainCar;
  static constexpr int64_t kObservationSize = 2;
  static constexpr bool kDiscrete = true;

  explicit MountainCarKernel(size_t n) : states_(n) {}
  void load(size_t i, const MountainCar& env) { states_[i] = env.state(); }
  void store(size_t i, MountainCar& env) const { env.set_state(states_[i]); }
  void reset(size_t i, MountainCar& env) { states_[i] = env.initial_state(kNoOptions); }
  std::pair<double, bool> step(size_t i, const MountainCar& env, const BatchAction& action) {
    return {-1.0, env.advance(states_[i], action.index)};
  }
  void observe(size_t i, float* out) const { mountain_car_observation(states_[i], out); }

 private:
  std::vector<std::array<double, 2>> states_;
};

class MountainCarContinuousKernel {
 public:
  using EnvType = MountainCarContinuous;
  static constexpr int64_t kObservationSize = 2;
  static constexpr bool kDiscrete = false;

  explicit MountainCarContinuousKernel(size_t n) : states_(n), is_float32_(n) {}
  void load(size_t i, const MountainCarContinuous& env) {
    states_[i] = env.state();
    is_float32_[i] = env.state_is_float32();
  }
  void store(size_t i, MountainCarContinuous& env) const {
    env.set_state(states_[i], is_float32_[i] != 0);
  }
  void reset(size_t i, MountainCarContinuous& env) {
    states_[i] = env.initial_state(kNoOptions);
    is_float32_[i] = false;
  }
  std::pair<double, bool> step(size_t i, const MountainCarContinuous& env,
                               const BatchAction& action) {
    auto result = env.advance(states_[i], is_float32_[i] != 0, action.value, action.float32);
    is_float32_[i] = true;
    return result;
  }
  void observe(size_t i, float* out) const { mountain_car_observation(states_[i], out); }

 private:
  std::vector<std::array<double, 2>> states_;
  std::vector<uint8_t> is_float32_;
};

class PendulumKernel {
 public:
  using EnvType = Pendulum;
  static constexpr int64_t kObservationSize = 3;
  static constexpr bool kDiscrete = false;

  explicit PendulumKernel(size_t n) : states_(n) {}
  void load(size_t i, const Pendulum& env) { states_[i] = env.state(); }
  void store(size_t i, Pendulum& env) const { env.set_state(states_[i]); }
  void reset(size_t i, Pendulum& env) { states_[i] = env.initial_state(kNoOptions); }
  std::pair<double, bool> step(size_t i, const Pendulum& env, const BatchAction& action) {
    return {env.advance(states_[i], action.value, action.float32), false};
  }
  void observe(size_t i, float* out) const { Pendulum::observe(states_[i], out); }

 private:
  std::vector<std::array<double, 2>> states_;
};

class AcrobotKernel {
 public:
  using EnvType = Acrobot;
  static constexpr int64_t kObservationSize = 6;
  static constexpr bool kDiscrete = true;

  explicit AcrobotKernel(size_t n) : states_(n) {}
  void load(size_t i, const Acrobot& env) { states_[i] = env.state(); }
  void store(size_t i, Acrobot& env) const { env.set_state(states_[i]); }
  void reset(size_t i, Acrobot& env) { states_[i] = env.initial_state(kNoOptions); }
  std::pair<double, bool> step(size_t i, const Acrobot& /*env*/, const BatchAction& action) {
    bool terminated = Acrobot::advance(states_[i], action.index);
    return {terminated ? 0.0 : -1.0, terminated};
  }
  void observe(size_t i, float* out) const { Acrobot::observe(states_[i], out); }

 private:
  std::vector<std::array<double, 4>> states_;
};

template <typename Kernel>
class BuiltinBatch final : public BatchedEnvs {
 public:
  using EnvType = typename Kernel::EnvType;

  BuiltinBatch(std::vector<EnvType*> envs, std::vector<TimeLimit*> time_limits)
      : envs_(std::move(envs)),
        time_limits_(std::move(time_limits)),
        kernel_(envs_.size()),
        elapsed_steps_(envs_.size()),
        max_episode_steps_(envs_.size()) {
    for (size_t i = 0; i < envs_.size(); ++i) {
      max_episode_steps_[i] = time_limits_[i] ? time_limits_[i]->max_episode_steps()
                                              : std::numeric_limits<int64_t>::max();
    }
  }

  void step(const Tensor& actions, const BatchedStepOutputs& outputs) override {
    const Tensor values = checked_actions(actions);
    if (!holds_states_) load();
    const bool float32 = actions.dtype() == kFloat32;
    const int64_t* indices = Kernel::kDiscrete ? values.data_ptr<int64_t>() : nullptr;
    const double* box_values = Kernel::kDiscrete ? nullptr : values.data_ptr<double>();
    float* observation = outputs.observations.data_ptr<float>();
    for (size_t i = 0; i < envs_.size(); ++i) {
      double reward = 0.0;
      bool terminated = false;
      bool truncated = false;
      if (outputs.autoreset[i]) {
        kernel_.reset(i, *envs_[i]);
        elapsed_steps_[i] = 0;
      } else {
        BatchAction action;
        if constexpr (Kernel::kDiscrete) {
          action.index = indices[i];
        } else {
          action.value = box_values[i];
          action.float32 = float32;
        }
        std::tie(reward, terminated) = kernel_.step(i, *envs_[i], action);
        truncated = ++elapsed_steps_[i] >= max_episode_steps_[i];
      }
      kernel_.observe(i, observation + Kernel::kObservationSize * static_cast<int64_t>(i));
      outputs.rewards[i] = reward;
      outputs.terminations[i] = terminated;
      outputs.truncations[i] = truncated;
    }
  }

  void release() override {
    if (!holds_states_) return;
    for (size_t i = 0; i < envs_.size(); ++i) {
      kernel_.store(i, *envs_[i]);
      if (time_limits_[i]) time_limits_[i]->set_elapsed_steps(elapsed_steps_[i]);
    }
    holds_states_ = false;
  }

 private:
  // The actions as contiguous int64 (Discrete) or float64 (Box (1,)) values, after the checks
  // the env's own step makes of each row: the first bad row throws that step's error.
  Tensor checked_actions(const Tensor& actions) const {
    if constexpr (Kernel::kDiscrete) {
      const auto& space = static_cast<const Discrete&>(*envs_[0]->action_space());
      const bool integral = actions.dim() == 1 && is_integral(actions.dtype(), false);
      Tensor values = integral ? actions.to(Device(kCPU), kInt64).contiguous() : Tensor();
      const int64_t* indices = integral ? values.data_ptr<int64_t>() : nullptr;
      for (size_t i = 0; i < envs_.size(); ++i) {
        if (integral && space.contains(indices[i])) continue;
        check_action(*envs_[i], actions.select(0, static_cast<int64_t>(i)));
      }
      return values;
    } else {
      // Box actions of shape (1,), any real dtype; the environments clip their values.
      if (actions.dim() != 2 || actions.size(1) != 1 || actions.dtype() == kBool) {
        box_action_values(*envs_[0], actions.select(0, 0));  // throws the env's error
      }
      return actions.to(Device(kCPU), kFloat64).contiguous();
    }
  }

  void load() {
    for (size_t i = 0; i < envs_.size(); ++i) {
      const EnvType& env = *envs_[i];
      EMBER_CHECK(env.has_state(), "[", env.name(), ".step] expected reset() before step()");
      kernel_.load(i, env);
      elapsed_steps_[i] = time_limits_[i] ? time_limits_[i]->elapsed_steps() : 0;
    }
    holds_states_ = true;
  }

  std::vector<EnvType*> envs_;
  std::vector<TimeLimit*> time_limits_;  // null for a bare env
  Kernel kernel_;
  std::vector<int64_t> elapsed_steps_;
  std::vector<int64_t> max_episode_steps_;
  bool holds_states_ = false;
};

// The batch when every env is a Kernel::EnvType (bare or in a TimeLimit); null otherwise.
template <typename Kernel>
std::unique_ptr<BatchedEnvs> batch_of(const std::vector<std::shared_ptr<Env>>& envs) {
  using EnvType = typename Kernel::EnvType;
  std::vector<EnvType*> inner;
  std::vector<TimeLimit*> time_limits;
  for (const auto& env : envs) {
    WithoutTimeLimit parts = without_time_limit(*env);
    if (typeid(*parts.env) != typeid(EnvType)) return nullptr;
    inner.push_back(static_cast<EnvType*>(parts.env));
    time_limits.push_back(parts.time_limit);
  }
  return std::make_unique<BuiltinBatch<Kernel>>(std::move(inner), std::move(time_limits));
}

}  // namespace

std::unique_ptr<BatchedEnvs> make_builtin_batch(const std::vector<std::shared_ptr<Env>>& envs) {
  for (auto make : {&batch_of<CartPoleKernel>, &batch_of<MountainCarKernel>,
                    &batch_of<MountainCarContinuousKernel>, &batch_of<PendulumKernel>,
                    &batch_of<AcrobotKernel>}) {
    if (auto batch = make(envs)) return batch;
  }
  return nullptr;
}

}  // namespace ember::env
