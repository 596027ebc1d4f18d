// Gymnasium's Pendulum-v1 (gymnasium/envs/classic_control/pendulum.py) in C++: float64 state
// (angle, angular velocity), float32 observations (cos, sin, angular velocity), Box(-2, 2, (1,))
// torque actions (clipped), numpy's float32 arithmetic on the torque. It never terminates or
// truncates (TimeLimit does).
#pragma once

#include <array>

#include "ember/env/env.h"

namespace ember::env {

struct PendulumOptions {
  double g = 10.0;
  std::string render_mode;
};

class Pendulum : public Env {
 public:
  explicit Pendulum(PendulumOptions options = {});
  using Env::step;
  // options: "x_init" and "y_init" bound the uniform initial angle and velocity (default pi, 1).
  ResetResult reset(std::optional<uint64_t> seed = std::nullopt, const Info& options = {}) override;
  StepResult step(const Tensor& action) override;
  std::optional<Tensor> render() override;
  EnvMetadata metadata() const override { return {{"human", "rgb_array"}, 30}; }
  std::string name() const override { return "Pendulum"; }
  // (theta, theta_dot).
  const std::array<double, 2>& state() const { return state_; }
  void set_state(const std::array<double, 2>& state) { state_ = state; }
  bool has_state() const { return has_state_; }

  // What reset draws from np_random under these options, what step does to a state (given the
  // torque's value and whether the action was float32, in which numpy then computes; returns
  // the reward) and the float32 observation (cos, sin, theta_dot): shared with the batched
  // vector step.
  std::array<double, 2> initial_state(const Info& options);
  double advance(std::array<double, 2>& state, double action, bool float32_action) const;
  static void observe(const std::array<double, 2>& state, float* out);

 private:
  Tensor observation() const;

  double g_;
  std::array<double, 2> state_{};
  bool has_state_ = false;
};

}  // namespace ember::env
