// The bindings of the fused steps of Adamax, NAdam, RAdam, RMSprop, Adagrad, Adadelta, Rprop and
// ASGD (python/src/optim_algos.cpp). A header of their own, so that adding them rebuilds only
// their callers.
#pragma once

#include <nanobind/nanobind.h>

namespace ember::python {

namespace nb = nanobind;

// Binds the fused steps into ember._C._optim (`module` is ember._C; the submodule is made when no
// other optim binding has made it yet).
void init_optim_algos(nb::module_& module);

}  // namespace ember::python
