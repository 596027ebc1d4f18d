// ember.env.vector: the C++ vector envs (ember/env/vector_env.h) into ember._C._env. step runs
// all N envs in one call without the GIL (a Python env's methods take it back), and returns the
// same preallocated observation, reward and flag tensors every time.
#include <nanobind/ndarray.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/shared_ptr.h>
#include <nanobind/stl/vector.h>

#include <algorithm>
#include <optional>
#include <vector>

#include "convert.h"
#include "ember/env/vector_env.h"
#include "env_bindings.h"
#include "env_wrappers.h"

namespace ember::python {

using env::Env;
using env::VectorEnv;

namespace {

// One dict per env, or an empty list when no env's info has an entry (Gymnasium's vector info is
// then {}), which spares a step of many envs building and merging empty dicts.
nb::list infos_to_python(const std::vector<env::Info>& infos) {
  nb::list out;
  const bool any =
      std::any_of(infos.begin(), infos.end(), [](const env::Info& info) { return !info.empty(); });
  if (!any) return out;
  for (const env::Info& info : infos) out.append(info_to_python(info));
  return out;
}

// None, an int (env i gets seed + i) or a list with one seed (or None) per env.
std::vector<std::optional<uint64_t>> seeds_from_python(nb::handle seed, int64_t num_envs) {
  std::vector<std::optional<uint64_t>> seeds(static_cast<size_t>(num_envs));
  if (nb::isinstance<nb::list>(seed) || nb::isinstance<nb::tuple>(seed)) {
    EMBER_CHECK_VALUE(static_cast<int64_t>(nb::len(seed)) == num_envs,
                      "[VectorEnv.reset] expected ", num_envs, " seeds (one per env); received ",
                      nb::len(seed));
    for (size_t i = 0; i < seeds.size(); ++i) {
      seeds[i] = seed_from_python(seed[i], "VectorEnv.reset");
    }
    return seeds;
  }
  std::optional<uint64_t> first = seed_from_python(seed, "VectorEnv.reset");
  if (first) {
    for (size_t i = 0; i < seeds.size(); ++i) seeds[i] = *first + i;
  }
  return seeds;
}

// A C-contiguous NumPy array of int64, int32, float64 or float32 actions copied into a tensor
// without the Python calls of ember.as_tensor (a few microseconds of a 256-env step); anything
// else goes through tensor_from_python.
Tensor actions_from_python(nb::handle actions) {
  using Array = nb::ndarray<nb::ro, nb::numpy, nb::device::cpu, nb::c_contig>;
  Array array;
  if (!nb::isinstance<Tensor>(actions) && nb::try_cast(actions, array, false)) {
    std::optional<ScalarType> dtype;
    if (array.dtype() == nb::dtype<int64_t>()) dtype = kInt64;
    if (array.dtype() == nb::dtype<int32_t>()) dtype = kInt32;
    if (array.dtype() == nb::dtype<double>()) dtype = kFloat64;
    if (array.dtype() == nb::dtype<float>()) dtype = kFloat32;
    if (dtype) {
      std::vector<int64_t> shape(array.ndim());
      for (size_t d = 0; d < array.ndim(); ++d) shape[d] = static_cast<int64_t>(array.shape(d));
      return from_blob_copy(array.data(), shape, *dtype);
    }
  }
  return tensor_from_python(actions);
}

}  // namespace

void init_env_vector(nb::module_& module) {
  nb::module_ env = nb::borrow<nb::module_>(module.attr("_env"));
  nb::class_<VectorEnv>(env, "VectorEnv",
                        "Gymnasium's VectorEnv over C++ envs, autoreset mode NEXT_STEP.")
      .def(
          "reset",
          [](VectorEnv& self, nb::handle seed, nb::handle options) {
            auto seeds = seeds_from_python(seed, self.num_envs());
            env::Info options_value = options_from_python(options);
            env::VectorResetResult result;
            {
              nb::gil_scoped_release release;
              result = self.reset(seeds, options_value);
            }
            return nb::make_tuple(observation_to_python(result.observations),
                                  infos_to_python(result.infos));
          },
          nb::kw_only(), nb::arg("seed") = nb::none(), nb::arg("options") = nb::none(),
          nb::sig("def reset(self, *, seed=None, options=None) -> tuple"),
          "Resets every env: (observations (N, ...), per-env infos, [] when all are empty). An int "
          "seed seeds env i with seed + i.")
      .def(
          "step",
          [](VectorEnv& self, nb::handle actions) {
            Tensor action_tensor = actions_from_python(actions);
            env::VectorStepResult result;
            {
              nb::gil_scoped_release release;
              result = self.step(action_tensor);
            }
            return nb::make_tuple(observation_to_python(result.observations), result.rewards,
                                  result.terminations, result.truncations,
                                  infos_to_python(result.infos));
          },
          nb::arg("actions"), nb::sig("def step(self, actions) -> tuple"),
          "Steps every env (row i of actions to env i): (observations, rewards, terminations, "
          "truncations, per-env infos, [] when all are empty); tensors reused by the next call.")
      .def(
          "close",
          [](VectorEnv& self) {
            nb::gil_scoped_release release;
            self.close();
          },
          nb::sig("def close(self) -> None"), "Closes every env (and stops the workers).")
      .def_prop_ro("num_envs", &VectorEnv::num_envs, "The number of envs.")
      .def_prop_ro("envs", &VectorEnv::envs, "The envs.")
      .def_prop_ro("batched", &VectorEnv::batched,
                   "Whether step runs one batched loop over the envs' states (a SyncVectorEnv of "
                   "one built-in env, each as make() builds it).")
      .def_prop_ro("single_observation_space", &VectorEnv::single_observation_space,
                   "One env's observation space.")
      .def_prop_ro("single_action_space", &VectorEnv::single_action_space,
                   "One env's action space.")
      .def_prop_ro("observation_space", &VectorEnv::observation_space,
                   "The batched observation space (Gymnasium's batch_space), or None.")
      .def_prop_ro("action_space", &VectorEnv::action_space,
                   "The batched action space (Gymnasium's batch_space), or None.");

  nb::class_<env::SyncVectorEnv, VectorEnv>(env, "SyncVectorEnv",
                                            "Steps the envs one after another in C++.")
      .def(nb::init<std::vector<std::shared_ptr<Env>>>(), nb::arg("envs"),
           nb::sig("def __init__(self, envs: list[Env]) -> None"), "Vectorizes envs.");

  nb::class_<env::AsyncVectorEnv, VectorEnv>(env, "AsyncVectorEnv",
                                             "Steps the envs in parallel on worker threads.")
      .def(nb::init<std::vector<std::shared_ptr<Env>>, int64_t>(), nb::arg("envs"),
           nb::arg("num_workers") = 0,
           nb::sig("def __init__(self, envs: list[Env], num_workers: int = 0) -> None"),
           "Vectorizes envs over num_workers threads (0: one per env, up to the cores).");
}

}  // namespace ember::python
