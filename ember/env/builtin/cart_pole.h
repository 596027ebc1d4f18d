// Gymnasium's CartPole-v1 (gymnasium/envs/classic_control/cartpole.py) in C++: the same float64
// dynamics, float32 observations, rewards and termination; the bare env never truncates
// (TimeLimit does). Actions: Discrete(2), 0 pushes left, 1 pushes right.
#pragma once

#include <array>

#include "ember/env/env.h"

namespace ember::env {

struct CartPoleOptions {
  bool sutton_barto_reward = false;
  std::string render_mode;
};

class CartPole : public Env {
 public:
  explicit CartPole(CartPoleOptions options = {});
  using Env::step;
  // options: "low" and "high" bound the uniform initial state (default -0.05, 0.05).
  ResetResult reset(std::optional<uint64_t> seed = std::nullopt, const Info& options = {}) override;
  StepResult step(const Tensor& action) override;
  std::optional<Tensor> render() override;
  EnvMetadata metadata() const override { return {{"human", "rgb_array"}, 50}; }
  std::string name() const override { return "CartPole"; }

  // The float64 state (x, x_dot, theta, theta_dot).
  const std::array<double, 4>& state() const { return state_; }
  void set_state(const std::array<double, 4>& state) { state_ = state; }
  bool has_state() const { return has_state_; }
  bool sutton_barto_reward() const { return sutton_barto_reward_; }
  // The steps taken after the episode terminated (none before it has).
  const std::optional<int64_t>& steps_beyond_terminated() const { return steps_beyond_terminated_; }
  void set_steps_beyond_terminated(std::optional<int64_t> steps) {
    steps_beyond_terminated_ = steps;
  }

 private:
  Tensor observation() const;

  bool sutton_barto_reward_;
  std::array<double, 4> state_{};
  bool has_state_ = false;
  std::optional<int64_t> steps_beyond_terminated_;
};

}  // namespace ember::env
