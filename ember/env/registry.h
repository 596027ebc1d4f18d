// The environment registry: ember::env::make("CartPole-v1") builds a registered env from its
// factory and wraps it in TimeLimit when its spec (or the call) gives max_episode_steps, as
// Gymnasium's make does. The built-in environments are registered under Gymnasium's ids.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ember/env/env.h"

namespace ember::env {

// Keyword arguments for an env's factory (render_mode, g, goal_velocity, ...).
using EnvKwargs = Info;
using EnvFactory = std::function<std::shared_ptr<Env>(const EnvKwargs&)>;

// What register_env records: the spec (its kwargs are defaults that make's kwargs override),
// Gymnasium's reward_threshold, and the factory.
struct EnvRegistration {
  EnvSpec spec;
  std::optional<double> reward_threshold;
  EnvFactory factory;
};

// Registers (or replaces) spec.id; a reward_threshold given here is stored in the spec too.
void register_env(EnvSpec spec, EnvFactory factory,
                  std::optional<double> reward_threshold = std::nullopt);
// Builds the env registered as id: the factory receives the spec's kwargs updated with kwargs;
// max_episode_steps overrides the spec's (a TimeLimit wraps the env when either is set).
std::shared_ptr<Env> make(const std::string& id, const EnvKwargs& kwargs = {},
                          std::optional<int64_t> max_episode_steps = std::nullopt);
// What is registered as id; throws a ValueError listing the registered ids when there is none.
EnvRegistration registration(const std::string& id);
bool is_registered(const std::string& id);
std::vector<std::string> registered_env_ids();
// Removes an id (used by tests that register temporary envs); returns whether it existed.
bool unregister_env(const std::string& id);

// A kwarg's value as T, or fallback when absent; throws a TypeError naming the env and key when
// the value has another type (an int64 is accepted where a double is expected).
template <typename T>
T kwarg_or(const EnvKwargs& kwargs, const std::string& env_id, const std::string& key, T fallback);

}  // namespace ember::env
