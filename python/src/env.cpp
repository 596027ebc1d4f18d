// ember._C._env: Env (Gymnasium's API, subclassable from Python through a trampoline, so that a
// Python environment is a C++ Env that C++ wrappers and vector envs can run) and the built-in
// environments, over ember/env/.
#include <nanobind/stl/array.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/shared_ptr.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>
#include <nanobind/trampoline.h>

#include "convert.h"
#include "ember/env/builtin/acrobot.h"
#include "ember/env/builtin/cart_pole.h"
#include "ember/env/builtin/mountain_car.h"
#include "ember/env/builtin/pendulum.h"
#include "ember/ops/ops.h"
#include "env_bindings.h"

namespace ember::python {

using env::Env;
using env::Info;
using env::InfoValue;
using env::ResetResult;
using env::StepResult;

namespace {

nb::object info_value_to_python(const InfoValue& value) {
  return std::visit([](const auto& v) -> nb::object { return nb::cast(v); }, value);
}

InfoValue info_value_from_python(nb::handle value, const std::string& key) {
  if (nb::isinstance<Tensor>(value)) return nb::cast<Tensor>(value);
  if (PyBool_Check(value.ptr())) return nb::cast<bool>(value);
  if (nb::isinstance<nb::str>(value)) return nb::cast<std::string>(value);
  if (PyLong_Check(value.ptr())) return nb::cast<int64_t>(value);
  if (PyFloat_Check(value.ptr())) return nb::cast<double>(value);
  // numpy scalars and arrays.
  if (nb::hasattr(value, "dtype") && nb::hasattr(value, "shape")) {
    if (nb::len(nb::object(value.attr("shape"))) == 0) {
      std::string kind = nb::cast<std::string>(value.attr("dtype").attr("kind"));
      if (kind == "b") return nb::cast<bool>(value.attr("item")());
      if (kind == "i" || kind == "u") return nb::cast<int64_t>(value.attr("item")());
      if (kind == "f") return nb::cast<double>(value.attr("item")());
    }
    return tensor_from_python(value);
  }
  throw TypeError("[info] expected bool, int, float, str, a tensor or an array under '" + key +
                  "'; received " + nb::cast<std::string>(nb::str(nb::type_name(value.type()))));
}

// An observation (Python envs may return numpy arrays) or a rendered frame.
std::optional<Tensor> optional_tensor(nb::handle object) {
  if (object.is_none()) return std::nullopt;
  return tensor_from_python(object);
}

ResetResult reset_result_from_python(nb::handle result, const char* where) {
  EMBER_CHECK_TYPE(nb::isinstance<nb::tuple>(result) && nb::len(result) == 2, "[", where,
                   "] expected reset() to return (observation, info); received ",
                   nb::cast<std::string>(nb::repr(result)));
  return {observation_from_python(result[0]), info_from_python(result[1])};
}

StepResult step_result_from_python(nb::handle result, const char* where) {
  EMBER_CHECK_TYPE(nb::isinstance<nb::tuple>(result) && nb::len(result) == 5, "[", where,
                   "] expected step() to return (observation, reward, terminated, truncated, "
                   "info); received ",
                   nb::cast<std::string>(nb::repr(result)));
  return {observation_from_python(result[0]), nb::cast<double>(nb::float_(result[1])),
          nb::cast<bool>(nb::bool_(result[2])), nb::cast<bool>(nb::bool_(result[3])),
          info_from_python(result[4])};
}

template <size_t N>
nb::tuple state_tuple(const std::array<double, N>& state) {
  nb::list values;
  for (double value : state) values.append(value);
  return nb::tuple(values);
}

// A Python subclass of ember.env.Env: C++ calls of reset/step/render/close reach its methods.
// reset is called with keywords (Gymnasium's reset(*, seed=None, options=None)).
class PyEnv : public Env {
 public:
  NB_TRAMPOLINE(Env);

