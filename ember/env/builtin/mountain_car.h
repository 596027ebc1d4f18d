// Gymnasium's MountainCar-v0 and MountainCarContinuous-v0 (gymnasium/envs/classic_control/
// mountain_car.py, continuous_mountain_car.py) in C++, with Gymnasium's roundings: the discrete
// car keeps float64 state, the continuous one Gymnasium's float32 state and numpy's mixed
// float32/float64 arithmetic. The bare envs never truncate (TimeLimit does).
#pragma once

#include <array>
#include <utility>

#include "ember/env/env.h"

namespace ember::env {

struct MountainCarOptions {
  double goal_velocity = 0;
  std::string render_mode;
};

// Discrete(3) actions: accelerate left, do nothing, accelerate right; reward -1 per step.
class MountainCar : public Env {
 public:
  explicit MountainCar(MountainCarOptions options = {});
  using Env::step;
  // options: "low" and "high" bound the uniform initial position (default -0.6, -0.4).
  ResetResult reset(std::optional<uint64_t> seed = std::nullopt, const Info& options = {}) override;
  StepResult step(const Tensor& action) override;
  std::optional<Tensor> render() override;
  EnvMetadata metadata() const override { return {{"human", "rgb_array"}, 30}; }
  std::string name() const override { return "MountainCar"; }
  // (position, velocity).
  const std::array<double, 2>& state() const { return state_; }
  void set_state(const std::array<double, 2>& state) { state_ = state; }
  bool has_state() const { return has_state_; }

  // What reset draws from np_random under these options, and what step does to a state
  // (returning whether the car reached the goal): shared with the batched vector step.
  std::array<double, 2> initial_state(const Info& options);
  bool advance(std::array<double, 2>& state, int64_t action) const;

 private:
  double goal_velocity_;
  std::array<double, 2> state_{};
  bool has_state_ = false;
};

// Box(-1, 1, (1,)) force actions (clipped); reward 100 at the goal minus 0.1 * action^2.
class MountainCarContinuous : public Env {
 public:
  explicit MountainCarContinuous(MountainCarOptions options = {});
  using Env::step;
  ResetResult reset(std::optional<uint64_t> seed = std::nullopt, const Info& options = {}) override;
  StepResult step(const Tensor& action) override;
  std::optional<Tensor> render() override;
  EnvMetadata metadata() const override { return {{"human", "rgb_array"}, 30}; }
  std::string name() const override { return "MountainCarContinuous"; }
  const std::array<double, 2>& state() const { return state_; }
  // Whether the state holds float32 values (as Gymnasium's does after the first step).
  bool state_is_float32() const { return state_is_float32_; }
  void set_state(const std::array<double, 2>& state, bool is_float32) {
    state_ = state;
    state_is_float32_ = is_float32;
  }
  bool has_state() const { return has_state_; }

  // As MountainCar's; advance takes the clipped force's value and whether the action was
  // float32 (numpy then computes in float32), leaves a float32 state and returns (reward,
  // terminated).
  std::array<double, 2> initial_state(const Info& options);
  std::pair<double, bool> advance(std::array<double, 2>& state, bool state_is_float32,
                                  double action, bool float32_action) const;

 private:
  double goal_velocity_;
  std::array<double, 2> state_{};
  bool state_is_float32_ = false;  // float64 after reset, float32 after the first step
  bool has_state_ = false;
};

// The float32 observation of either car's state.
void mountain_car_observation(const std::array<double, 2>& state, float* out);

// The picture both cars share: the hill, the flag at goal_position, the car at position.
Tensor render_mountain_car(double position, double goal_position);

}  // namespace ember::env
