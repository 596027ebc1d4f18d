// Random numbers from Python: ember.Generator, the default generator and its state, the random
// factories and samplers with PyTorch's keyword-only generator=, and the in-place fills. The
// Generator methods lock the generator's mutex, as PyTorch's bindings do (the C++ accessors
// leave that to the caller, as libtorch's).
#include <nanobind/nanobind.h>
#include <nanobind/stl/optional.h>

#include <mutex>
#include <string>
#include <vector>

#include "convert.h"
#include "ember/ops/random.h"
#include "out.h"

namespace ember::python {
namespace {

using OptionalGenerator = std::optional<Generator>;

// A Python int as PyTorch reads a seed: as uint64, or a negative int64 reinterpreted bit for bit.
uint64_t to_seed(nb::handle object) {
  nb::object number = nb::steal(PyNumber_Index(object.ptr()));
  if (!number.is_valid()) throw nb::python_error();
  const unsigned long long value = PyLong_AsUnsignedLongLong(number.ptr());
  if (!(value == static_cast<unsigned long long>(-1) && PyErr_Occurred())) return value;
  PyErr_Clear();
  const long long signed_value = PyLong_AsLongLong(number.ptr());
  if (signed_value == -1 && PyErr_Occurred()) {
    PyErr_Clear();
    EMBER_CHECK(false,
                "[manual_seed] Overflow when unpacking long: a seed must lie in [-2**63, "
                "2**64)");
  }
  return static_cast<uint64_t>(signed_value);
}

void init_generator(nb::module_& module) {
  nb::class_<Generator>(module, "Generator",
                        "A random number generator: a Philox stream (seed, offset) that the "
                        "random ops draw from when passed as generator=.")
      .def(
          "__init__",
          [](Generator* self, nb::handle device) {
            const std::optional<Device> place = to_device(device);
            if (place && place->is_cuda()) {
              new (self) Generator(cuda::detail::createCUDAGenerator(place->index()));
            } else {
              new (self) Generator(ember::detail::createCPUGenerator());
            }
          },
          nb::arg("device") = "cpu", nb::sig("def __init__(self, device='cpu') -> None"),
          "A new generator with the default seed for `device` (cpu, or a CUDA device: raises "
          "RuntimeError without one).")
      .def(
          "manual_seed",
          [](Generator& self, nb::handle seed) -> Generator& {
            const uint64_t value = to_seed(seed);
            std::lock_guard<std::mutex> lock(self.mutex());
            self.set_current_seed(value);
            return self;
          },
          nb::arg("seed"), nb::rv_policy::reference_internal,
          nb::sig("def manual_seed(self, seed) -> Generator"),
          "Restarts the stream from seed; returns self.")
      .def(
          "seed",
          [](Generator& self) {
            std::lock_guard<std::mutex> lock(self.mutex());
            return self.seed();
          },
          nb::sig("def seed(self) -> int"),
          "Seeds from a non-deterministic source; returns the seed.")
      .def(
          "initial_seed",
          [](const Generator& self) {
            std::lock_guard<std::mutex> lock(self.mutex());
            return self.current_seed();
          },
          nb::sig("def initial_seed(self) -> int"), "The seed the stream started from.")
      .def(
          "get_state",
          [](const Generator& self) {
            std::lock_guard<std::mutex> lock(self.mutex());
            return self.get_state();
          },
          nb::sig("def get_state(self) -> Tensor"), "The state as a uint8 tensor (seed, offset).")
      .def(
          "set_state",
          [](Generator& self, const Tensor& state) -> Generator& {
            std::lock_guard<std::mutex> lock(self.mutex());
            self.set_state(state);
            return self;
          },
          nb::arg("new_state"), nb::rv_policy::reference_internal,
          nb::sig("def set_state(self, new_state) -> Generator"),
          "Restores a state from get_state(); returns self.")
      .def_prop_ro("device", &Generator::device,
                   "The device whose tensors the generator fills (cpu or cuda:i).")
      .def("__eq__", &Generator::operator==)
      .def("__hash__", [](const Generator& self) {
        return reinterpret_cast<intptr_t>(self.get<GeneratorImpl>());
      });

  // One Python object for the default generator, so that manual_seed(s) is default_generator.
  static nb::handle default_generator = nb::cast(ember::detail::getDefaultCPUGenerator()).release();
  module.attr("default_generator") = nb::borrow(default_generator);
  module.def(
      "manual_seed",
      [](nb::handle seed) {
        ember::manual_seed(to_seed(seed));
        return nb::borrow(default_generator);
      },
      nb::arg("seed"), nb::sig("def manual_seed(seed) -> Generator"),
      "Seeds the default generator and every CUDA device's; returns the CPU one.");
  module.def("seed", &ember::seed, nb::sig("def seed() -> int"),
             "Seeds the default generator from a non-deterministic source; returns the seed.");
  module.def("initial_seed", &ember::initial_seed, nb::sig("def initial_seed() -> int"),
             "The seed of the default generator (random per process unless manual_seed set it).");
  module.def("get_rng_state", &ember::get_rng_state, nb::sig("def get_rng_state() -> Tensor"),
             "The default generator's state as a uint8 tensor.");
  module.def("set_rng_state", &ember::set_rng_state, nb::arg("new_state"),
             nb::sig("def set_rng_state(new_state) -> None"),
             "Restores the default generator's state from get_rng_state().");
}

// Tensor.random_'s three forms as PyTorch's argument parser tells them apart: random_(),
// random_(to) and random_(from, to), where to may be None but not left out after `from`.
Tensor& random_from_python(Tensor& self, const nb::args& args, const nb::kwargs& kwargs,
                           OptionalGenerator generator) {
  std::optional<nb::handle> from, to;
  for (auto [key, value] : kwargs) {
    const std::string name = nb::cast<std::string>(key);
    EMBER_CHECK_TYPE(name == "from" || name == "to",
                     "[random_] random_() got an unexpected keyword argument '", name, "'");
    (name == "from" ? from : to) = value;
  }
  EMBER_CHECK_TYPE(args.size() <= 2,
                   "[random_] random_() takes at most 2 positional arguments; got ", args.size());
  EMBER_CHECK_TYPE(args.size() == 0 || !from,
                   "[random_] random_() got multiple values for argument 'from'");
  EMBER_CHECK_TYPE(args.size() < 2 || !to,
                   "[random_] random_() got multiple values for argument 'to'");
  if (args.size() == 2) {
    from = nb::handle(args[0]);
    to = nb::handle(args[1]);
  } else if (args.size() == 1) {
    (to ? from : to) = nb::handle(args[0]);  // random_(from, to=...) or random_(to)
  }
  if (!from && !to) return self.random_(generator);
  EMBER_CHECK_TYPE(to.has_value(),
                   "[random_] random_(from, to): 'to' is required with 'from' (None: up to the "
                   "dtype's bound); random_(to) takes `to` alone");
  if (!from) {
    EMBER_CHECK_TYPE(!to->is_none(), "[random_] random_(to): 'to' must be an int; got None");
    return self.random_(nb::cast<int64_t>(*to), generator);
  }
  const std::optional<int64_t> upper =
      to->is_none() ? std::nullopt : std::optional<int64_t>(nb::cast<int64_t>(*to));
  return self.random_(nb::cast<int64_t>(*from), upper, generator);
}

void init_factories(nb::module_& module) {
#define EMBER_RANDOM_FACTORY(name, doc)                                                       \
  module.def(                                                                                 \
      #name,                                                                                  \
      [](nb::args size, nb::handle size_keyword, OptionalGenerator generator, nb::handle out, \
         nb::handle dtype, nb::handle device, bool requires_grad) {                           \
        const TensorOptions options = options_from(out_dtype_or(dtype, out), device);         \
        return factory_out(                                                                   \
            #name, out,                                                                       \
            with_grad(ember::name(to_shape(size, size_keyword), generator, options),          \
                      requires_grad));                                                        \
      },                                                                                      \
      nb::arg("shape"), nb::kw_only(), nb::arg("size") = nb::none(),                          \
      nb::arg("generator") = nb::none(), nb::arg("out") = nb::none(),                         \
      nb::arg("dtype") = nb::none(), nb::arg("device") = nb::none(),                          \
      nb::arg("requires_grad") = false,                                                       \
      nb::sig("def " #name "(*shape, size=None, generator=None, out=None, dtype=None, "       \
              "device=None, requires_grad=False) -> Tensor"),                                 \
      doc);
  EMBER_RANDOM_FACTORY(rand, "A tensor of the given shape with samples from U[0, 1).")
  EMBER_RANDOM_FACTORY(randn, "A tensor of the given shape with samples from N(0, 1).")
#undef EMBER_RANDOM_FACTORY

  module.def(
      "randint",
      [](nb::args args, nb::handle size, OptionalGenerator generator, nb::handle out,
         nb::handle dtype, nb::handle device, bool requires_grad) {
        // randint(high, size) or randint(low, high, size)
        EMBER_CHECK_TYPE(args.size() >= 1 && args.size() <= 3,
                         "[randint] expected randint(high, size) or randint(low, high, size)");
        nb::handle shape_handle = size;
        size_t bounds = args.size();
        if (shape_handle.is_none()) {
          EMBER_CHECK_TYPE(args.size() >= 2, "[randint] missing the size argument");
          shape_handle = args[args.size() - 1];
          bounds = args.size() - 1;
        }
        const int64_t low = bounds == 2 ? nb::cast<int64_t>(args[0]) : 0;
        const int64_t high = nb::cast<int64_t>(args[bounds - 1]);
        const TensorOptions options = options_from(out_dtype_or(dtype, out), device);
        return factory_out(
            "randint", out,
            with_grad(ember::randint(low, high, to_dims(shape_handle), generator, options),
                      requires_grad));
      },
      nb::arg("args"), nb::kw_only(), nb::arg("size") = nb::none(),
      nb::arg("generator") = nb::none(), nb::arg("out") = nb::none(), nb::arg("dtype") = nb::none(),
      nb::arg("device") = nb::none(), nb::arg("requires_grad") = false,
      nb::sig("def randint(*args, size=None, generator=None, out=None, dtype=None, device=None, "
              "requires_grad=False) -> Tensor"),
      "randint(high, size) or randint(low, high, size): integers drawn uniformly from [low, high) "
      "(int64 by default).");
  module.def(
      "randint_like",
      [](const Tensor& self, int64_t a, std::optional<int64_t> b, nb::handle dtype,
         nb::handle device, bool requires_grad) {
        std::optional<TensorOptions> options;
        if (!dtype.is_none() || !device.is_none()) options = options_from(dtype, device);
        const Tensor result =
            b ? ember::randint_like(self, a, *b, options) : ember::randint_like(self, a, options);
        return with_grad(result, requires_grad);
      },
      nb::arg("input"), nb::arg("low"), nb::arg("high") = nb::none(), nb::kw_only(),
      nb::arg("dtype") = nb::none(), nb::arg("device") = nb::none(),
      nb::arg("requires_grad") = false,
      nb::sig("def randint_like(input, low, high=None, *, dtype=None, device=None, "
              "requires_grad=False) -> Tensor"),
      "randint_like(input, high) or randint_like(input, low, high): integers from [low, high) "
      "with input's shape (and dtype, device by default).");
  module.def(
      "randperm",
      [](int64_t n, OptionalGenerator generator, nb::handle out, nb::handle dtype,
         nb::handle device, bool requires_grad) {
        const nb::object chosen = out_dtype_or(dtype, out);
        TensorOptions options = options_from(chosen, device);
        if (chosen.is_none()) options = options.dtype(kInt64);
        return factory_out("randperm", out,
                           with_grad(ember::randperm(n, generator, options), requires_grad));
      },
      nb::arg("n"), nb::kw_only(), nb::arg("generator") = nb::none(), nb::arg("out") = nb::none(),
      nb::arg("dtype") = nb::none(), nb::arg("device") = nb::none(),
      nb::arg("requires_grad") = false,
      nb::sig("def randperm(n, *, generator=None, out=None, dtype=None, device=None, "
              "requires_grad=False) -> Tensor"),
      "A random permutation of 0, ..., n - 1 (int64 unless dtype says otherwise).");
  module.def(
      "normal",
      [](nb::handle mean, nb::handle std, nb::handle size, OptionalGenerator generator,
         nb::handle out, nb::handle dtype, nb::handle device, bool requires_grad) -> nb::object {
        const bool mean_tensor = nb::isinstance<Tensor>(mean);
        const bool std_tensor = nb::isinstance<Tensor>(std);
        if (!mean_tensor && !std_tensor) {
          EMBER_CHECK_TYPE(!size.is_none(),
                           "[normal] with a number mean and std expects size; got none");
          const TensorOptions options = options_from(out_dtype_or(dtype, out), device);
          return factory_out("normal", out,
                             with_grad(ember::normal(nb::cast<double>(mean), nb::cast<double>(std),
                                                     to_dims(size), generator, options),
                                       requires_grad));
        }
        EMBER_CHECK_TYPE(size.is_none() && dtype.is_none(),
                         "[normal] takes size and dtype only with a number mean and std");
        std::vector<Tensor> inputs;
        for (nb::handle each : {mean, std}) {
          if (nb::isinstance<Tensor>(each)) inputs.push_back(nb::cast<const Tensor&>(each));
        }
        if (!out.is_none()) check_out_argument("normal", out, inputs);
        Tensor result;
        if (!std_tensor) {
          result = ember::normal(nb::cast<const Tensor&>(mean), nb::cast<double>(std), generator);
        } else if (!mean_tensor) {
          result = ember::normal(nb::cast<double>(mean), nb::cast<const Tensor&>(std), generator);
        } else {
          result =
              ember::normal(nb::cast<const Tensor&>(mean), nb::cast<const Tensor&>(std), generator);
        }
        if (out.is_none()) return nb::cast(std::move(result));
        return write_out_argument("normal", nb::cast(result), out, inputs);
      },
      nb::arg("mean"), nb::arg("std") = 1.0, nb::arg("size") = nb::none(), nb::kw_only(),
      nb::arg("generator") = nb::none(), nb::arg("out") = nb::none(), nb::arg("dtype") = nb::none(),
      nb::arg("device") = nb::none(), nb::arg("requires_grad") = false,
      nb::sig("def normal(mean, std=1.0, size=None, *, generator=None, out=None, dtype=None, "
              "device=None, requires_grad=False) -> Tensor"),
      "Samples of N(mean, std**2): mean and std numbers (with size) or tensors (broadcast).");
  module.def(
      "bernoulli",
      with_out("bernoulli",
               [](const Tensor& input, std::optional<double> p, OptionalGenerator generator) {
                 return p ? ember::bernoulli(input, *p, generator)
                          : ember::bernoulli(input, generator);
               }),
      nb::arg("input"), nb::arg("p") = nb::none(), nb::kw_only(), nb::arg("generator") = nb::none(),
      nb::arg("out") = nb::none(),
      nb::sig("def bernoulli(input, p=None, *, generator=None, out=None) -> Tensor"),
      "Draws 0/1 samples with probabilities input (or p for every element).");
  module.def("multinomial", with_out("multinomial", &ember::multinomial), nb::arg("input"),
             nb::arg("num_samples"), nb::arg("replacement") = false, nb::kw_only(),
             nb::arg("generator") = nb::none(), nb::arg("out") = nb::none(),
             nb::sig("def multinomial(input, num_samples, replacement=False, *, generator=None, "
                     "out=None) -> Tensor"),
             "num_samples category indices per row of input (non-negative weights).");
  module.def("poisson", &ember::poisson, nb::arg("input"), nb::arg("generator") = nb::none(),
             nb::sig("def poisson(input, generator=None) -> Tensor"),
             "Samples of Poisson(input), elementwise rates.");
  module.def("_standard_gamma", &ember::_standard_gamma, nb::arg("input"),
             nb::arg("generator") = nb::none(),
             nb::sig("def _standard_gamma(input, generator=None) -> Tensor"),
             "Samples of Gamma(input, 1), differentiable w.r.t. input (implicit "
             "reparameterisation).");
  module.def("_standard_gamma_grad", &ember::_standard_gamma_grad, nb::arg("input"),
             nb::arg("output"), nb::sig("def _standard_gamma_grad(input, output) -> Tensor"),
             "d output / d input of output ~ Gamma(input, 1) at a fixed CDF value.");
  module.def("_sample_dirichlet", &ember::_sample_dirichlet, nb::arg("input"),
             nb::arg("generator") = nb::none(),
             nb::sig("def _sample_dirichlet(input, generator=None) -> Tensor"),
             "Samples of Dirichlet(input) over the last dim, differentiable w.r.t. input.");
  module.def("binomial", &ember::binomial, nb::arg("count"), nb::arg("prob"),
             nb::arg("generator") = nb::none(),
             nb::sig("def binomial(count, prob, generator=None) -> Tensor"),
             "Samples of Binomial(count, prob), count and prob broadcast together.");
}

void init_methods(nb::class_<Tensor>& tensor) {
  tensor
      .def(
          "uniform_",
          [](Tensor& self, double from, double to, OptionalGenerator generator) -> Tensor& {
            return self.uniform_(from, to, generator);
          },
          nb::arg("from") = 0.0, nb::arg("to") = 1.0, nb::kw_only(),
          nb::arg("generator") = nb::none(), nb::rv_policy::reference_internal,
          nb::sig("def uniform_(self, from_=0.0, to=1.0, *, generator=None) -> Tensor"),
          "Fills self with samples from U[from, to) in place (the keyword is spelled from=, as "
          "in PyTorch).")
      .def(
          "normal_",
          [](Tensor& self, double mean, double std, OptionalGenerator generator) -> Tensor& {
            return self.normal_(mean, std, generator);
          },
          nb::arg("mean") = 0.0, nb::arg("std") = 1.0, nb::kw_only(),
          nb::arg("generator") = nb::none(), nb::rv_policy::reference_internal,
          nb::sig("def normal_(self, mean=0.0, std=1.0, *, generator=None) -> Tensor"),
          "Fills self with samples from N(mean, std**2) in place.")
      .def(
          "bernoulli_",
          [](Tensor& self, nb::handle p, OptionalGenerator generator) -> Tensor& {
            if (nb::isinstance<Tensor>(p)) {
              return self.bernoulli_(nb::cast<const Tensor&>(p), generator);
            }
            return self.bernoulli_(nb::cast<double>(p), generator);
          },
          nb::arg("p") = 0.5, nb::kw_only(), nb::arg("generator") = nb::none(),
          nb::rv_policy::reference_internal,
          nb::sig("def bernoulli_(self, p=0.5, *, generator=None) -> Tensor"),
          "Fills self with 0/1 samples drawn with probability p (a number or a tensor) in "
          "place.")
      .def(
          "bernoulli",
          [](const Tensor& self, std::optional<double> p, OptionalGenerator generator) {
            return p ? self.bernoulli(*p, generator) : self.bernoulli(generator);
          },
          nb::arg("p") = nb::none(), nb::kw_only(), nb::arg("generator") = nb::none(),
          nb::sig("def bernoulli(self, p=None, *, generator=None) -> Tensor"),
          "Draws 0/1 samples with probabilities self (or p for every element).")
      .def(
          "exponential_",
          [](Tensor& self, double lambd, OptionalGenerator generator) -> Tensor& {
            return self.exponential_(lambd, generator);
          },
          nb::arg("lambd") = 1.0, nb::kw_only(), nb::arg("generator") = nb::none(),
          nb::rv_policy::reference_internal,
          nb::sig("def exponential_(self, lambd=1.0, *, generator=None) -> Tensor"),
          "Fills self with samples of the exponential distribution of rate lambd in place.")
      .def(
          "geometric_",
          [](Tensor& self, double p, OptionalGenerator generator) -> Tensor& {
            return self.geometric_(p, generator);
          },
          nb::arg("p"), nb::kw_only(), nb::arg("generator") = nb::none(),
          nb::rv_policy::reference_internal,
          nb::sig("def geometric_(self, p, *, generator=None) -> Tensor"),
          "Fills self with the trial counts of the first success, success probability p, in "
          "place.")
      .def(
          "log_normal_",
          [](Tensor& self, double mean, double std, OptionalGenerator generator) -> Tensor& {
            return self.log_normal_(mean, std, generator);
          },
          nb::arg("mean") = 1.0, nb::arg("std") = 2.0, nb::kw_only(),
          nb::arg("generator") = nb::none(), nb::rv_policy::reference_internal,
          nb::sig("def log_normal_(self, mean=1.0, std=2.0, *, generator=None) -> Tensor"),
          "Fills self with exp of samples of N(mean, std**2) in place.")
      .def(
          "cauchy_",
          [](Tensor& self, double median, double sigma, OptionalGenerator generator) -> Tensor& {
            return self.cauchy_(median, sigma, generator);
          },
          nb::arg("median") = 0.0, nb::arg("sigma") = 1.0, nb::kw_only(),
          nb::arg("generator") = nb::none(), nb::rv_policy::reference_internal,
          nb::sig("def cauchy_(self, median=0.0, sigma=1.0, *, generator=None) -> Tensor"),
          "Fills self with samples of the Cauchy distribution in place.")
      .def(
          "random_",
          [](Tensor& self, nb::args args, OptionalGenerator generator, nb::kwargs kwargs)
              -> Tensor& { return random_from_python(self, args, kwargs, generator); },
          nb::arg("args"), nb::arg("generator") = nb::none(), nb::arg("kwargs"),
          nb::rv_policy::reference_internal,
          nb::sig("def random_(self, *args, generator=None, **kwargs) -> Tensor"),
          "Fills self with integers, in PyTorch's three forms: random_() over the dtype's range, "
          "random_(to) from [0, to), random_(from, to) from [from, to) (to=None: up to the "
          "dtype's bound; keyword `from` needs `to`).")
      .def("multinomial", &Tensor::multinomial, nb::arg("num_samples"),
           nb::arg("replacement") = false, nb::kw_only(), nb::arg("generator") = nb::none(),
           nb::sig("def multinomial(self, num_samples, replacement=False, *, generator=None) -> "
                   "Tensor"),
           "num_samples category indices per row of self (non-negative weights).");
}

}  // namespace

void init_random(nb::module_& module, nb::class_<Tensor>& tensor_class) {
  init_generator(module);
  init_factories(module);
  init_methods(tensor_class);
}

}  // namespace ember::python
