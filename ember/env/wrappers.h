// Gymnasium 1.x's common wrappers over the C++ Env interface. Each wrapper is itself an Env, so
// wrappers stack, run under the vector envs, and wrap Python envs (the bound Env is subclassable
// from Python) exactly as they wrap the built-in ones. Python's ember.env.wrappers are these
// classes, bound (python/src/env_wrappers.cpp).
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "ember/env/env.h"

namespace ember::env {

// Forwards every call to the wrapped env; a wrapper overrides what it changes.
class Wrapper : public Env {
 public:
  // name: the wrapper's class name, for messages ("TimeLimit<CartPole>").
  explicit Wrapper(std::shared_ptr<Env> env, std::string name = "Wrapper");

  using Env::step;
  ResetResult reset(std::optional<uint64_t> seed = std::nullopt, const Info& options = {}) override;
  StepResult step(const Tensor& action) override;
  std::optional<Tensor> render() override;
  void close() override;
  std::shared_ptr<Space> observation_space() const override;
  std::shared_ptr<Space> action_space() const override;

  EnvMetadata metadata() const override;
  Env* unwrapped() override;
  std::string name() const override;

  const std::shared_ptr<Env>& env() const { return env_; }

 protected:
  std::shared_ptr<Env> env_;

 private:
  std::string name_;
};

// Truncates an episode once it has run max_episode_steps steps.
class TimeLimit : public Wrapper {
 public:
  TimeLimit(std::shared_ptr<Env> env, int64_t max_episode_steps);
  using Env::step;
  ResetResult reset(std::optional<uint64_t> seed = std::nullopt, const Info& options = {}) override;
  StepResult step(const Tensor& action) override;
  int64_t max_episode_steps() const { return max_episode_steps_; }
  int64_t elapsed_steps() const { return elapsed_steps_; }
  // For a batched vector env handing its counter back (ember/env/vector_batched.h).
  void set_elapsed_steps(int64_t steps) { elapsed_steps_ = steps; }

 private:
  int64_t max_episode_steps_;
  int64_t elapsed_steps_ = 0;
};

// Adds info["episode"] = {"r": return, "l": length, "t": seconds} when an episode ends (flat keys
// "episode/r", "episode/l", "episode/t"), and keeps the last buffer_length episodes' figures.
class RecordEpisodeStatistics : public Wrapper {
 public:
  explicit RecordEpisodeStatistics(std::shared_ptr<Env> env, int64_t buffer_length = 100,
                                   std::string stats_key = "episode");
  using Env::step;
  ResetResult reset(std::optional<uint64_t> seed = std::nullopt, const Info& options = {}) override;
  StepResult step(const Tensor& action) override;

  int64_t episode_count() const { return episode_count_; }
  const std::deque<double>& return_queue() const { return return_queue_; }
  const std::deque<int64_t>& length_queue() const { return length_queue_; }
  const std::deque<double>& time_queue() const { return time_queue_; }

 private:
  int64_t buffer_length_;
  std::string stats_key_;
  double episode_return_ = 0.0;
  int64_t episode_length_ = 0;
  double episode_start_seconds_ = 0.0;
  int64_t episode_count_ = 0;
  std::deque<double> return_queue_;
  std::deque<int64_t> length_queue_;
  std::deque<double> time_queue_;
};

// Gymnasium's RunningMeanStd for a single sample per update (Chan et al.'s parallel rule with a
// batch of one): the running mean and variance start at 0 and 1 with a count of 1e-4.
class RunningMeanStd {
 public:
  explicit RunningMeanStd(std::vector<int64_t> shape = {});
  void update(const Tensor& sample);
  const Tensor& mean() const { return mean_; }
  const Tensor& var() const { return var_; }
  double count() const { return count_; }

 private:
  Tensor mean_;
  Tensor var_;
  double count_ = 1e-4;
};

// Observations normalised by the running mean and variance of those seen: (obs - mean) /
// sqrt(var + epsilon), as float32; the statistics update on every observation unless frozen.
class NormalizeObservation : public Wrapper {
 public:
  explicit NormalizeObservation(std::shared_ptr<Env> env, double epsilon = 1e-8);
  using Env::step;
  ResetResult reset(std::optional<uint64_t> seed = std::nullopt, const Info& options = {}) override;
  StepResult step(const Tensor& action) override;
  std::shared_ptr<Space> observation_space() const override { return observation_space_; }

  bool update_running_mean = true;
  const RunningMeanStd& obs_rms() const { return obs_rms_; }

 private:
  Tensor normalize(const Tensor& observation);
  double epsilon_;
  RunningMeanStd obs_rms_;
  std::shared_ptr<Space> observation_space_;
};

// Rewards scaled by the running standard deviation of the discounted return (not centred).
class NormalizeReward : public Wrapper {
 public:
  explicit NormalizeReward(std::shared_ptr<Env> env, double gamma = 0.99, double epsilon = 1e-8);
  using Env::step;
  StepResult step(const Tensor& action) override;

  bool update_running_mean = true;
  const RunningMeanStd& return_rms() const { return return_rms_; }
  double discounted_reward() const { return discounted_reward_; }

 private:
  double gamma_;
  double epsilon_;
  RunningMeanStd return_rms_;
  double discounted_reward_ = 0.0;
};

// Clips a continuous action into the wrapped env's Box bounds; the action space becomes unbounded.
class ClipAction : public Wrapper {
 public:
  explicit ClipAction(std::shared_ptr<Env> env);
  using Env::step;
  StepResult step(const Tensor& action) override;
  std::shared_ptr<Space> action_space() const override { return action_space_; }

 private:
  Tensor low_;
  Tensor high_;
  std::shared_ptr<Space> action_space_;
};

// Applies a function to every observation; observation_space describes its results (the wrapped
// env's space when null). A function of a Tensor fits when the observations are tensors.
class TransformObservation : public Wrapper {
 public:
  using Transform = std::function<Observation(const Observation&)>;
  TransformObservation(std::shared_ptr<Env> env, Transform transform,
                       std::shared_ptr<Space> observation_space = nullptr);
  using Env::step;
  ResetResult reset(std::optional<uint64_t> seed = std::nullopt, const Info& options = {}) override;
  StepResult step(const Tensor& action) override;
  std::shared_ptr<Space> observation_space() const override;

 private:
  Transform transform_;
  std::shared_ptr<Space> observation_space_;
};

// The last stack_size observations stacked along a new first dimension. Before an episode has
// produced stack_size observations the missing ones are the reset observation ("reset") or the
// zero observation clipped into the space's bounds ("zero").
class FrameStackObservation : public Wrapper {
 public:
  FrameStackObservation(std::shared_ptr<Env> env, int64_t stack_size,
                        const std::string& padding_type = "reset");
  using Env::step;
  ResetResult reset(std::optional<uint64_t> seed = std::nullopt, const Info& options = {}) override;
  StepResult step(const Tensor& action) override;
  std::shared_ptr<Space> observation_space() const override { return observation_space_; }
  int64_t stack_size() const { return stack_size_; }
  const std::string& padding_type() const { return padding_type_; }

 private:
  Tensor stacked();
  int64_t stack_size_;
  std::string padding_type_;
  Tensor padding_value_;
  std::deque<Tensor> frames_;
  std::shared_ptr<Space> observation_space_;
};

}  // namespace ember::env
