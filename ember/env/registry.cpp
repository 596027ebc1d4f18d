#include "ember/env/registry.h"

#include <mutex>
#include <sstream>
#include <utility>

#include "ember/base/error.h"
#include "ember/env/wrappers.h"

namespace ember::env {

// The built-in environments' specs and factories (ember/env/builtin/registration.cpp).
std::vector<EnvRegistration> builtin_env_registrations();

namespace {

struct Registry {
  std::mutex mutex;
  std::map<std::string, EnvRegistration> entries;
};

// The spec carries the registration's reward_threshold, as Gymnasium's EnvSpec does.
EnvRegistration with_threshold_in_spec(EnvRegistration entry) {
  if (!entry.spec.reward_threshold) entry.spec.reward_threshold = entry.reward_threshold;
  entry.reward_threshold = entry.spec.reward_threshold;
  return entry;
}

Registry& registry() {
  // Never destroyed: envs may be made while other statics are torn down.
  static Registry* instance = [] {
    auto* created = new Registry();
    for (auto& entry : builtin_env_registrations()) {
      std::string id = entry.spec.id;
      created->entries[id] = with_threshold_in_spec(std::move(entry));
    }
    return created;
  }();
  return *instance;
}

std::string known_ids(const std::map<std::string, EnvRegistration>& entries) {
  std::ostringstream out;
  const char* separator = "";
  for (const auto& [id, entry] : entries) {
    out << separator << id;
    separator = ", ";
  }
  return out.str();
}

EnvRegistration lookup(const std::string& id) {
  Registry& reg = registry();
  std::lock_guard<std::mutex> lock(reg.mutex);
  auto found = reg.entries.find(id);
  EMBER_CHECK_VALUE(found != reg.entries.end(), "[make] expected a registered env id (",
                    known_ids(reg.entries), "); received '", id, "'");
  return found->second;
}

const char* type_name(const InfoValue& value) {
  static const char* const names[] = {"bool", "int", "float", "str", "Tensor"};
  return names[value.index()];
}

}  // namespace

void register_env(EnvSpec spec, EnvFactory factory, std::optional<double> reward_threshold) {
  EMBER_CHECK_VALUE(!spec.id.empty(), "[register_env] expected a non-empty id; received ''");
  EMBER_CHECK_VALUE(static_cast<bool>(factory), "[register_env] expected a factory for '", spec.id,
                    "'; received none");
  Registry& reg = registry();
  std::lock_guard<std::mutex> lock(reg.mutex);
  std::string id = spec.id;
  reg.entries[id] = with_threshold_in_spec(
      EnvRegistration{std::move(spec), reward_threshold, std::move(factory)});
}

std::shared_ptr<Env> make(const std::string& id, const EnvKwargs& kwargs,
                          std::optional<int64_t> max_episode_steps) {
  EnvRegistration entry = lookup(id);
  EnvKwargs merged = entry.spec.kwargs;
  for (const auto& [key, value] : kwargs) merged[key] = value;
  std::shared_ptr<Env> env = entry.factory(merged);
  EMBER_CHECK(env != nullptr, "[make] expected the factory of '", id,
              "' to return an env; it "
              "returned null");
  EnvSpec made = entry.spec;
  made.kwargs = merged;
  if (max_episode_steps) made.max_episode_steps = max_episode_steps;
  env->set_spec(made);
  if (made.max_episode_steps) {
    env = std::make_shared<TimeLimit>(std::move(env), *made.max_episode_steps);
    env->set_spec(made);
  }
  return env;
}

EnvRegistration registration(const std::string& id) { return lookup(id); }

bool is_registered(const std::string& id) {
  Registry& reg = registry();
  std::lock_guard<std::mutex> lock(reg.mutex);
  return reg.entries.count(id) != 0;
}

std::vector<std::string> registered_env_ids() {
  Registry& reg = registry();
  std::lock_guard<std::mutex> lock(reg.mutex);
  std::vector<std::string> ids;
  for (const auto& [id, entry] : reg.entries) ids.push_back(id);
  return ids;
}

bool unregister_env(const std::string& id) {
  Registry& reg = registry();
  std::lock_guard<std::mutex> lock(reg.mutex);
  return reg.entries.erase(id) != 0;
}

template <typename T>
T kwarg_or(const EnvKwargs& kwargs, const std::string& env_id, const std::string& key, T fallback) {
  auto found = kwargs.find(key);
  if (found == kwargs.end()) return fallback;
  if (const T* value = std::get_if<T>(&found->second)) return *value;
  if constexpr (std::is_same_v<T, double>) {
    if (const int64_t* value = std::get_if<int64_t>(&found->second)) {
      return static_cast<double>(*value);
    }
  }
  EMBER_CHECK_TYPE(false, "[make] expected the kwarg '", key, "' of '", env_id, "' to be a ",
                   type_name(InfoValue(fallback)), "; received a ", type_name(found->second));
  return fallback;
}

template bool kwarg_or<bool>(const EnvKwargs&, const std::string&, const std::string&, bool);
template int64_t kwarg_or<int64_t>(const EnvKwargs&, const std::string&, const std::string&,
                                   int64_t);
template double kwarg_or<double>(const EnvKwargs&, const std::string&, const std::string&, double);
template std::string kwarg_or<std::string>(const EnvKwargs&, const std::string&, const std::string&,
                                           std::string);

}  // namespace ember::env
