// ember._C._env (ember.env): the bindings of ember/env/. env_spaces.cpp binds the spaces,
// env.cpp the Env base (subclassable from Python) and the built-in environments; the wrapper and
// vector-env bindings reuse the conversions declared here.
#pragma once

#include <nanobind/nanobind.h>

#include "ember/env/env.h"

namespace ember::python {

namespace nb = nanobind;

// Info <-> dict: a key "a/b" is info["a"]["b"]; values bool, int, float, str or Tensor (numpy
// values become those). A value of another type is a TypeError naming its key.
nb::dict info_to_python(const env::Info& info);
env::Info info_from_python(nb::handle dict);
// An action or observation as a tensor: a Tensor as is, a Python or numpy integer as an int64
// 0-d tensor, a float as float64, anything else through ember.as_tensor (numpy arrays, lists).
Tensor tensor_from_python(nb::handle object);
// A space's sample as Python returns it: a Discrete's as an int, a Tuple's as a tuple, a Dict's
// as a dict, others as tensors.
nb::object sample_to_python(env::Space& space);
// A seed argument: None, or a non-negative int below 2**64 (a ValueError otherwise).
std::optional<uint64_t> seed_from_python(nb::handle seed, const char* where);

// The space classes (env_spaces.cpp) and Env with the built-in environments (env.cpp).
void init_env_spaces(nb::module_& env);
void init_env(nb::module_& module);

}  // namespace ember::python
