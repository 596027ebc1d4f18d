// A tiny deterministic Env for the wrapper, vector and registry tests: the observation is
// (step, seed) as float32 in a Box of [-10, 10]^2, the reward is the action's value, and an
// episode terminates after `episode_length` steps.
#pragma once

#include <memory>
#include <optional>

#include "ember/env/env.h"
#include "ember/ops/ops.h"

namespace ember::env::testing {

class CountingEnv : public Env {
 public:
  explicit CountingEnv(int64_t episode_length = 5, bool continuous_actions = false)
      : episode_length_(episode_length) {
    set_observation_space(std::make_shared<Box>(-10.0, 10.0, std::vector<int64_t>{2}));
    if (continuous_actions) {
      set_action_space(std::make_shared<Box>(-1.0, 1.0, std::vector<int64_t>{1}));
    } else {
      set_action_space(std::make_shared<Discrete>(2));
    }
  }

  using Env::step;
  ResetResult reset(std::optional<uint64_t> seed = std::nullopt,
                    const Info& options = {}) override {
    Env::reset(seed, options);
    if (seed) seed_ = static_cast<double>(*seed);
    steps_ = 0;
    ++resets;
    return {observation(), {{"reset", true}}};
  }
  StepResult step(const Tensor& action) override {
    ++steps_;
    last_action = action;
    const double reward = action.to(kFloat64).sum().item<double>();
    return {observation(), reward, steps_ >= episode_length_, false, {{"step", steps_}}};
  }
  void close() override { closed = true; }

  int64_t resets = 0;
  bool closed = false;
  Tensor last_action;

 private:
  Tensor observation() const {
    return tensor({static_cast<float>(steps_), static_cast<float>(seed_)},
                  TensorOptions().dtype(kFloat32));
  }
  int64_t episode_length_;
  int64_t steps_ = 0;
  double seed_ = 0.0;
};

inline Tensor action(int64_t value) { return scalar_tensor(value, kInt64); }

}  // namespace ember::env::testing
