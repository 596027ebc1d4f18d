// ember.dtype and ember.device objects, and the Python -> C++ conversions of convert.h.
#include <nanobind/nanobind.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>

#include <array>
#include <string>

#include "convert.h"

namespace ember::python {
namespace {

// Borrowed: the module's attributes (ember.float32, ...) own the objects, so the interpreter
// can free them at exit.
std::array<nb::handle, kNumScalarTypes>& dtype_objects() {
  static std::array<nb::handle, kNumScalarTypes> objects;
  return objects;
}

}  // namespace

nb::object dtype_object(ScalarType type) {
  return nb::borrow(dtype_objects()[static_cast<int>(type)]);
}

std::optional<ScalarType> to_dtype(nb::handle object) {
  if (object.is_none()) return std::nullopt;
  if (nb::isinstance<DType>(object)) return nb::cast<DType>(object).type;
  // Legacy tensor types (ember.FloatTensor) carry their dtype as an attribute.
  if (nb::hasattr(object, "dtype")) return to_dtype(object.attr("dtype"));
  detail::raise<TypeError>("expected an ember.dtype; got ",
                           nb::cast<std::string>(nb::str(nb::type_name(object.type()))));
}

std::optional<Device> to_device(nb::handle object) {
  if (object.is_none()) return std::nullopt;
  if (nb::isinstance<Device>(object)) return nb::cast<Device>(object);
  if (nb::isinstance<nb::str>(object)) return Device(nb::cast<std::string>(object));
  if (nb::isinstance<nb::int_>(object)) {
    return Device(DeviceType::CUDA, static_cast<int8_t>(nb::cast<int>(object)));
  }
  detail::raise<TypeError>("expected a device (ember.device, 'cpu' or 'cuda'); got ",
                           nb::cast<std::string>(nb::str(nb::type_name(object.type()))));
}

bool is_python_number(nb::handle object) {
  return PyBool_Check(object.ptr()) || PyLong_Check(object.ptr()) || PyFloat_Check(object.ptr());
}

Scalar to_scalar(nb::handle object) {
  PyObject* raw = object.ptr();
  if (PyBool_Check(raw)) return Scalar(raw == Py_True);
  if (PyLong_Check(raw)) {
    int overflow = 0;
    const long long value = PyLong_AsLongLongAndOverflow(raw, &overflow);
    EMBER_CHECK_TYPED(overflow == 0, RuntimeError,
                      "Overflow when unpacking long: the integer does not fit in int64");
    return Scalar(static_cast<int64_t>(value));
  }
  if (PyFloat_Check(raw)) return Scalar(PyFloat_AS_DOUBLE(raw));
  // NumPy scalars and 0-d tensors behave as numbers too.
  if (nb::hasattr(object, "item")) return to_scalar(object.attr("item")());
  detail::raise<TypeError>("expected a number; got ",
                           nb::cast<std::string>(nb::str(nb::type_name(object.type()))));
}

nb::object scalar_to_python(const Scalar& value) {
  if (value.is_bool()) return nb::bool_(value.to_int64() != 0);
  if (value.is_integral()) return nb::int_(value.to_int64());
  return nb::float_(value.to_double());
}

Tensor to_operand(nb::handle object) {
  if (nb::isinstance<Tensor>(object)) return nb::cast<const Tensor&>(object);
  return scalar_tensor(to_scalar(object), std::nullopt, /*wrapped=*/true);
}

namespace {
// A Python int as int64, with PyTorch's error for one that does not fit (B10).
int64_t to_int64(nb::handle object) {
  EMBER_CHECK_TYPE(PyIndex_Check(object.ptr()), "expected an integer; got ",
                   nb::cast<std::string>(nb::str(nb::type_name(object.type()))));
  nb::object index = nb::steal(PyNumber_Index(object.ptr()));
  if (!index.is_valid()) throw nb::python_error();
  int overflow = 0;
  const long long value = PyLong_AsLongLongAndOverflow(index.ptr(), &overflow);
  EMBER_CHECK(overflow == 0,
              "Overflow when unpacking long: ", nb::cast<std::string>(nb::str(object)),
              " does not fit in int64");
  return value;
}
}  // namespace

std::vector<int64_t> to_dims(nb::handle object) {
  if (object.is_none()) return {};
  if (PyIndex_Check(object.ptr()) && !nb::isinstance<Tensor>(object)) return {to_int64(object)};
  std::vector<int64_t> dims;
  for (nb::handle item : object) dims.push_back(to_int64(item));
  return dims;
}

std::vector<int64_t> to_shape(const nb::args& args, nb::handle size_keyword) {
  if (!size_keyword.is_none()) return to_dims(size_keyword);
  if (args.size() == 1 && !PyLong_Check(args[0].ptr())) return to_dims(args[0]);
  std::vector<int64_t> shape;
  for (nb::handle item : args) shape.push_back(to_int64(item));
  return shape;
}

nb::object shape_to_python(const Shape& shape) {
  static nb::handle size_type =
      nb::object(nb::module_::import_("ember._size").attr("Size")).release();
  nb::list dims;
  for (int64_t size : shape) dims.append(size);
  // tuple.__new__ itself: the dims are ints already, so Size.__new__'s checks would only cost time
  // on every t.shape.
  const nb::tuple args = nb::make_tuple(nb::tuple(dims));
  PyObject* size =
      PyTuple_Type.tp_new(reinterpret_cast<PyTypeObject*>(size_type.ptr()), args.ptr(), nullptr);
  if (size == nullptr) throw nb::python_error();
  return nb::steal(size);
}

void init_dtypes(nb::module_& module) {
  nb::class_<DType>(module, "dtype", "The element type of a tensor (ember.float32, ...).")
      .def_prop_ro("is_floating_point", [](const DType& d) { return is_floating_point(d.type); })
      .def_prop_ro("is_signed", [](const DType& d) { return is_signed(d.type); })
      .def_prop_ro("itemsize", [](const DType& d) { return itemsize(d.type); })
      .def("__repr__", [](const DType& d) { return "ember." + std::string(dtype_name(d.type)); })
      .def(
          "__eq__",
          [](const DType& a, nb::handle b) {
            return nb::isinstance<DType>(b) && nb::cast<DType>(b).type == a.type;
          },
          nb::arg("other").none())  // dtype == None is False, not a TypeError
      .def("__hash__", [](const DType& d) { return static_cast<int>(d.type); })
      .def("__reduce__", [](const DType& d) { return std::string(dtype_name(d.type)); });
  for (int i = 0; i < kNumScalarTypes; ++i) {
    const auto type = static_cast<ScalarType>(i);
    nb::object object = nb::cast(DType{type});
    dtype_objects()[i] = object;
    module.attr(std::string(dtype_name(type)).c_str()) = object;
  }
  module.def(
      "get_default_dtype", [] { return dtype_object(default_dtype()); },
      nb::sig("def get_default_dtype() -> dtype"),
      "The floating-point dtype that factories and Python floats use by default.");
  module.def(
      "set_default_dtype", [](nb::handle d) { set_default_dtype(*to_dtype(d)); }, nb::arg("d"),
      nb::sig("def set_default_dtype(d) -> None"),
      "Sets the default floating-point dtype (float32 or float64).");
  module.def(
      "promote_types",
      [](nb::handle a, nb::handle b) {
        return dtype_object(promote_types(*to_dtype(a), *to_dtype(b)));
      },
      nb::sig("def promote_types(type1, type2) -> dtype"),
      "The smallest dtype that both dtypes can be cast to.");
  module.def(
      "can_cast",
      [](nb::handle from, nb::handle to) { return can_cast(*to_dtype(from), *to_dtype(to)); },
      nb::sig("def can_cast(from_, to) -> bool"),
      "Whether a cast from one dtype to the other is allowed by type promotion.");
  module.def(
      "result_type",
      [](nb::handle a, nb::handle b) {
        return dtype_object(result_type(to_operand(a), to_operand(b)));
      },
      nb::sig("def result_type(tensor1, tensor2) -> dtype"),
      "The dtype of an arithmetic result of the two operands (tensors or numbers).");

  nb::class_<Device>(module, "device",
                     "device(type, index=None): where a tensor's data lives ('cpu', 'cuda:0').")
      .def(
          "__init__",
          [](Device* self, nb::handle spec, std::optional<int> index) {
            Device parsed = *to_device(spec);
            if (index) parsed.set_index(static_cast<int8_t>(*index));
            new (self) Device(parsed);
          },
          nb::arg("type"), nb::arg("index") = nb::none())
      .def_prop_ro("type", [](const Device& d) { return d.is_cpu() ? "cpu" : "cuda"; })
      .def_prop_ro("index",
                   [](const Device& d) -> std::optional<int> {
                     if (!d.has_index()) return std::nullopt;
                     return d.index();
                   })
      .def("__repr__",
           [](const Device& d) {
             std::string text = "device(type='" + std::string(d.is_cpu() ? "cpu" : "cuda") + "'";
             if (d.has_index()) text += ", index=" + std::to_string(d.index());
             return text + ")";
           })
      .def("__str__", &Device::str)
      .def("__eq__",
           [](const Device& a, nb::handle b) {
             auto other = nb::isinstance<Device>(b) || nb::isinstance<nb::str>(b) ? to_device(b)
                                                                                  : std::nullopt;
             return other && *other == a;
           })
      .def("__hash__",
           [](const Device& d) { return static_cast<int>(d.type()) * 256 + d.index(); });
}

}  // namespace ember::python