  ResetResult reset(std::optional<uint64_t> seed, const Info& options) override {
    constexpr uint64_t kHash = nb::detail::str_hash("reset");
    nb::detail::ticket ticket(nb_trampoline, "reset", kHash, false);
    if (ticket.key.is_valid()) {
      nb::object result = nb_trampoline.base().attr(ticket.key)(
          nb::arg("seed") = seed, nb::arg("options") = options.empty()
                                                           ? nb::object(nb::none())
                                                           : nb::object(info_to_python(options)));
      return reset_result_from_python(result, "Env.reset");
    }
    return Env::reset(seed, options);
  }

  StepResult step(const Tensor& action) override {
    constexpr uint64_t kHash = nb::detail::str_hash("step");
    nb::detail::ticket ticket(nb_trampoline, "step", kHash, true);
    nb::object result = nb_trampoline.base().attr(ticket.key)(action);
    return step_result_from_python(result, "Env.step");
  }

  std::optional<Tensor> render() override {
    constexpr uint64_t kHash = nb::detail::str_hash("render");
    nb::detail::ticket ticket(nb_trampoline, "render", kHash, false);
    if (ticket.key.is_valid()) return optional_tensor(nb_trampoline.base().attr(ticket.key)());
    return Env::render();
  }

  void close() override { NB_OVERRIDE(close); }
};

}  // namespace

nb::object observation_to_python(const env::Observation& observation) {
  using Kind = env::Observation::Kind;
  if (observation.kind() == Kind::kTensor) {
    if (!observation.defined()) return nb::none();
    return nb::cast(static_cast<const Tensor&>(observation));
  }
  if (observation.kind() == Kind::kTuple) {
    nb::list parts;
    for (size_t i = 0; i < observation.num_parts(); ++i) {
      parts.append(observation_to_python(observation.part(i)));
    }
    return nb::tuple(parts);
  }
  nb::dict parts;
  for (size_t i = 0; i < observation.num_parts(); ++i) {
    parts[observation.keys()[i].c_str()] = observation_to_python(observation.part(i));
  }
  return parts;
}

env::Observation observation_from_python(nb::handle object) {
  if (nb::isinstance<nb::tuple>(object)) {
    std::vector<env::Observation> elements;
    for (nb::handle element : object) elements.push_back(observation_from_python(element));
    return env::Observation::tuple(std::move(elements));
  }
  if (nb::isinstance<nb::dict>(object)) {
    std::vector<std::pair<std::string, env::Observation>> entries;
    for (auto [key, value] : nb::borrow<nb::dict>(object)) {
      EMBER_CHECK_TYPE(nb::isinstance<nb::str>(key),
                       "[Env] expected a dict observation with str keys; received the key ",
                       nb::cast<std::string>(nb::repr(key)));
      entries.emplace_back(nb::cast<std::string>(key), observation_from_python(value));
    }
    return env::Observation::dict(std::move(entries));
  }
  return tensor_from_python(object);
}

nb::tuple reset_to_python(const ResetResult& result) {
  return nb::make_tuple(observation_to_python(result.observation), info_to_python(result.info));
}

nb::tuple step_to_python(const StepResult& result) {
  return nb::make_tuple(observation_to_python(result.observation), result.reward, result.terminated,
                        result.truncated, info_to_python(result.info));
}

Info options_from_python(nb::handle options) {
  if (options.is_none()) return {};
  return info_from_python(options);
}

nb::dict info_to_python(const Info& info) {
  nb::dict out;
  for (const auto& [key, value] : info) {
    auto slash = key.find('/');
    if (slash == std::string::npos) {
      out[key.c_str()] = info_value_to_python(value);
      continue;
    }
    std::string outer = key.substr(0, slash), inner = key.substr(slash + 1);
    if (!out.contains(outer.c_str())) out[outer.c_str()] = nb::dict();
    out[outer.c_str()][inner.c_str()] = info_value_to_python(value);
  }
  return out;
}

Info info_from_python(nb::handle dict) {
  Info info;
  if (dict.is_none()) return info;
  EMBER_CHECK_TYPE(nb::isinstance<nb::dict>(dict), "[info] expected a dict; received ",
                   nb::cast<std::string>(nb::str(nb::type_name(dict.type()))));
  for (auto [key, value] : nb::borrow<nb::dict>(dict)) {
    std::string name = nb::cast<std::string>(nb::str(key));
    if (nb::isinstance<nb::dict>(value)) {
      for (auto [inner_key, inner_value] : nb::borrow<nb::dict>(value)) {
        std::string inner = name + "/" + nb::cast<std::string>(nb::str(inner_key));
        info[inner] = info_value_from_python(inner_value, inner);
      }
      continue;
    }
    info[name] = info_value_from_python(value, name);
  }
  return info;
}

Tensor tensor_from_python(nb::handle object) {
  if (nb::isinstance<Tensor>(object)) return nb::cast<Tensor>(object);
  if (PyLong_Check(object.ptr()) && !PyBool_Check(object.ptr())) {
    return scalar_tensor(nb::cast<int64_t>(object), kInt64);
  }
  if (PyFloat_Check(object.ptr())) return scalar_tensor(nb::cast<double>(object), kFloat64);
  static nb::handle as_tensor =
      nb::object(nb::module_::import_("ember").attr("as_tensor")).release();
  return nb::cast<Tensor>(as_tensor(object));
}

void init_env(nb::module_& module) {
  nb::module_ env = module.def_submodule("_env", "ember.env's spaces and environments.");
  init_env_spaces(env);

  nb::class_<env::EnvSpec>(env, "EnvSpec", "Gymnasium's EnvSpec as make() fills it.")
      .def(nb::init<>(), nb::sig("def __init__(self) -> None"), "An empty spec.")
      .def_rw("id", &env::EnvSpec::id, "The environment id ('CartPole-v1').")
      .def_rw("entry_point", &env::EnvSpec::entry_point, "Where the environment was made from.")
      .def_rw("max_episode_steps", &env::EnvSpec::max_episode_steps,
              "TimeLimit's episode length, or None.")
      .def_prop_rw(
          "kwargs", [](const env::EnvSpec& self) { return info_to_python(self.kwargs); },
          [](env::EnvSpec& self, nb::handle kwargs) { self.kwargs = info_from_python(kwargs); },
          "The keyword arguments the environment was made with.")
      .def_rw("reward_threshold", &env::EnvSpec::reward_threshold,
              "The return at which the environment counts as solved, or None.")
      .def_rw("nondeterministic", &env::EnvSpec::nondeterministic,
              "Whether the same seed may give different episodes.")
      .def(
          "__repr__", [](const env::EnvSpec& self) { return "EnvSpec(id='" + self.id + "')"; },
          nb::sig("def __repr__(self) -> str"), "The spec's id.");

  auto env_class =
      nb::class_<Env, PyEnv>(
          env, "Env",
          "Gymnasium's Env: reset(*, seed=None, options=None) -> (observation, info), "
          "step(action) -> (observation, reward, terminated, truncated, info), render(), "
          "close(), observation_space, action_space, np_random. Subclass it in Python like "
          "gymnasium.Env (call super().__init__() and super().reset(seed=seed)).")
          .def(
              "__init__",
              [](Env* self, std::optional<std::string> render_mode) {
                new (self) PyEnv(render_mode.value_or(""));
              },
              nb::arg("render_mode") = nb::none(),
              nb::sig("def __init__(self, render_mode=None) -> None"),
              "The base of an environment written in Python.")
          .def(
              "reset",
              [](Env& self, nb::handle seed, nb::handle options) {
                // The base implementation only: a Python subclass's super().reset(seed=seed).
                return reset_to_python(self.Env::reset(seed_from_python(seed, "Env.reset"),
                                                       options_from_python(options)));
              },
              nb::kw_only(), nb::arg("seed") = nb::none(), nb::arg("options") = nb::none(),
              nb::sig("def reset(self, *, seed=None, options=None) -> tuple"),
              "Reseeds np_random when seed is given; environments call it first and then draw "
              "their initial state.")
          .def(
              "step",
              [](Env& self, nb::handle) -> nb::object {
                throw NotImplementedError("[" + self.name() +
                                          ".step] an environment must override step(action)");
              },
              nb::arg("action"), nb::sig("def step(self, action) -> tuple"),
              "One step: (observation, reward, terminated, truncated, info) (override it).")
          .def(
              "render",
              [](Env& self) -> nb::object {
                auto frame = self.Env::render();
                if (!frame) return nb::none();
                return nb::cast(*frame);
              },
              nb::sig("def render(self) -> Tensor | None"),
              "The frame for render_mode 'rgb_array' (override it); None here.")
          .def(
              "close", [](Env& self) { self.Env::close(); }, nb::sig("def close(self) -> None"),
              "Releases the environment's resources (override it when it holds any).")
          .def_prop_rw("observation_space", &Env::observation_space, &Env::set_observation_space,
                       "The space of the observations.")
          .def_prop_rw("action_space", &Env::action_space, &Env::set_action_space,
                       "The space of the actions.")
          .def_prop_rw("np_random", &Env::np_random, &Env::set_np_random,
                       nb::rv_policy::reference_internal,
                       "The environment's generator: reseeded by reset(seed=...), seeded from "
                       "entropy on first use otherwise.")
          .def_prop_ro("np_random_seed", &Env::np_random_seed,
                       "The seed np_random was made from (None before it exists).")
          .def_prop_rw(
              "render_mode",
              [](const Env& self) -> nb::object {
                if (self.render_mode().empty()) return nb::none();
                return nb::str(self.render_mode().c_str());
              },
              [](Env& self, std::optional<std::string> mode) {
                self.set_render_mode(mode.value_or(""));
              },
              "The render mode ('rgb_array') or None.")
          .def_prop_rw(
              "spec", [](Env& self) { return self.spec(); },
              [](Env& self, std::optional<env::EnvSpec> spec) { self.set_spec(std::move(spec)); },
              nb::rv_policy::reference_internal, "The EnvSpec make() set, or None.")
          .def_prop_ro(
              "metadata",
              [](const Env& self) {
                env::EnvMetadata metadata = self.metadata();
                nb::dict out;
                out["render_modes"] = nb::cast(metadata.render_modes);
                out["render_fps"] = metadata.render_fps;
                return out;
              },
              "Gymnasium's metadata: render_modes and render_fps.")
          .def_prop_ro("unwrapped", &Env::unwrapped, nb::rv_policy::reference,
                       "The innermost environment (the environment itself unless wrapped).")
          .def(
              "__enter__", [](nb::handle self) { return nb::borrow(self); },
              nb::sig("def __enter__(self) -> Env"), "The environment (a context manager).")
          .def(
              "__exit__", [](Env& self, nb::args) { self.close(); },
              nb::sig("def __exit__(self, *args) -> None"), "Closes the environment.")
          .def(
              "__repr__",
              [](Env& self) {
                return "<" + self.name() + (self.spec() ? "<" + self.spec()->id + ">" : "") + ">";
              },
              nb::sig("def __repr__(self) -> str"), "The environment's name.");
  (void)env_class;

  auto cart_pole = nb::class_<env::CartPole, Env>(
      env, "CartPoleEnv",
      "Gymnasium's CartPole-v1 in C++: Discrete(2) actions, float32 (4,) observations "
      "(cart position and velocity, pole angle and angular velocity).");
  cart_pole.def(
      "__init__",
      [](env::CartPole* self, bool sutton_barto_reward, std::optional<std::string> render_mode) {
        new (self) env::CartPole({sutton_barto_reward, render_mode.value_or("")});
      },
      nb::kw_only(), nb::arg("sutton_barto_reward") = false, nb::arg("render_mode") = nb::none(),
      nb::sig("def __init__(self, *, sutton_barto_reward=False, render_mode=None) -> None"),
      "A cart-pole; reset() before step().");
  bind_env_methods(cart_pole);
  cart_pole.def_prop_rw(
      "state", [](const env::CartPole& self) { return state_tuple(self.state()); },
      [](env::CartPole& self, std::array<double, 4> state) { self.set_state(state); },
      "The float64 state (x, x_dot, theta, theta_dot).");

  auto mountain_car = nb::class_<env::MountainCar, Env>(
      env, "MountainCarEnv",
      "Gymnasium's MountainCar-v0 in C++: Discrete(3) actions (push left, none, right), "
      "float32 (2,) observations (position, velocity), reward -1 per step.");
  mountain_car.def(
      "__init__",
      [](env::MountainCar* self, std::optional<std::string> render_mode, double goal_velocity) {
        new (self) env::MountainCar({goal_velocity, render_mode.value_or("")});
      },
      nb::kw_only(), nb::arg("render_mode") = nb::none(), nb::arg("goal_velocity") = 0.0,
      nb::sig("def __init__(self, *, render_mode=None, goal_velocity=0) -> None"),
      "A car in a valley; reset() before step().");
  bind_env_methods(mountain_car);
  mountain_car.def_prop_ro(
      "state", [](const env::MountainCar& self) { return state_tuple(self.state()); },
      "The float64 state (position, velocity).");

  auto continuous_car = nb::class_<env::MountainCarContinuous, Env>(
      env, "Continuous_MountainCarEnv",
      "Gymnasium's MountainCarContinuous-v0 in C++: Box(-1, 1, (1,)) force actions (clipped), "
      "float32 (2,) observations (position, velocity), 100 at the goal minus 0.1 * force^2.");
  continuous_car.def(
      "__init__",
      [](env::MountainCarContinuous* self, std::optional<std::string> render_mode,
         double goal_velocity) {
        new (self) env::MountainCarContinuous({goal_velocity, render_mode.value_or("")});
      },
      nb::kw_only(), nb::arg("render_mode") = nb::none(), nb::arg("goal_velocity") = 0.0,
      nb::sig("def __init__(self, *, render_mode=None, goal_velocity=0) -> None"),
      "A car in a valley with a continuous throttle; reset() before step().");
  bind_env_methods(continuous_car);
  continuous_car.def_prop_ro(
      "state", [](const env::MountainCarContinuous& self) { return state_tuple(self.state()); },
      "The state (position, velocity), float32 values after the first step as Gymnasium's.");

  auto pendulum = nb::class_<env::Pendulum, Env>(
      env, "PendulumEnv",
      "Gymnasium's Pendulum-v1 in C++: Box(-2, 2, (1,)) torque actions (clipped), float32 (3,) "
      "observations (cos, sin, angular velocity), reward -(angle^2 + 0.1 velocity^2 + 0.001 "
      "torque^2).");
  pendulum.def(
      "__init__",
      [](env::Pendulum* self, std::optional<std::string> render_mode, double g) {
        new (self) env::Pendulum({g, render_mode.value_or("")});
      },
      nb::kw_only(), nb::arg("render_mode") = nb::none(), nb::arg("g") = 10.0,
      nb::sig("def __init__(self, *, render_mode=None, g=10.0) -> None"),
      "An inverted pendulum; reset() before step().");
  bind_env_methods(pendulum);
  pendulum.def_prop_ro(
      "state", [](const env::Pendulum& self) { return state_tuple(self.state()); },
      "The float64 state (theta, theta_dot).");

  auto acrobot = nb::class_<env::Acrobot, Env>(
      env, "AcrobotEnv",
      "Gymnasium's Acrobot-v1 in C++: Discrete(3) torques (-1, 0, 1), float32 (6,) observations "
      "(cos and sin of both joint angles, both angular velocities), reward -1 until the end "
      "rises above the bar.");
  acrobot.def(
      "__init__",
      [](env::Acrobot* self, std::optional<std::string> render_mode) {
        new (self) env::Acrobot({render_mode.value_or("")});
      },
      nb::kw_only(), nb::arg("render_mode") = nb::none(),
      nb::sig("def __init__(self, *, render_mode=None) -> None"),
      "A two-link pendulum actuated at the joint; reset() before step().");
  bind_env_methods(acrobot);
  acrobot.def_prop_ro(
      "state", [](const env::Acrobot& self) { return state_tuple(self.state()); },
      "The float64 state (theta1, theta2, dtheta1, dtheta2).");
}

}  // namespace ember::python
