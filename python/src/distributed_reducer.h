// The DDP reducer's binding (python/src/distributed_reducer.cpp), called by module.cpp.
#pragma once

#include <nanobind/nanobind.h>

namespace ember::python {

// ember._C._ddp: the Reducer, the bucket assignment and the rank-0 broadcast of module states,
// for ember.nn.parallel.DistributedDataParallel. ProcessGroup is bound by distributed.cpp.
void init_distributed_reducer(nanobind::module_& module);

}  // namespace ember::python
