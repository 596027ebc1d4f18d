// Gymnasium's Acrobot-v1 (gymnasium/envs/classic_control/acrobot.py) in C++: the "book"
// dynamics integrated by one RK4 step of 0.2 s in float64, Discrete(3) torques (-1, 0, 1),
// float32 observations (cos and sin of both angles, both angular velocities), reward -1 until
// the free end swings above the bar. The bare env never truncates (TimeLimit does).
#pragma once

#include <array>

#include "ember/env/env.h"

namespace ember::env {

struct AcrobotOptions {
  std::string render_mode;
};

class Acrobot : public Env {
 public:
  explicit Acrobot(AcrobotOptions options = {});
  using Env::step;
  // options: "low" and "high" bound the uniform initial state (default -0.1, 0.1).
  ResetResult reset(std::optional<uint64_t> seed = std::nullopt, const Info& options = {}) override;
  StepResult step(const Tensor& action) override;
  std::optional<Tensor> render() override;
  EnvMetadata metadata() const override { return {{"human", "rgb_array"}, 15}; }
  std::string name() const override { return "Acrobot"; }
  // (theta1, theta2, dtheta1, dtheta2).
  const std::array<double, 4>& state() const { return state_; }
  void set_state(const std::array<double, 4>& state) { state_ = state; }
  bool has_state() const { return has_state_; }

  // What reset draws from np_random under these options, what step does to a state (returning
  // whether the free end rose above the bar) and the float32 observation: shared with the
  // batched vector step.
  std::array<double, 4> initial_state(const Info& options);
  static bool advance(std::array<double, 4>& state, int64_t action);
  static void observe(const std::array<double, 4>& state, float* out);

 private:
  Tensor observation() const;

  std::array<double, 4> state_{};
  bool has_state_ = false;
};

}  // namespace ember::env
