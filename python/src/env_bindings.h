// ember._C._env (ember.env): the bindings of ember/env/. env_spaces.cpp binds the spaces,
// env.cpp the Env base (subclassable from Python) and the built-in environments; the wrapper and
// vector-env bindings reuse the conversions declared here.
#pragma once

#include <nanobind/nanobind.h>
#include <nanobind/stl/optional.h>

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
// An observation as Gymnasium's: a tensor, a tuple for a Tuple observation, a dict for a Dict one
// (None for an undefined tensor).
nb::object observation_to_python(const env::Observation& observation);
// A Python observation: a tuple or dict (of observations) becomes a Tuple or Dict observation,
// anything else a tensor through tensor_from_python.
env::Observation observation_from_python(nb::handle object);
// A space's sample as Python returns it: a Discrete's as an int, a Tuple's as a tuple, a Dict's
// as a dict, others as tensors.
nb::object sample_to_python(env::Space& space);
// A seed argument: None, or a non-negative int below 2**64 (a ValueError otherwise).
std::optional<uint64_t> seed_from_python(nb::handle seed, const char* where);

// Results and options as Python sees them: reset -> (obs, info), step -> (obs, reward,
// terminated, truncated, info); None options are empty.
nb::tuple reset_to_python(const env::ResetResult& result);
nb::tuple step_to_python(const env::StepResult& result);
env::Info options_from_python(nb::handle options);

// reset, step and render for a C++ environment class (its own, called without the trampoline and
// with the GIL released): bind_env_methods(cls) after nb::class_<MyEnv, Env> cls(...).
template <typename EnvClass, typename... Extra>
void bind_env_methods(nb::class_<EnvClass, Extra...>& cls) {
  cls.def(
         "reset",
         [](EnvClass& self, nb::handle seed, nb::handle options) {
           auto seed_value = seed_from_python(seed, "reset");
           env::Info options_value = options_from_python(options);
           env::ResetResult result;
           {
             nb::gil_scoped_release release;
             result = self.EnvClass::reset(seed_value, options_value);
           }
           return reset_to_python(result);
         },
         nb::kw_only(), nb::arg("seed") = nb::none(), nb::arg("options") = nb::none(),
         nb::sig("def reset(self, *, seed=None, options=None) -> tuple"),
         "Starts an episode: (observation, info). A seed reseeds np_random first.")
      .def(
          "step",
          [](EnvClass& self, nb::handle action) {
            Tensor action_tensor = tensor_from_python(action);
            env::StepResult result;
            {
              nb::gil_scoped_release release;
              result = self.EnvClass::step(action_tensor);
            }
            return step_to_python(result);
          },
          nb::arg("action"), nb::sig("def step(self, action) -> tuple"),
          "One step: (observation, reward, terminated, truncated, info).")
      .def(
          "render",
          [](EnvClass& self) -> nb::object {
            auto frame = self.EnvClass::render();
            if (!frame) return nb::none();
            return nb::cast(*frame);
          },
          nb::sig("def render(self) -> Tensor | None"),
          "render_mode 'rgb_array': a uint8 (height, width, 3) image; None otherwise.");
}

// The space classes (env_spaces.cpp) and Env with the built-in environments (env.cpp).
void init_env_spaces(nb::module_& env);
void init_env(nb::module_& module);

}  // namespace ember::python
