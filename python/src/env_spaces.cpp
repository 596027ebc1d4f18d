// ember.env.spaces (Gymnasium's spaces): Box, Discrete, MultiDiscrete, MultiBinary, Tuple, Dict
// over ember/env/spaces.h, and NpRandom (Gymnasium's np_random generator).
#include <nanobind/stl/optional.h>
#include <nanobind/stl/pair.h>
#include <nanobind/stl/shared_ptr.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include <limits>

#include "convert.h"
#include "ember/ops/ops.h"
#include "env_bindings.h"

namespace ember::python {

using env::Box;
using env::DictSpace;
using env::Discrete;
using env::MultiBinary;
using env::MultiDiscrete;
using env::NpRandom;
using env::Space;
using env::TupleSpace;

namespace {

// An ember dtype, or a numpy dtype / scalar type (np.float32), as Gymnasium's spaces take.
ScalarType dtype_from_python(nb::handle object, ScalarType fallback) {
  if (object.is_none()) return fallback;
  if (nb::isinstance<DType>(object)) return nb::cast<DType>(object).type;
  std::string name;
  try {
    name = nb::cast<std::string>(nb::module_::import_("numpy").attr("dtype")(object).attr("name"));
  } catch (const nb::python_error&) {
    name = "?";
  }
  static const std::pair<const char*, ScalarType> kNames[] = {
      {"float32", kFloat32}, {"float64", kFloat64}, {"float16", kFloat16},
      {"int64", kInt64},     {"int32", kInt32},     {"int16", kInt16},
      {"int8", kInt8},       {"uint8", kUInt8},     {"bool", kBool}};
  for (const auto& [known, type] : kNames) {
    if (name == known) return type;
  }
  throw TypeError("[spaces] expected an ember or numpy dtype; received " +
                  nb::cast<std::string>(nb::repr(object)));
}

nb::object shape_tuple(const std::vector<int64_t>& shape) {
  nb::list dims;
  for (int64_t size : shape) dims.append(size);
  return nb::tuple(dims);
}

bool is_composite(const Space& space) {
  return dynamic_cast<const TupleSpace*>(&space) || dynamic_cast<const DictSpace*>(&space);
}

bool contains_python(Space& space, nb::handle x);

bool contains_tensor_like(Space& space, nb::handle x, std::optional<ScalarType> cast_to) {
  if (nb::isinstance<Tensor>(x)) return space.contains(nb::cast<const Tensor&>(x));
  try {
    nb::object as_tensor = nb::module_::import_("ember").attr("as_tensor");
    bool is_array = nb::hasattr(x, "dtype") && nb::hasattr(x, "shape");
    nb::object tensor = cast_to && !is_array
                            ? as_tensor(x, nb::arg("dtype") = dtype_object(*cast_to))
                            : as_tensor(x);
    return space.contains(nb::cast<const Tensor&>(tensor));
  } catch (const nb::python_error&) {
    return false;
  } catch (const ember::Error&) {
    return false;
  }
}

bool contains_python(Space& space, nb::handle x) {
  if (auto* tuple = dynamic_cast<TupleSpace*>(&space)) {
    if (!nb::isinstance<nb::tuple>(x) && !nb::isinstance<nb::list>(x)) return false;
    if (nb::len(x) != tuple->spaces().size()) return false;
    for (size_t i = 0; i < tuple->spaces().size(); ++i) {
      if (!contains_python(*tuple->spaces()[i], x[i])) return false;
    }
    return true;
  }
  if (auto* dict = dynamic_cast<DictSpace*>(&space)) {
    if (!nb::isinstance<nb::dict>(x) || nb::len(x) != dict->spaces().size()) return false;
    nb::dict values = nb::borrow<nb::dict>(x);
    for (const auto& [key, child] : dict->spaces()) {
      if (!values.contains(key.c_str()) || !contains_python(*child, values[key.c_str()])) {
        return false;
      }
    }
    return true;
  }
  if (auto* discrete = dynamic_cast<Discrete*>(&space)) {
    if (nb::isinstance<Tensor>(x)) return discrete->contains(nb::cast<const Tensor&>(x));
    // Python and numpy integers (Gymnasium's contains takes both); floats are not actions.
    if (PyFloat_Check(x.ptr()) || !PyIndex_Check(x.ptr())) {
      if (nb::hasattr(x, "dtype") && nb::hasattr(x, "shape")) {
        return contains_tensor_like(space, x, std::nullopt);
      }
      return false;
    }
    int overflow = 0;
    nb::object index = nb::steal(PyNumber_Index(x.ptr()));
    long long value = PyLong_AsLongLongAndOverflow(index.ptr(), &overflow);
    return overflow == 0 && discrete->contains(static_cast<int64_t>(value));
  }
  std::optional<ScalarType> cast_to;
  if (dynamic_cast<Box*>(&space)) cast_to = space.dtype();
  return contains_tensor_like(space, x, cast_to);
}

// The seeds seed() used, shaped like the space: an int per leaf, tuples and dicts for composites.
nb::object seeds_to_python(const Space& space, const std::vector<uint64_t>& seeds, size_t& next) {
  if (const auto* tuple = dynamic_cast<const TupleSpace*>(&space)) {
    nb::list out;
    for (const auto& child : tuple->spaces()) out.append(seeds_to_python(*child, seeds, next));
    return nb::tuple(out);
  }
  if (const auto* dict = dynamic_cast<const DictSpace*>(&space)) {
    nb::dict out;
    for (const auto& [key, child] : dict->spaces()) {
      out[key.c_str()] = seeds_to_python(*child, seeds, next);
    }
    return out;
  }
  return nb::int_(seeds.at(next++));
}

nb::object seed_python(Space& space, nb::handle seed) {
  // A list or tuple seeds a composite's children one by one (Gymnasium).
  if (is_composite(space) && (nb::isinstance<nb::list>(seed) || nb::isinstance<nb::tuple>(seed) ||
                              nb::isinstance<nb::dict>(seed))) {
    if (auto* tuple = dynamic_cast<TupleSpace*>(&space)) {
      EMBER_CHECK_VALUE(nb::len(seed) == tuple->spaces().size(), "[Tuple.seed] expected ",
                        tuple->spaces().size(), " seeds, one per subspace; received ",
                        nb::len(seed));
      nb::list out;
      for (size_t i = 0; i < tuple->spaces().size(); ++i) {
        out.append(seed_python(*tuple->spaces()[i], seed[i]));
      }
      return nb::tuple(out);
    }
    auto& dict = dynamic_cast<DictSpace&>(space);
    EMBER_CHECK_VALUE(nb::isinstance<nb::dict>(seed) && nb::len(seed) == dict.spaces().size(),
                      "[Dict.seed] expected a dict of seeds with the space's keys");
    nb::dict out;
    for (const auto& [key, child] : dict.spaces()) {
      out[key.c_str()] = seed_python(*child, seed[key.c_str()]);
    }
    return out;
  }
  std::vector<uint64_t> seeds = space.seed(seed_from_python(seed, "Space.seed"));
  size_t next = 0;
  return seeds_to_python(space, seeds, next);
}

// low/high of a Box: numbers as float64 0-d tensors (so that infinities survive), else tensors.
Tensor bound_from_python(nb::handle bound) {
  if (PyFloat_Check(bound.ptr()) || PyLong_Check(bound.ptr())) {
    return scalar_tensor(nb::cast<double>(bound), kFloat64);
  }
  return tensor_from_python(bound);
}

}  // namespace

nb::object sample_to_python(Space& space) {
  if (auto* tuple = dynamic_cast<TupleSpace*>(&space)) {
    nb::list out;
    for (const auto& child : tuple->spaces()) out.append(sample_to_python(*child));
    return nb::tuple(out);
  }
  if (auto* dict = dynamic_cast<DictSpace*>(&space)) {
    nb::dict out;
    for (const auto& [key, child] : dict->spaces()) out[key.c_str()] = sample_to_python(*child);
    return out;
  }
  if (auto* discrete = dynamic_cast<Discrete*>(&space)) return nb::int_(discrete->sample_value());
  return nb::cast(space.sample());
}

std::optional<uint64_t> seed_from_python(nb::handle seed, const char* where) {
  if (seed.is_none()) return std::nullopt;
  EMBER_CHECK_TYPE(PyLong_Check(seed.ptr()) && !PyBool_Check(seed.ptr()), "[", where,
                   "] expected the seed to be None or a Python int; received ",
                   nb::cast<std::string>(nb::str(nb::type_name(seed.type()))));
  int overflow = 0;
  unsigned long long value = PyLong_AsUnsignedLongLong(seed.ptr());
  if (PyErr_Occurred()) {
    PyErr_Clear();
    overflow = 1;
  }
  EMBER_CHECK_VALUE(overflow == 0, "[", where,
                    "] expected a non-negative seed below 2**64; received ",
                    nb::cast<std::string>(nb::repr(seed)));
  return static_cast<uint64_t>(value);
}

void init_env_spaces(nb::module_& env) {
  nb::class_<NpRandom>(env, "NpRandom",
                       "numpy's Generator(PCG64(SeedSequence(seed))), bit for bit for the draws "
                       "the environments and spaces make (Gymnasium's np_random).")
      .def(nb::init<uint64_t>(), nb::arg("seed"), nb::sig("def __init__(self, seed) -> None"),
           "A generator seeded like numpy.random.default_rng(seed).")
      .def_prop_ro("seed", &NpRandom::seed, "The seed this generator was made from.")
      .def("random_raw", &NpRandom::next_uint64, nb::sig("def random_raw(self) -> int"),
           "PCG64's next 64-bit output (bit_generator.random_raw()).")
      .def("random", &NpRandom::random, nb::sig("def random(self) -> float"),
           "A float in [0, 1) (Generator.random()).")
      .def("uniform", &NpRandom::uniform, nb::arg("low") = 0.0, nb::arg("high") = 1.0,
           nb::sig("def uniform(self, low=0.0, high=1.0) -> float"),
           "low + (high - low) * random() (Generator.uniform).")
      .def(
          "integers",
          [](NpRandom& self, int64_t low, std::optional<int64_t> high) {
            return high ? self.integers(low, *high) : self.integers(0, low);
          },
          nb::arg("low"), nb::arg("high") = nb::none(),
          nb::sig("def integers(self, low, high=None) -> int"),
          "An int in [low, high), or [0, low) without high (Generator.integers).");

  nb::class_<Space>(env, "Space",
                    "Gymnasium's Space: the set of valid observations or actions, with sample(), "
                    "contains() and seed().")
      .def(
          "sample", [](Space& self) { return sample_to_python(self); },
          nb::sig("def sample(self) -> object"), "A random element from the space's np_random.")
      .def("contains", &contains_python, nb::arg("x"), nb::sig("def contains(self, x) -> bool"),
           "Whether x is an element of the space.")
      .def("__contains__", &contains_python, nb::arg("x"),
           nb::sig("def __contains__(self, x) -> bool"), "Whether x is an element of the space.")
      .def("seed", &seed_python, nb::arg("seed") = nb::none(),
           nb::sig("def seed(self, seed=None) -> object"),
           "Seeds the space's np_random (from entropy without a seed); returns the seed(s) used.")
      .def_prop_ro("np_random", &Space::np_random, nb::rv_policy::reference_internal,
                   "The space's generator, seeded from entropy on first use.")
      .def_prop_ro(
          "shape",
          [](const Space& self) -> nb::object {
            if (is_composite(self)) return nb::none();
            return shape_tuple(self.shape());
          },
          "The shape of the space's elements (None for Tuple and Dict).")
      .def_prop_ro(
          "dtype",
          [](const Space& self) -> nb::object {
            if (is_composite(self)) return nb::none();
            return dtype_object(self.dtype());
          },
          "The dtype of the space's elements (None for Tuple and Dict).")
      .def_prop_ro(
          "is_np_flattenable", [](const Space&) { return true; },
          "Whether the space flattens into an array (Gymnasium's property).")
      .def("__repr__", &Space::repr, nb::sig("def __repr__(self) -> str"), "Gymnasium's repr.")
      .def(
          "__eq__",
          [](const Space& self, nb::handle other) {
            return nb::isinstance<Space>(other) && self.equals(nb::cast<const Space&>(other));
          },
          nb::arg("other"), nb::sig("def __eq__(self, other) -> bool"), "Equality as Gymnasium's.");

  nb::class_<Box, Space>(env, "Box",
                         "Gymnasium's Box: a (possibly unbounded) box of a float or integer "
                         "dtype. Bounded dimensions sample numpy's uniform stream exactly.")
      .def(
          "__init__",
          [](Box* self, nb::handle low, nb::handle high, nb::handle shape, nb::handle dtype,
             nb::handle seed) {
            Tensor low_tensor = bound_from_python(low), high_tensor = bound_from_python(high);
            std::vector<int64_t> dims;
            if (!shape.is_none()) {
              dims = to_dims(shape);
            } else if (low_tensor.dim() > 0) {
              dims = {low_tensor.sizes().begin(), low_tensor.sizes().end()};
            } else if (high_tensor.dim() > 0) {
              dims = {high_tensor.sizes().begin(), high_tensor.sizes().end()};
            } else {
              throw ValueError(
                  "[Box] expected a shape, or low or high as an array; received "
                  "two scalars and no shape");
            }
            new (self) Box(low_tensor, high_tensor, dims, dtype_from_python(dtype, kFloat32));
            if (!seed.is_none()) self->seed(seed_from_python(seed, "Box"));
          },
          nb::arg("low"), nb::arg("high"), nb::arg("shape") = nb::none(),
          nb::arg("dtype") = nb::none(), nb::arg("seed") = nb::none(),
          nb::sig("def __init__(self, low, high, shape=None, dtype=float32, seed=None) -> None"),
          "A box from low and high (numbers, arrays or tensors) broadcast to shape.")
      .def_prop_ro("low", &Box::low, "The lower bounds (a tensor of the space's dtype).")
      .def_prop_ro("high", &Box::high, "The upper bounds (a tensor of the space's dtype).")
      .def_prop_ro(
          "bounded_below",
          [](const Box& self) {
            std::vector<uint8_t> flags(self.bounded_below().begin(), self.bounded_below().end());
            return from_blob_copy(flags.data(), self.shape(), kBool);
          },
          "Whether each element's lower bound is finite (a bool tensor).")
      .def_prop_ro(
          "bounded_above",
          [](const Box& self) {
            std::vector<uint8_t> flags(self.bounded_above().begin(), self.bounded_above().end());
            return from_blob_copy(flags.data(), self.shape(), kBool);
          },
          "Whether each element's upper bound is finite (a bool tensor).")
      .def("is_bounded", &Box::is_bounded, nb::arg("manner") = "both",
           nb::sig("def is_bounded(self, manner='both') -> bool"),
           "Whether the box is bounded 'both', 'below' or 'above'.");

  nb::class_<Discrete, Space>(env, "Discrete",
                              "Gymnasium's Discrete: the integers start, ..., start + n - 1; "
                              "sample() returns a Python int.")
      .def(
          "__init__",
          [](Discrete* self, int64_t n, nb::handle seed, int64_t start) {
            new (self) Discrete(n, start);
            if (!seed.is_none()) self->seed(seed_from_python(seed, "Discrete"));
          },
          nb::arg("n"), nb::arg("seed") = nb::none(), nb::arg("start") = 0,
          nb::sig("def __init__(self, n, seed=None, start=0) -> None"),
          "The space of n integers from start.")
      .def_prop_ro("n", &Discrete::n, "The number of elements.")
      .def_prop_ro("start", &Discrete::start, "The smallest element.");

  nb::class_<MultiDiscrete, Space>(env, "MultiDiscrete",
                                   "Gymnasium's MultiDiscrete: one Discrete per element of nvec "
                                   "(int64 tensors).")
      .def(
          "__init__",
          [](MultiDiscrete* self, nb::handle nvec, nb::handle seed, nb::handle start) {
            std::optional<std::vector<int64_t>> starts;
            if (!start.is_none()) starts = to_dims(start);
            new (self) MultiDiscrete(to_dims(nvec), starts);
            if (!seed.is_none()) self->seed(seed_from_python(seed, "MultiDiscrete"));
          },
          nb::arg("nvec"), nb::arg("seed") = nb::none(), nb::arg("start") = nb::none(),
          nb::sig("def __init__(self, nvec, seed=None, start=None) -> None"),
          "The space of integer vectors with x[i] in [start[i], start[i] + nvec[i]).")
      .def_prop_ro(
          "nvec",
          [](const MultiDiscrete& self) {
            return from_blob_copy(self.nvec().data(), self.shape(), kInt64);
          },
          "The number of values of each element (an int64 tensor).")
      .def_prop_ro(
          "start",
          [](const MultiDiscrete& self) {
            return from_blob_copy(self.start().data(), self.shape(), kInt64);
          },
          "The smallest value of each element (an int64 tensor).");

  nb::class_<MultiBinary, Space>(env, "MultiBinary",
                                 "Gymnasium's MultiBinary: int8 tensors of zeros and ones.")
      .def(
          "__init__",
          [](MultiBinary* self, nb::handle n, nb::handle seed) {
            new (self) MultiBinary(to_dims(n));
            if (!seed.is_none()) self->seed(seed_from_python(seed, "MultiBinary"));
          },
          nb::arg("n"), nb::arg("seed") = nb::none(),
          nb::sig("def __init__(self, n, seed=None) -> None"),
          "The binary arrays of shape n (an int or a shape).")
      .def_prop_ro(
          "n",
          [](const MultiBinary& self) -> nb::object {
            if (self.shape().size() == 1) return nb::int_(self.shape()[0]);
            return shape_tuple(self.shape());
          },
          "The shape given at construction (an int for one dimension).");

  nb::class_<TupleSpace, Space>(env, "Tuple", "Gymnasium's Tuple: a tuple of spaces.")
      .def(
          "__init__",
          [](TupleSpace* self, std::vector<std::shared_ptr<Space>> spaces, nb::handle seed) {
            new (self) TupleSpace(std::move(spaces));
            if (!seed.is_none()) seed_python(*self, seed);
          },
          nb::arg("spaces"), nb::arg("seed") = nb::none(),
          nb::sig("def __init__(self, spaces, seed=None) -> None"), "A tuple of the given spaces.")
      .def_prop_ro(
          "spaces", [](const TupleSpace& self) { return nb::tuple(nb::cast(self.spaces())); },
          "The subspaces.")
      .def(
          "__len__", [](const TupleSpace& self) { return self.spaces().size(); },
          nb::sig("def __len__(self) -> int"), "The number of subspaces.")
      .def(
          "__getitem__",
          [](const TupleSpace& self, int64_t index) {
            auto size = static_cast<int64_t>(self.spaces().size());
            EMBER_CHECK_INDEX(index >= -size && index < size, "[Tuple] index ", index,
                              " out of range for ", size, " subspaces");
            return self.spaces()[static_cast<size_t>(index < 0 ? index + size : index)];
          },
          nb::arg("index"), nb::sig("def __getitem__(self, index) -> Space"),
          "The subspace at index.");

  nb::class_<DictSpace, Space>(env, "Dict",
                               "Gymnasium's Dict: named spaces (a plain dict's keys sorted, as "
                               "Gymnasium).")
      .def(
          "__init__",
          [](DictSpace* self, nb::handle spaces, nb::handle seed, nb::kwargs kwargs) {
            // A plain dict's keys are sorted (Gymnasium); an OrderedDict, a sequence of
            // (key, space) pairs and keyword arguments keep their order.
            nb::list pairs;
            bool sort = spaces.is_none() || PyDict_CheckExact(spaces.ptr());
            if (!spaces.is_none()) {
              nb::object items = nb::hasattr(spaces, "items") ? nb::object(spaces.attr("items")())
                                                              : nb::borrow(spaces);
              for (nb::handle pair : items) pairs.append(nb::tuple(nb::borrow(pair)));
            }
            for (auto [key, value] : kwargs) pairs.append(nb::make_tuple(key, value));
            if (sort) pairs.attr("sort")();
            DictSpace::Entries entries;
            for (nb::handle pair : pairs) {
              EMBER_CHECK_TYPE(nb::len(pair) == 2 && nb::isinstance<Space>(pair[1]),
                               "[Dict] expected (key, space) pairs; received ",
                               nb::cast<std::string>(nb::repr(pair)));
              entries.emplace_back(nb::cast<std::string>(nb::str(pair[0])),
                                   nb::cast<std::shared_ptr<Space>>(pair[1]));
            }
            new (self) DictSpace(std::move(entries));
            if (!seed.is_none()) seed_python(*self, seed);
          },
          nb::arg("spaces") = nb::none(), nb::arg("seed") = nb::none(), nb::arg("kwargs"),
          nb::sig("def __init__(self, spaces=None, seed=None, **spaces_kwargs) -> None"),
          "Named spaces from a mapping or keyword arguments.")
      .def_prop_ro(
          "spaces",
          [](const DictSpace& self) {
            nb::dict out;
            for (const auto& [key, space] : self.spaces()) out[key.c_str()] = nb::cast(space);
            return out;
          },
          "The subspaces by key.")
      .def(
          "__len__", [](const DictSpace& self) { return self.spaces().size(); },
          nb::sig("def __len__(self) -> int"), "The number of subspaces.")
      .def(
          "keys",
          [](const DictSpace& self) {
            nb::list keys;
            for (const auto& entry : self.spaces()) keys.append(entry.first);
            return keys;
          },
          nb::sig("def keys(self) -> list"), "The keys in order.")
      .def(
          "__getitem__",
          [](const DictSpace& self, const std::string& key) {
            for (const auto& [name, space] : self.spaces()) {
              if (name == key) return space;
            }
            throw nb::key_error(key.c_str());
          },
          nb::arg("key"), nb::sig("def __getitem__(self, key) -> Space"), "The subspace at key.");
}

}  // namespace ember::python
