// ember._C._distributions: the math of ember.distributions' Categorical, Normal and Bernoulli
// (ember/distributions/functional.h), which the Python classes call.
#pragma once

#include <nanobind/nanobind.h>

namespace ember::python {

void init_distributions(nanobind::module_& module);

}  // namespace ember::python
