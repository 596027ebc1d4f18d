// ember.distributed's bindings (python/src/distributed*.cpp), called by module.cpp.
#pragma once

#include <nanobind/nanobind.h>

namespace ember::python {

// ember._C._distributed: the typed errors and their translator, ReduceOp, the stores, Work,
// ProcessGroup (distributed.cpp) and the top-level API (init_distributed_api).
void init_distributed(nanobind::module_& module);
// init_process_group, new_group and the collectives of ember/distributed/distributed.h, into the
// _distributed submodule (distributed_api.cpp).
void init_distributed_api(nanobind::module_& distributed_module);

}  // namespace ember::python
