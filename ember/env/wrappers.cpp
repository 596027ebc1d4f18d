#include "ember/env/wrappers.h"

#include <chrono>
#include <cmath>
#include <limits>
#include <utility>

#include "ember/base/error.h"
#include "ember/ops/ops.h"
#include "ember/ops/shape.h"

namespace ember::env {

namespace {

double now_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Gymnasium rounds an episode's duration to microseconds.
double round_to_microseconds(double seconds) { return std::round(seconds * 1e6) / 1e6; }

std::shared_ptr<Box> unbounded_box(const std::vector<int64_t>& shape, ScalarType dtype) {
  const double inf = std::numeric_limits<double>::infinity();
  return std::make_shared<Box>(-inf, inf, shape, dtype);
}

const Box& require_box(const std::shared_ptr<Space>& space, const char* op, const char* which) {
  const auto* box = dynamic_cast<const Box*>(space.get());
  EMBER_CHECK_TYPE(box != nullptr, "[", op, "] expected a Box ", which, "; received ",
                   space ? space->repr() : std::string("no space"));
  return *box;
}

const std::shared_ptr<Env>& checked(const std::shared_ptr<Env>& env, const std::string& wrapper) {
  EMBER_CHECK_VALUE(env != nullptr, "[", wrapper, "] expected an env to wrap; received None");
  return env;
}

}  // namespace

Wrapper::Wrapper(std::shared_ptr<Env> env, std::string name)
    : Env(checked(env, name)->render_mode()), env_(std::move(env)), name_(std::move(name)) {}

ResetResult Wrapper::reset(std::optional<uint64_t> seed, const Info& options) {
  return env_->reset(seed, options);
}
StepResult Wrapper::step(const Tensor& action) { return env_->step(action); }
std::optional<Tensor> Wrapper::render() { return env_->render(); }
void Wrapper::close() { env_->close(); }
std::shared_ptr<Space> Wrapper::observation_space() const { return env_->observation_space(); }
std::shared_ptr<Space> Wrapper::action_space() const { return env_->action_space(); }

EnvMetadata Wrapper::metadata() const { return env_->metadata(); }
Env* Wrapper::unwrapped() { return env_->unwrapped(); }
std::string Wrapper::name() const { return name_ + "<" + env_->name() + ">"; }

TimeLimit::TimeLimit(std::shared_ptr<Env> env, int64_t max_episode_steps)
    : Wrapper(std::move(env), "TimeLimit"), max_episode_steps_(max_episode_steps) {
  EMBER_CHECK_VALUE(max_episode_steps > 0,
                    "[TimeLimit] expected a positive max_episode_steps; received ",
                    max_episode_steps);
}

ResetResult TimeLimit::reset(std::optional<uint64_t> seed, const Info& options) {
  elapsed_steps_ = 0;
  return env_->reset(seed, options);
}

StepResult TimeLimit::step(const Tensor& action) {
  StepResult result = env_->step(action);
  if (++elapsed_steps_ >= max_episode_steps_) result.truncated = true;
  return result;
}

RecordEpisodeStatistics::RecordEpisodeStatistics(std::shared_ptr<Env> env, int64_t buffer_length,
                                                 std::string stats_key)
    : Wrapper(std::move(env), "RecordEpisodeStatistics"),
      buffer_length_(buffer_length),
      stats_key_(std::move(stats_key)) {
  EMBER_CHECK_VALUE(buffer_length > 0,
                    "[RecordEpisodeStatistics] expected a positive buffer_length; received ",
                    buffer_length);
}

ResetResult RecordEpisodeStatistics::reset(std::optional<uint64_t> seed, const Info& options) {
  ResetResult result = env_->reset(seed, options);
  episode_start_seconds_ = now_seconds();
  episode_return_ = 0.0;
  episode_length_ = 0;
  return result;
}

StepResult RecordEpisodeStatistics::step(const Tensor& action) {
  StepResult result = env_->step(action);
  episode_return_ += result.reward;
  ++episode_length_;
  if (result.terminated || result.truncated) {
    const std::string prefix = stats_key_ + "/";
    EMBER_CHECK_VALUE(result.info.count(prefix + "r") == 0,
                      "[RecordEpisodeStatistics] expected an info without the key '", stats_key_,
                      "'; the wrapped env already sets it");
    const double seconds = round_to_microseconds(now_seconds() - episode_start_seconds_);
    result.info[prefix + "r"] = episode_return_;
    result.info[prefix + "l"] = episode_length_;
    result.info[prefix + "t"] = seconds;
    auto push = [this](auto& queue, auto value) {
      queue.push_back(value);
      if (static_cast<int64_t>(queue.size()) > buffer_length_) queue.pop_front();
    };
    push(return_queue_, episode_return_);
    push(length_queue_, episode_length_);
    push(time_queue_, seconds);
    ++episode_count_;
    episode_start_seconds_ = now_seconds();
  }
  return result;
}

RunningMeanStd::RunningMeanStd(std::vector<int64_t> shape)
    : mean_(zeros(shape, TensorOptions().dtype(kFloat64))),
      var_(ones(shape, TensorOptions().dtype(kFloat64))) {}

void RunningMeanStd::update(const Tensor& sample) {
  // A batch of one: its mean is the sample and its variance zero.
  const Tensor delta = sample.to(kFloat64) - mean_;
  const double total = count_ + 1.0;
  mean_ = mean_ + delta / total;
  var_ = (var_ * count_ + delta * delta * (count_ / total)) / total;
  count_ = total;
}

NormalizeObservation::NormalizeObservation(std::shared_ptr<Env> env, double epsilon)
    : Wrapper(std::move(env), "NormalizeObservation"),
      epsilon_(epsilon),
      obs_rms_(require_box(env_->observation_space(), "NormalizeObservation", "observation space")
                   .shape()) {
  EMBER_CHECK_VALUE(epsilon > 0, "[NormalizeObservation] expected a positive epsilon; received ",
                    epsilon);
  observation_space_ = unbounded_box(env_->observation_space()->shape(), kFloat32);
}

Tensor NormalizeObservation::normalize(const Tensor& observation) {
  if (update_running_mean) obs_rms_.update(observation);
  return ((observation.to(kFloat64) - obs_rms_.mean()) / sqrt(obs_rms_.var() + epsilon_))
      .to(kFloat32);
}

ResetResult NormalizeObservation::reset(std::optional<uint64_t> seed, const Info& options) {
  ResetResult result = env_->reset(seed, options);
  result.observation = normalize(result.observation);
  return result;
}

StepResult NormalizeObservation::step(const Tensor& action) {
  StepResult result = env_->step(action);
  result.observation = normalize(result.observation);
  return result;
}

NormalizeReward::NormalizeReward(std::shared_ptr<Env> env, double gamma, double epsilon)
    : Wrapper(std::move(env), "NormalizeReward"), gamma_(gamma), epsilon_(epsilon) {
  EMBER_CHECK_VALUE(gamma >= 0 && gamma <= 1,
                    "[NormalizeReward] expected gamma in [0, 1]; received ", gamma);
  EMBER_CHECK_VALUE(epsilon > 0, "[NormalizeReward] expected a positive epsilon; received ",
                    epsilon);
}

StepResult NormalizeReward::step(const Tensor& action) {
  StepResult result = env_->step(action);
  // Gymnasium accumulates the discounted return with the raw reward and keeps it across the
  // truncation of an episode (only termination stops the discounting).
  discounted_reward_ =
      discounted_reward_ * gamma_ * (result.terminated ? 0.0 : 1.0) + result.reward;
  if (update_running_mean) {
    return_rms_.update(scalar_tensor(discounted_reward_, kFloat64));
  }
  result.reward /= std::sqrt(return_rms_.var().item<double>() + epsilon_);
  return result;
}

ClipAction::ClipAction(std::shared_ptr<Env> env) : Wrapper(std::move(env), "ClipAction") {
  const Box& box = require_box(env_->action_space(), "ClipAction", "action space");
  low_ = box.low();
  high_ = box.high();
  action_space_ = unbounded_box(box.shape(), box.dtype());
}

StepResult ClipAction::step(const Tensor& action) {
  return env_->step(
      clamp(action.to(low_.dtype()), std::optional<Tensor>(low_), std::optional<Tensor>(high_)));
}

TransformObservation::TransformObservation(std::shared_ptr<Env> env, Transform transform,
                                           std::shared_ptr<Space> observation_space)
    : Wrapper(std::move(env), "TransformObservation"),
      transform_(std::move(transform)),
      observation_space_(std::move(observation_space)) {
  EMBER_CHECK_VALUE(static_cast<bool>(transform_),
                    "[TransformObservation] expected a callable transform; received none");
}

std::shared_ptr<Space> TransformObservation::observation_space() const {
  return observation_space_ ? observation_space_ : env_->observation_space();
}

ResetResult TransformObservation::reset(std::optional<uint64_t> seed, const Info& options) {
  ResetResult result = env_->reset(seed, options);
  result.observation = transform_(result.observation);
  return result;
}

StepResult TransformObservation::step(const Tensor& action) {
  StepResult result = env_->step(action);
  result.observation = transform_(result.observation);
  return result;
}

FrameStackObservation::FrameStackObservation(std::shared_ptr<Env> env, int64_t stack_size,
                                             const std::string& padding_type)
    : Wrapper(std::move(env), "FrameStackObservation"),
      stack_size_(stack_size),
      padding_type_(padding_type) {
  EMBER_CHECK_VALUE(stack_size > 0,
                    "[FrameStackObservation] expected a positive stack_size; received ",
                    stack_size);
  EMBER_CHECK_VALUE(padding_type == "reset" || padding_type == "zero",
                    "[FrameStackObservation] expected padding_type 'reset' or 'zero'; received '",
                    padding_type, "'");
  const Box& box =
      require_box(env_->observation_space(), "FrameStackObservation", "observation space");
  // The zero observation, clipped into the bounds (Gymnasium's create_zero_array).
  padding_value_ = clamp(zeros(box.shape(), TensorOptions().dtype(box.dtype())),
                         std::optional<Tensor>(box.low()), std::optional<Tensor>(box.high()));
  std::vector<int64_t> stacked_shape{stack_size};
  for (int64_t size : box.shape()) stacked_shape.push_back(size);
  observation_space_ = std::make_shared<Box>(box.low().unsqueeze(0).expand(stacked_shape),
                                             box.high().unsqueeze(0).expand(stacked_shape),
                                             std::nullopt, box.dtype());
  frames_.assign(static_cast<size_t>(stack_size), padding_value_);
}

Tensor FrameStackObservation::stacked() {
  return stack(std::vector<Tensor>(frames_.begin(), frames_.end()), 0);
}

ResetResult FrameStackObservation::reset(std::optional<uint64_t> seed, const Info& options) {
  ResetResult result = env_->reset(seed, options);
  const Tensor& padding = padding_type_ == "reset" ? result.observation : padding_value_;
  frames_.assign(static_cast<size_t>(stack_size_ - 1), padding);
  frames_.push_back(result.observation);
  result.observation = stacked();
  return result;
}

StepResult FrameStackObservation::step(const Tensor& action) {
  StepResult result = env_->step(action);
  frames_.push_back(result.observation);
  while (static_cast<int64_t>(frames_.size()) > stack_size_) frames_.pop_front();
  result.observation = stacked();
  return result;
}

}  // namespace ember::env
