// ember._C._env's wrappers, registry (env_wrappers.cpp) and vector envs (env_vector.cpp); run
// after init_env, which creates ember._C._env.
#pragma once

#include <nanobind/nanobind.h>

namespace ember::python {

namespace nb = nanobind;

void init_env_wrappers(nb::module_& module);
void init_env_vector(nb::module_& module);
// ember.env.ReplayBuffer and PrioritizedReplayBuffer (python/src/env_replay.cpp).
void init_env_replay(nb::module_& module);

}  // namespace ember::python
