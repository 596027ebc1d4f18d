// CartPole-v1's batched vector step: the states side by side, advanced by the single env's
// equations (cart_pole_dynamics.h), compiled like them without FMA contraction.
#include "ember/env/builtin/cart_pole_batch.h"

#include <limits>
#include <optional>
#include <typeinfo>

#include "ember/base/error.h"
#include "ember/env/builtin/cart_pole.h"
#include "ember/env/builtin/cart_pole_dynamics.h"
#include "ember/env/wrappers.h"

namespace ember::env {
namespace {

class CartPoleBatch final : public BatchedEnvs {
 public:
  CartPoleBatch(std::vector<CartPole*> envs, std::vector<TimeLimit*> time_limits)
      : envs_(std::move(envs)), time_limits_(std::move(time_limits)) {
    const size_t n = envs_.size();
    x_.resize(n);
    x_dot_.resize(n);
    theta_.resize(n);
    theta_dot_.resize(n);
    steps_beyond_terminated_.resize(n);
    elapsed_steps_.resize(n);
    max_episode_steps_.resize(n);
    sutton_barto_reward_.resize(n);
    for (size_t i = 0; i < n; ++i) {
      max_episode_steps_[i] = time_limits_[i] ? time_limits_[i]->max_episode_steps()
                                              : std::numeric_limits<int64_t>::max();
      sutton_barto_reward_[i] = envs_[i]->sutton_barto_reward();
    }
  }

  void step(const Tensor& actions, const BatchedStepOutputs& outputs) override {
    Tensor values = checked_actions(actions);
    if (!holds_states_) load();
    const int64_t* action = values.data_ptr<int64_t>();
    float* observation = outputs.observations.data_ptr<float>();
    for (size_t i = 0; i < envs_.size(); ++i) {
      double reward = 0.0;
      bool terminated = false;
      bool truncated = false;
      if (outputs.autoreset[i]) {
        auto state = cart_pole::initial_state(envs_[i]->np_random(), cart_pole::kResetLow,
                                              cart_pole::kResetHigh);
        x_[i] = state[0];
        x_dot_[i] = state[1];
        theta_[i] = state[2];
        theta_dot_[i] = state[3];
        steps_beyond_terminated_[i].reset();
        elapsed_steps_[i] = 0;
      } else {
        terminated = cart_pole::advance(x_[i], x_dot_[i], theta_[i], theta_dot_[i], action[i]);
        reward = cart_pole::reward(terminated, steps_beyond_terminated_[i],
                                   sutton_barto_reward_[i] != 0);
        truncated = ++elapsed_steps_[i] >= max_episode_steps_[i];
      }
      observation[4 * i] = static_cast<float>(x_[i]);
      observation[4 * i + 1] = static_cast<float>(x_dot_[i]);
      observation[4 * i + 2] = static_cast<float>(theta_[i]);
      observation[4 * i + 3] = static_cast<float>(theta_dot_[i]);
      outputs.rewards[i] = reward;
      outputs.terminations[i] = terminated;
      outputs.truncations[i] = truncated;
    }
  }

  void release() override {
    if (!holds_states_) return;
    for (size_t i = 0; i < envs_.size(); ++i) {
      envs_[i]->set_state({x_[i], x_dot_[i], theta_[i], theta_dot_[i]});
      envs_[i]->set_steps_beyond_terminated(steps_beyond_terminated_[i]);
      if (time_limits_[i]) time_limits_[i]->set_elapsed_steps(elapsed_steps_[i]);
    }
    holds_states_ = false;
  }

 private:
  // The actions as contiguous int64, after the checks CartPole.step makes of each row (the
  // first bad row throws its error).
  Tensor checked_actions(const Tensor& actions) const {
    const bool integral = actions.dim() == 1 && is_integral(actions.dtype(), false);
    Tensor values = integral ? actions.to(kInt64).contiguous() : Tensor();
    for (size_t i = 0; i < envs_.size(); ++i) {
      if (integral) {
        const int64_t value = values.data_ptr<int64_t>()[i];
        if (value == 0 || value == 1) continue;
      }
      check_action(*envs_[i], actions.select(0, static_cast<int64_t>(i)));
    }
    return values;
  }

  void load() {
    for (size_t i = 0; i < envs_.size(); ++i) {
      const CartPole& env = *envs_[i];
      EMBER_CHECK(env.has_state(), "[CartPole.step] expected reset() before step()");
      x_[i] = env.state()[0];
      x_dot_[i] = env.state()[1];
      theta_[i] = env.state()[2];
      theta_dot_[i] = env.state()[3];
      steps_beyond_terminated_[i] = env.steps_beyond_terminated();
      elapsed_steps_[i] = time_limits_[i] ? time_limits_[i]->elapsed_steps() : 0;
    }
    holds_states_ = true;
  }

  std::vector<CartPole*> envs_;
  std::vector<TimeLimit*> time_limits_;  // null for a bare env
  std::vector<double> x_, x_dot_, theta_, theta_dot_;
  std::vector<std::optional<int64_t>> steps_beyond_terminated_;
  std::vector<int64_t> elapsed_steps_;
  std::vector<int64_t> max_episode_steps_;
  std::vector<uint8_t> sutton_barto_reward_;
  bool holds_states_ = false;
};

}  // namespace

std::unique_ptr<BatchedEnvs> make_cart_pole_batch(const std::vector<std::shared_ptr<Env>>& envs) {
  std::vector<CartPole*> cart_poles;
  std::vector<TimeLimit*> time_limits;
  for (const auto& env : envs) {
    WithoutTimeLimit parts = without_time_limit(*env);
    if (typeid(*parts.env) != typeid(CartPole)) return nullptr;
    cart_poles.push_back(static_cast<CartPole*>(parts.env));
    time_limits.push_back(parts.time_limit);
  }
  return std::make_unique<CartPoleBatch>(std::move(cart_poles), std::move(time_limits));
}

}  // namespace ember::env
