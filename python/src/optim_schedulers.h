// The optim bindings' entry point for the learning-rate schedulers
// (python/src/optim_schedulers.cpp), called from module.cpp. A header of its own, so that adding it
// rebuilds only these files.
#pragma once

#include <nanobind/nanobind.h>

namespace ember::python {

namespace nb = nanobind;

// The schedulers' rules into ember._C._optim (`optim`).
void init_optim_schedulers(nb::module_& optim);

}  // namespace ember::python
