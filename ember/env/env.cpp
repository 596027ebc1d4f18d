// Gymnasium's Env base (ember/env/env.h): seeding rules, spaces, spec.
#include "ember/env/env.h"

#include <sstream>

#include "ember/base/error.h"
#include "ember/ops/ops.h"

namespace ember::env {

Env::Env(std::string render_mode) : render_mode_(std::move(render_mode)) {}

Env::~Env() = default;

ResetResult Env::reset(std::optional<uint64_t> seed, const Info& /*options*/) {
  if (seed) np_random_ = NpRandom(*seed);
  return {};
}

StepResult Env::step(int64_t action) { return step(scalar_tensor(action, kInt64)); }

std::optional<Tensor> Env::render() { return std::nullopt; }

void Env::close() {}

std::shared_ptr<Space> Env::observation_space() const {
  EMBER_CHECK(observation_space_ != nullptr, "[", name(),
              ".observation_space] expected the environment to set its observation space");
  return observation_space_;
}

std::shared_ptr<Space> Env::action_space() const {
  EMBER_CHECK(action_space_ != nullptr, "[", name(),
              ".action_space] expected the environment to set its action space");
  return action_space_;
}

void Env::set_observation_space(std::shared_ptr<Space> space) {
  observation_space_ = std::move(space);
}

void Env::set_action_space(std::shared_ptr<Space> space) { action_space_ = std::move(space); }

NpRandom& Env::np_random() {
  if (!np_random_) np_random_ = NpRandom::from_entropy();
  return *np_random_;
}

std::optional<uint64_t> Env::np_random_seed() const {
  if (!np_random_) return std::nullopt;
  return np_random_->seed();
}

void Env::set_np_random(NpRandom generator) { np_random_ = std::move(generator); }

void Env::set_spec(std::optional<EnvSpec> spec) {
  spec_ = spec ? std::make_unique<EnvSpec>(std::move(*spec)) : nullptr;
}

double option_or(const Info& options, const std::string& key, double fallback) {
  auto found = options.find(key);
  if (found == options.end()) return fallback;
  if (const auto* value = std::get_if<double>(&found->second)) return *value;
  if (const auto* value = std::get_if<int64_t>(&found->second)) return static_cast<double>(*value);
  if (const auto* value = std::get_if<Tensor>(&found->second)) {
    if (value->numel() == 1) return value->to(kFloat64).item<double>();
  }
  throw ValueError("[reset] expected the option '" + key + "' to be a number");
}

namespace {

[[noreturn]] void throw_bad_action(const Env& env, const Tensor& action) {
  auto space = env.action_space();
  std::ostringstream received;
  if (!action.defined()) {
    received << "an undefined tensor";
  } else {
    received << "a " << dtype_name(action.dtype()) << " tensor of shape " << action.sizes();
    if (action.numel() <= 8) received << " with values " << action.to(kFloat64).flatten().str();
  }
  throw ValueError("[" + env.name() + ".step] expected an action in " + space->repr() +
                   "; received " + received.str());
}

}  // namespace

void check_action(const Env& env, const Tensor& action) {
  if (!action.defined() || !env.action_space()->contains(action)) throw_bad_action(env, action);
}

std::vector<double> box_action_values(const Env& env, const Tensor& action) {
  if (!action.defined() || action.dtype() == kBool ||
      action.sizes() != IntArrayRef(env.action_space()->shape())) {
    throw_bad_action(env, action);
  }
  Tensor values = action.to(Device(kCPU), kFloat64).contiguous();  // read on the host
  return {values.data_ptr<double>(), values.data_ptr<double>() + values.numel()};
}

}  // namespace ember::env
