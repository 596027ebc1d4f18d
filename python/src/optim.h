// The optim bindings: each algorithm's fused op in its own python/src/optim_<algo>.cpp, bound into
// ember._C._optim (`optim`) by an init_optim_<algo> declared here and called from init_optim
// (optim.cpp). To add an algorithm: declare its init below, define it in its file and call it at
// the end of init_optim's list. A header of their own, so that adding one rebuilds only these.
#pragma once

#include <nanobind/nanobind.h>

namespace ember::python {

namespace nb = nanobind;

// Creates ember._C._optim and fills it (called from module.cpp).
void init_optim(nb::module_& module);

void init_optim_sgd(nb::module_& optim);
void init_optim_adam(nb::module_& optim);
void init_optim_lbfgs(nb::module_& optim);
// The learning-rate schedulers' rules (optim_schedulers.cpp).
void init_optim_schedulers(nb::module_& optim);
// Adamax, NAdam, RAdam, RMSprop, Adagrad, Adadelta, Rprop and ASGD (optim_algos.cpp).
void init_optim_algos(nb::module_& optim);

}  // namespace ember::python
