// Factories from Python: ember.tensor(nested lists), zeros/ones/empty/full/..., and the
// *_like family, with PyTorch's `*size` and `dtype=`/`device=` keyword conventions.
#include <nanobind/nanobind.h>
#include <nanobind/stl/optional.h>

#include <string>

#include "convert.h"
#include "out.h"

namespace ember::python {
namespace {

// The elements of a nested Python sequence, flattened, with the shape and the kind of number.
struct NestedData {
  std::vector<int64_t> shape;
  std::vector<double> floats;
  std::vector<int64_t> integers;
  bool any_float = false;
  bool all_bool = true;
  std::optional<ScalarType> dtype;  // the requested dtype: every number must fit it (PyTorch)
};

bool is_sequence(nb::handle object) {
  return PyList_Check(object.ptr()) || PyTuple_Check(object.ptr()) ||
         (nb::isinstance<Tensor>(object) && nb::cast<const Tensor&>(object).dim() > 0);
}

void collect(nb::handle object, size_t depth, NestedData& data) {
  if (!is_sequence(object)) {
    EMBER_CHECK_VALUE(depth == data.shape.size(), "[tensor] expected a sequence at dim ", depth,
                      " but got a number");
    const Scalar value = to_scalar(object);
    if (data.dtype) check_scalar_fits(value, *data.dtype, "tensor");
    data.all_bool &= value.is_bool();
    data.any_float |= value.is_floating_point();
    data.floats.push_back(value.to_double());
    data.integers.push_back(value.to_int64());
    return;
  }
  const int64_t length = static_cast<int64_t>(nb::len(object));
  if (depth == data.shape.size()) {
    EMBER_CHECK_VALUE(data.floats.empty(), "[tensor] expected a number at dim ", depth,
                      " but got a sequence");
    data.shape.push_back(length);
  } else {
    EMBER_CHECK_VALUE(data.shape[depth] == length, "[tensor] expected sequence of length ",
                      data.shape[depth], " at dim ", depth, " (got ", length, ")");
  }
  for (nb::handle item : object) collect(item, depth + 1, data);
}

Tensor tensor_from_python(nb::handle data, std::optional<ScalarType> dtype,
                          std::optional<Device> device) {
  Tensor result;
  if (nb::isinstance<Tensor>(data)) {
    result = nb::cast<const Tensor&>(data).clone();
  } else if (nb::hasattr(data, "__array_interface__") && !is_python_number(data)) {
    static nb::handle from_numpy =
        nb::object(nb::module_::import_("ember").attr("from_numpy")).release();
    // np.array(order="C") keeps 0-d arrays 0-d (ascontiguousarray would make them 1-d).
    static nb::handle as_array = nb::object(nb::module_::import_("numpy").attr("array")).release();
    result = nb::cast<Tensor>(from_numpy(as_array(data, nb::arg("order") = "C"))).clone();
  } else {
    NestedData nested;
    nested.dtype = dtype;
    collect(data, 0, nested);
    if (nested.all_bool && !nested.floats.empty()) {
      std::vector<uint8_t> flags(nested.integers.begin(), nested.integers.end());
      result = from_blob_copy(flags.data(), nested.shape, kBool);
    } else if ((nested.any_float || nested.floats.empty()) &&
               !(dtype && is_integral(*dtype, /*include_bool=*/false))) {
      // Straight from the float64 staging to the requested type: no float32 detour.
      result = from_blob_copy(nested.floats.data(), nested.shape, kFloat64)
                   .to(dtype.value_or(default_dtype()));
    } else {
      // Integers, or numbers bound for an integer dtype: each fits it (checked above), so a
      // float truncates and a negative int wraps into an unsigned type, number by number.
      result = from_blob_copy(nested.integers.data(), nested.shape, kInt64);
    }
  }
  return to(result, device, dtype);
}

std::optional<TensorOptions> like_options(nb::handle dtype, nb::handle device) {
  if (dtype.is_none() && device.is_none()) return std::nullopt;
  return options_from(dtype, device);
}

}  // namespace

Tensor with_grad(Tensor tensor, bool requires_grad) {
  if (requires_grad) tensor.requires_grad_();
  return tensor;
}

TensorOptions options_from(nb::handle dtype, nb::handle device) {
  TensorOptions options;
  if (auto type = to_dtype(dtype)) options = options.dtype(*type);
  if (auto place = to_device(device)) options = options.device(*place);
  return options;
}

void init_creation(nb::module_& module) {
  module.def(
      "tensor",
      [](nb::handle data, nb::handle dtype, nb::handle device, bool requires_grad) {
        return with_grad(tensor_from_python(data, to_dtype(dtype), to_device(device)),
                         requires_grad);
      },
      nb::arg("data"), nb::kw_only(), nb::arg("dtype") = nb::none(), nb::arg("device") = nb::none(),
      nb::arg("requires_grad") = false,
      nb::sig("def tensor(data, *, dtype=None, device=None, requires_grad=False) -> Tensor"),
      "A tensor copied from data (nested sequences of numbers, a NumPy array or a tensor).");
  module.def(
      "as_tensor",
      [](nb::handle data, nb::handle dtype, nb::handle device) {
        if (nb::isinstance<Tensor>(data)) {
          return to(nb::cast<const Tensor&>(data), to_device(device), to_dtype(dtype));
        }
        // A NumPy array is viewed (no copy) when from_numpy can; to() copies only for another
        // dtype or device. Others (negative strides, object arrays) are copied below.
        if (nb::hasattr(data, "__array_interface__") && !is_python_number(data)) {
          static nb::handle from_numpy =
              nb::object(nb::module_::import_("ember").attr("from_numpy")).release();
          try {
            return to(nb::cast<Tensor>(from_numpy(data)), to_device(device), to_dtype(dtype));
          } catch (const nb::python_error&) {
          }
        }
        return tensor_from_python(data, to_dtype(dtype), to_device(device));
      },
      nb::arg("data"), nb::arg("dtype") = nb::none(), nb::arg("device") = nb::none(),
      nb::sig("def as_tensor(data, dtype=None, device=None) -> Tensor"),
      "data as a tensor, without a copy when it already is a tensor or a NumPy array of that "
      "dtype and device.");
  module.def(
      "scalar_tensor",
      [](nb::handle value, nb::handle dtype) {
        return scalar_tensor(to_scalar(value), to_dtype(dtype).value_or(default_dtype()));
      },
      nb::arg("s"), nb::kw_only(), nb::arg("dtype") = nb::none(),
      nb::sig("def scalar_tensor(s, *, dtype=None) -> Tensor"),
      "A 0-d tensor holding the number s.");

  // zeros(2, 3), zeros((2, 3)), zeros(size=(2, 3)), each with dtype= and device=.
#define EMBER_SIZED_FACTORY(name, call, doc)                                          \
  module.def(                                                                         \
      name,                                                                           \
      [](nb::args size, nb::handle size_keyword, nb::handle out, nb::handle dtype,    \
         nb::handle device, bool requires_grad) {                                     \
        const std::vector<int64_t> shape = to_shape(size, size_keyword);              \
        const TensorOptions options = options_from(out_dtype_or(dtype, out), device); \
        return factory_out(name, out, with_grad(call, requires_grad));                \
      },                                                                              \
      nb::arg("shape"), nb::arg("size") = nb::none(), nb::arg("out") = nb::none(),    \
      nb::arg("dtype") = nb::none(), nb::arg("device") = nb::none(),                  \
      nb::arg("requires_grad") = false,                                               \
      nb::sig("def " name "(*shape, size=None, out=None, dtype=None, device=None, "   \
              "requires_grad=False) -> Tensor"),                                      \
      doc);
  EMBER_SIZED_FACTORY("empty", ember::empty(shape, options),
                      "A tensor of the given shape with uninitialised values.")
  EMBER_SIZED_FACTORY("zeros", ember::zeros(shape, options),
                      "A tensor of the given shape filled with zeros.")
  EMBER_SIZED_FACTORY("ones", ember::ones(shape, options),
                      "A tensor of the given shape filled with ones.")
#undef EMBER_SIZED_FACTORY

  module.def(
      "full",
      [](nb::handle size, nb::handle value, nb::handle out, nb::handle dtype, nb::handle device,
         bool requires_grad) {
        const TensorOptions options = options_from(out_dtype_or(dtype, out), device);
        return factory_out(
            "full", out,
            with_grad(ember::full(to_dims(size), to_scalar(value), options), requires_grad));
      },
      nb::arg("size"), nb::arg("fill_value"), nb::kw_only(), nb::arg("out") = nb::none(),
      nb::arg("dtype") = nb::none(), nb::arg("device") = nb::none(),
      nb::arg("requires_grad") = false,
      nb::sig("def full(size, fill_value, *, out=None, dtype=None, device=None, "
              "requires_grad=False) -> Tensor"),
      "A tensor of shape size filled with fill_value (dtype inferred from it by default).");

  module.def(
      "arange",
      [](nb::handle a, nb::handle b, nb::handle step, nb::handle out, nb::handle dtype,
         nb::handle device, bool requires_grad) {
        const nb::object chosen = out_dtype_or(dtype, out);
        std::optional<TensorOptions> options;
        if (!chosen.is_none() || !device.is_none()) options = options_from(chosen, device);
        const Scalar start = b.is_none() ? Scalar(0) : to_scalar(a);
        const Scalar end = to_scalar(b.is_none() ? a : b);
        return factory_out(
            "arange", out,
            with_grad(ember::arange(start, end, to_scalar(step), options), requires_grad));
      },
      nb::arg("start"), nb::arg("end") = nb::none(), nb::arg("step") = 1, nb::kw_only(),
      nb::arg("out") = nb::none(), nb::arg("dtype") = nb::none(), nb::arg("device") = nb::none(),
      nb::arg("requires_grad") = false,
      nb::sig("def arange(start, end=None, step=1, *, out=None, dtype=None, device=None, "
              "requires_grad=False) -> Tensor"),
      "arange(end) or arange(start, end, step=1): values from start (default 0) to end (exclusive) "
      "in steps of step.");
  module.def(
      "linspace",
      [](nb::handle start, nb::handle end, int64_t steps, nb::handle out, nb::handle dtype,
         nb::handle device, bool requires_grad) {
        const TensorOptions options = options_from(out_dtype_or(dtype, out), device);
        return factory_out(
            "linspace", out,
            with_grad(ember::linspace(to_scalar(start), to_scalar(end), steps, options),
                      requires_grad));
      },
      nb::arg("start"), nb::arg("end"), nb::arg("steps"), nb::kw_only(),
      nb::arg("out") = nb::none(), nb::arg("dtype") = nb::none(), nb::arg("device") = nb::none(),
      nb::arg("requires_grad") = false,
      nb::sig("def linspace(start, end, steps, *, out=None, dtype=None, device=None, "
              "requires_grad=False) -> Tensor"),
      "steps values evenly spaced from start to end (inclusive).");
  module.def(
      "eye",
      [](int64_t n, std::optional<int64_t> m, nb::handle out, nb::handle dtype, nb::handle device,
         bool requires_grad) {
        const TensorOptions options = options_from(out_dtype_or(dtype, out), device);
        return factory_out("eye", out,
                           with_grad(ember::eye(n, m.value_or(n), options), requires_grad));
      },
      nb::arg("n"), nb::arg("m") = nb::none(), nb::kw_only(), nb::arg("out") = nb::none(),
      nb::arg("dtype") = nb::none(), nb::arg("device") = nb::none(),
      nb::arg("requires_grad") = false,
      nb::sig("def eye(n, m=None, *, out=None, dtype=None, device=None, requires_grad=False) -> "
              "Tensor"),
      "A 2-D tensor with ones on the diagonal and zeros elsewhere.");

#define EMBER_LIKE_FACTORY(name, call, doc)                                                      \
  module.def(                                                                                    \
      name,                                                                                      \
      [](const Tensor& like, nb::handle dtype, nb::handle device, bool requires_grad) {          \
        const std::optional<TensorOptions> options = like_options(dtype, device);                \
        return with_grad(call, requires_grad);                                                   \
      },                                                                                         \
      nb::arg("input"), nb::kw_only(), nb::arg("dtype") = nb::none(),                            \
      nb::arg("device") = nb::none(), nb::arg("requires_grad") = false,                          \
      nb::sig("def " name "(input, *, dtype=None, device=None, requires_grad=False) -> Tensor"), \
      doc);
  EMBER_LIKE_FACTORY("empty_like", ember::empty_like(like, options),
                     "An uninitialised tensor with input's shape (and dtype, device by default).")
  EMBER_LIKE_FACTORY("zeros_like", ember::zeros_like(like, options),
                     "Zeros with input's shape (and dtype, device by default).")
  EMBER_LIKE_FACTORY("ones_like", ember::ones_like(like, options),
                     "Ones with input's shape (and dtype, device by default).")
  EMBER_LIKE_FACTORY("rand_like", ember::empty_like(like, options).uniform_(),
                     "Samples from U[0, 1) with input's shape (and dtype, device by default).")
  EMBER_LIKE_FACTORY("randn_like", ember::empty_like(like, options).normal_(),
                     "Samples from N(0, 1) with input's shape (and dtype, device by default).")
#undef EMBER_LIKE_FACTORY
  module.def(
      "full_like",
      [](const Tensor& like, nb::handle value, nb::handle dtype, nb::handle device,
         bool requires_grad) {
        return with_grad(ember::full_like(like, to_scalar(value), like_options(dtype, device)),
                         requires_grad);
      },
      nb::arg("input"), nb::arg("fill_value"), nb::kw_only(), nb::arg("dtype") = nb::none(),
      nb::arg("device") = nb::none(), nb::arg("requires_grad") = false,
      nb::sig("def full_like(input, fill_value, *, dtype=None, device=None, requires_grad=False) "
              "-> Tensor"),
      "A tensor of input's shape filled with fill_value.");
}

}  // namespace ember::python
