// ember.env.wrappers and ember.env's registry: the C++ wrappers (ember/env/wrappers.h) and
// make/register (ember/env/registry.h) into ember._C._env. A wrapper's reset/step dispatch
// virtually, so a stack of wrappers over a Python env (or over the Gymnasium adapter) runs in C++
// and calls back into Python only for the wrapped env's own methods.
#include <nanobind/stl/function.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/shared_ptr.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include <deque>
#include <string>
#include <utility>
#include <vector>

#include "convert.h"
#include "ember/env/registry.h"
#include "ember/env/wrappers.h"
#include "env_bindings.h"
#include "env_wrappers.h"

namespace ember::python {

using env::Env;
using env::Info;
using env::Wrapper;

namespace {

template <typename T>
nb::list to_list(const std::deque<T>& values) {
  nb::list out;
  for (const T& value : values) out.append(value);
  return out;
}

nb::dict running_mean_std_to_python(const env::RunningMeanStd& rms) {
  nb::dict out;
  out["mean"] = nb::cast(rms.mean());
  out["var"] = nb::cast(rms.var());
  out["count"] = rms.count();
  return out;
}

void bind_wrapper_base(nb::module_& env) {
  nb::class_<Wrapper, Env>(env, "Wrapper",
                           "Gymnasium's Wrapper in C++: forwards every call to the wrapped env.")
      .def(nb::init<std::shared_ptr<Env>>(), nb::arg("env"),
           nb::sig("def __init__(self, env: Env) -> None"), "Wraps env.")
      .def(
          "reset",
          [](Wrapper& self, nb::handle seed, nb::handle options) {
            std::optional<uint64_t> seed_value = seed_from_python(seed, "Wrapper.reset");
            Info options_value = options_from_python(options);
            env::ResetResult result;
            {
              nb::gil_scoped_release release;
              result = self.reset(seed_value, options_value);
            }
            return reset_to_python(result);
          },
          nb::kw_only(), nb::arg("seed") = nb::none(), nb::arg("options") = nb::none(),
          nb::sig("def reset(self, *, seed=None, options=None) -> tuple"),
          "Resets the wrapped env through this wrapper: (observation, info).")
      .def(
          "step",
          [](Wrapper& self, nb::handle action) {
            Tensor action_tensor = tensor_from_python(action);
            env::StepResult result;
            {
              nb::gil_scoped_release release;
              result = self.step(action_tensor);
            }
            return step_to_python(result);
          },
          nb::arg("action"), nb::sig("def step(self, action) -> tuple"),
          "Steps the wrapped env through this wrapper: (observation, reward, terminated, "
          "truncated, info).")
      .def(
          "render",
          [](Wrapper& self) -> nb::object {
            std::optional<Tensor> frame = self.render();
            return frame ? nb::cast(*frame) : nb::none();
          },
          nb::sig("def render(self) -> Tensor | None"), "The wrapped env's frame.")
      .def("close", &Wrapper::close, nb::sig("def close(self) -> None"), "Closes the wrapped env.")
      .def_prop_ro("env", &Wrapper::env, "The env this wrapper wraps.")
      .def_prop_ro(
          "observation_space", [](const Wrapper& self) { return self.observation_space(); },
          "The observation space (the wrapped env's unless the wrapper changes it).")
      .def_prop_ro(
          "action_space", [](const Wrapper& self) { return self.action_space(); },
          "The action space (the wrapped env's unless the wrapper changes it).");
}

void bind_wrappers(nb::module_& env) {
  nb::class_<env::TimeLimit, Wrapper>(env, "TimeLimit",
                                      "Truncates an episode after max_episode_steps steps.")
      .def(nb::init<std::shared_ptr<Env>, int64_t>(), nb::arg("env"), nb::arg("max_episode_steps"),
           nb::sig("def __init__(self, env: Env, max_episode_steps: int) -> None"),
           "Wraps env with an episode limit.")
      .def_prop_ro("max_episode_steps", &env::TimeLimit::max_episode_steps,
                   "The episode length limit.")
      .def_prop_ro("elapsed_steps", &env::TimeLimit::elapsed_steps,
                   "Steps taken in the current episode.");

  nb::class_<env::RecordEpisodeStatistics, Wrapper>(
      env, "RecordEpisodeStatistics",
      "Adds info['episode'] = {'r': return, 'l': length, 't': seconds} at an episode's end.")
      .def(nb::init<std::shared_ptr<Env>, int64_t, std::string>(), nb::arg("env"),
           nb::arg("buffer_length") = 100, nb::arg("stats_key") = "episode",
           nb::sig("def __init__(self, env: Env, buffer_length: int = 100, "
                   "stats_key: str = 'episode') -> None"),
           "Wraps env, keeping the last buffer_length episodes' figures.")
      .def_prop_ro("episode_count", &env::RecordEpisodeStatistics::episode_count,
                   "Episodes finished so far.")
      .def_prop_ro(
          "return_queue",
          [](const env::RecordEpisodeStatistics& self) { return to_list(self.return_queue()); },
          "The returns of the last buffer_length episodes.")
      .def_prop_ro(
          "length_queue",
          [](const env::RecordEpisodeStatistics& self) { return to_list(self.length_queue()); },
          "The lengths of the last buffer_length episodes.")
      .def_prop_ro(
          "time_queue",
          [](const env::RecordEpisodeStatistics& self) { return to_list(self.time_queue()); },
          "The durations in seconds of the last buffer_length episodes.");

  nb::class_<env::NormalizeObservation, Wrapper>(
      env, "NormalizeObservation",
      "Observations normalised by the running mean and variance of those seen (float32).")
      .def(nb::init<std::shared_ptr<Env>, double>(), nb::arg("env"), nb::arg("epsilon") = 1e-8,
           nb::sig("def __init__(self, env: Env, epsilon: float = 1e-8) -> None"),
           "Wraps env; epsilon keeps the division away from zero.")
      .def_rw("update_running_mean", &env::NormalizeObservation::update_running_mean,
              "Whether observations still update the statistics.")
      .def_prop_ro(
          "obs_rms",
          [](const env::NormalizeObservation& self) {
            return running_mean_std_to_python(self.obs_rms());
          },
          "The running statistics: {'mean', 'var', 'count'}.");

  nb::class_<env::NormalizeReward, Wrapper>(
      env, "NormalizeReward",
      "Rewards scaled by the running standard deviation of the discounted return.")
      .def(nb::init<std::shared_ptr<Env>, double, double>(), nb::arg("env"),
           nb::arg("gamma") = 0.99, nb::arg("epsilon") = 1e-8,
           nb::sig("def __init__(self, env: Env, gamma: float = 0.99, epsilon: float = 1e-8) "
                   "-> None"),
           "Wraps env; gamma discounts the return whose deviation scales the rewards.")
      .def_rw("update_running_mean", &env::NormalizeReward::update_running_mean,
              "Whether rewards still update the statistics.")
      .def_prop_ro(
          "return_rms",
          [](const env::NormalizeReward& self) {
            return running_mean_std_to_python(self.return_rms());
          },
          "The running statistics of the discounted return: {'mean', 'var', 'count'}.")
      .def_prop_ro("discounted_reward", &env::NormalizeReward::discounted_reward,
                   "The discounted return accumulated so far.");

  nb::class_<env::ClipAction, Wrapper>(env, "ClipAction",
                                       "Clips continuous actions into the Box action space.")
      .def(nb::init<std::shared_ptr<Env>>(), nb::arg("env"),
           nb::sig("def __init__(self, env: Env) -> None"),
           "Wraps an env with a Box action space.");

  nb::class_<env::TransformObservation, Wrapper>(env, "TransformObservation",
                                                 "Applies func to every observation.")
      .def(
          "__init__",
          [](env::TransformObservation* self, std::shared_ptr<Env> wrapped, nb::callable func,
             std::shared_ptr<env::Space> observation_space) {
            // func may return an array or a list: the result becomes a tensor here (tuples and
            // dicts stay Tuple and Dict observations). The callable runs with the GIL, whichever
            // thread steps the env.
            auto transform = [func = nb::object(func)](const env::Observation& observation) {
              nb::gil_scoped_acquire acquire;
              return observation_from_python(func(observation_to_python(observation)));
            };
            new (self) env::TransformObservation(std::move(wrapped), transform,
                                                 std::move(observation_space));
          },
          nb::arg("env"), nb::arg("func"), nb::arg("observation_space").none(),
          nb::sig("def __init__(self, env: Env, func, observation_space) -> None"),
          "Wraps env; observation_space describes func's results (None: the env's space).");

  nb::class_<env::FrameStackObservation, Wrapper>(
      env, "FrameStackObservation",
      "The last stack_size observations stacked along a new first dimension.")
      .def(nb::init<std::shared_ptr<Env>, int64_t, std::string>(), nb::arg("env"),
           nb::arg("stack_size"), nb::kw_only(), nb::arg("padding_type") = "reset",
           nb::sig("def __init__(self, env: Env, stack_size: int, *, padding_type: str = 'reset') "
                   "-> None"),
           "Wraps env; an episode's missing frames are its reset observation ('reset') or "
           "zeros ('zero').")
      .def_prop_ro("stack_size", &env::FrameStackObservation::stack_size, "Frames per observation.")
      .def_prop_ro("padding_type", &env::FrameStackObservation::padding_type, "'reset' or 'zero'.");
}

void bind_registry(nb::module_& env) {
  env.def(
      "make",
      [](const std::string& id, std::optional<int64_t> max_episode_steps, nb::handle kwargs) {
        Info kwargs_value = options_from_python(kwargs);
        return env::make(id, kwargs_value, max_episode_steps);
      },
      nb::arg("id"), nb::arg("max_episode_steps").none(), nb::arg("kwargs").none(),
      nb::sig("def make(id: str, max_episode_steps: int | None, kwargs: dict | None) -> Env"),
      "ember::env::make: the registered env, in a TimeLimit when a limit is known.");
  env.def(
      "register_env",
      [](const std::string& id, nb::callable factory, std::optional<int64_t> max_episode_steps,
         std::optional<double> reward_threshold, nb::handle kwargs, const std::string& entry_point,
         bool nondeterministic) {
        // The Python factory runs with the GIL, whichever thread makes the env.
        auto make_env = [factory = nb::object(factory)](const env::EnvKwargs& env_kwargs) {
          nb::gil_scoped_acquire acquire;
          nb::object made = factory(**info_to_python(env_kwargs));
          return nb::cast<std::shared_ptr<Env>>(made);
        };
        env::EnvSpec spec{id, entry_point, max_episode_steps, options_from_python(kwargs)};
        spec.nondeterministic = nondeterministic;
        env::register_env(std::move(spec), make_env, reward_threshold);
      },
      nb::arg("id"), nb::arg("factory"), nb::arg("max_episode_steps").none(),
      nb::arg("reward_threshold").none(), nb::arg("kwargs").none(), nb::arg("entry_point"),
      nb::arg("nondeterministic") = false,
      nb::sig("def register_env(id: str, factory, max_episode_steps: int | None, "
              "reward_threshold: float | None, kwargs: dict | None, entry_point: str, "
              "nondeterministic: bool = False) -> None"),
      "Registers id: factory(**kwargs) returns the env.");
  env.def(
      "registration",
      [](const std::string& id) {
        env::EnvRegistration entry = env::registration(id);
        return nb::make_tuple(entry.spec, entry.reward_threshold);
      },
      nb::arg("id"), nb::sig("def registration(id: str) -> tuple"),
      "(EnvSpec, reward_threshold) of a registered id.");
  env.def("registered_env_ids", &env::registered_env_ids,
          nb::sig("def registered_env_ids() -> list[str]"), "The registered ids, sorted.");
  env.def("unregister_env", &env::unregister_env, nb::arg("id"),
          nb::sig("def unregister_env(id: str) -> bool"),
          "Removes a registered id; whether it was there.");
}

}  // namespace

void init_env_wrappers(nb::module_& module) {
  nb::module_ env = nb::borrow<nb::module_>(module.attr("_env"));
  bind_wrapper_base(env);
  bind_wrappers(env);
  bind_registry(env);
}

}  // namespace ember::python
