// Gymnasium's batch_space for every space (python/src/env_space_batching.cpp), called by
// module.cpp after init_env.
#pragma once

#include <nanobind/nanobind.h>

namespace ember::python {

void init_env_space_batching(nanobind::module_& module);

}  // namespace ember::python
