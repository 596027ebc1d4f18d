// Gymnasium's Env API in C++ (ember::env::Env): reset(seed, options) -> (observation, info),
// step(action) -> (observation, reward, terminated, truncated, info), render(), close(), the
// observation and action spaces, and Gymnasium's seeding rules for np_random. The built-in
// environments (ember/env/builtin/) derive from it; so do wrappers, and Python's ember.env.Env is
// this class (subclassable from Python), so C++ wrappers and vector envs run Python envs too.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "ember/env/np_random.h"
#include "ember/env/observation.h"
#include "ember/env/spaces.h"
#include "ember/tensor/tensor.h"

namespace ember::env {

// Info dicts and reset options: a flat map; a key with '/' is one level of nesting in Python
// ("episode/r" is info["episode"]["r"]).
using InfoValue = std::variant<bool, int64_t, double, std::string, Tensor>;
using Info = std::map<std::string, InfoValue>;

struct ResetResult {
  Observation observation;
  Info info;
};

struct StepResult {
  Observation observation;
  double reward = 0.0;
  bool terminated = false;
  bool truncated = false;
  Info info;
};

// Gymnasium's EnvSpec, as far as make() fills it.
struct EnvSpec {
  std::string id;
  std::string entry_point;
  std::optional<int64_t> max_episode_steps;
  Info kwargs;
  // The return at which the env counts as solved (register_env's reward_threshold).
  std::optional<double> reward_threshold = std::nullopt;
  // Whether the same seed may give different episodes (Gymnasium's flag; informational).
  bool nondeterministic = false;
};

// Gymnasium's Env.metadata.
struct EnvMetadata {
  std::vector<std::string> render_modes;
  int64_t render_fps = 0;
};

class Env {
 public:
  explicit Env(std::string render_mode = "");
  virtual ~Env();
  Env(const Env&) = delete;
  Env& operator=(const Env&) = delete;

  // Gymnasium's Env.reset: with a seed, np_random is reseeded from it. Environments call this
  // first (super().reset(seed=seed)) and then draw their initial state from np_random().
  virtual ResetResult reset(std::optional<uint64_t> seed = std::nullopt, const Info& options = {});
  virtual StepResult step(const Tensor& action) = 0;
  // A Discrete action as an integer (derived classes add `using Env::step;`).
  StepResult step(int64_t action);
  // render_mode "rgb_array": a uint8 (height, width, 3) image; nothing for other modes.
  virtual std::optional<Tensor> render();
  virtual void close();

  virtual std::shared_ptr<Space> observation_space() const;
  virtual std::shared_ptr<Space> action_space() const;
  void set_observation_space(std::shared_ptr<Space> space);
  void set_action_space(std::shared_ptr<Space> space);

  // Gymnasium's np_random: seeded from entropy on first use when reset(seed) has not seeded it.
  NpRandom& np_random();
  std::optional<uint64_t> np_random_seed() const;
  void set_np_random(NpRandom generator);

  const std::string& render_mode() const { return render_mode_; }
  void set_render_mode(std::string mode) { render_mode_ = std::move(mode); }
  virtual EnvMetadata metadata() const { return {}; }
  // Set by make(); null for an environment constructed directly.
  EnvSpec* spec() { return spec_.get(); }
  void set_spec(std::optional<EnvSpec> spec);
  // The innermost environment (wrappers override).
  virtual Env* unwrapped() { return this; }
  // A short name for messages: "CartPole" ("Env" for the base class).
  virtual std::string name() const { return "Env"; }

 protected:
  std::shared_ptr<Space> observation_space_;
  std::shared_ptr<Space> action_space_;

 private:
  std::string render_mode_;
  std::optional<NpRandom> np_random_;
  std::unique_ptr<EnvSpec> spec_;
};

// The reset options' float under `key`, or `fallback` (Gymnasium's maybe_parse_reset_bounds).
double option_or(const Info& options, const std::string& key, double fallback);

// Throws ember::ValueError "[<env>.step] expected an action in <space>; received ..." unless the
// action space contains `action`.
void check_action(const Env& env, const Tensor& action);
// A Box action's values as doubles, after checking its shape and that it is a real number tensor
// (a ValueError naming the env otherwise). Its bounds are not checked: the continuous
// environments clip actions as Gymnasium's do.
std::vector<double> box_action_values(const Env& env, const Tensor& action);

}  // namespace ember::env
