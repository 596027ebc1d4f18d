#include "ember/env/vector_batched.h"

#include <typeinfo>

#include "ember/env/builtin/batched_envs.h"
#include "ember/env/wrappers.h"

namespace ember::env {

WithoutTimeLimit without_time_limit(Env& env) {
  // Exactly a TimeLimit: a subclass (a Python one included) may change what step does.
  if (typeid(env) == typeid(TimeLimit)) {
    auto& time_limit = static_cast<TimeLimit&>(env);
    return {time_limit.env().get(), &time_limit};
  }
  return {&env, nullptr};
}

std::unique_ptr<BatchedEnvs> make_batched_envs(const std::vector<std::shared_ptr<Env>>& envs) {
  return make_builtin_batch(envs);
}

}  // namespace ember::env
