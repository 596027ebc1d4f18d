// ember._C._checkpoint: Python objects to the checkpoint's object tree (ember/checkpoint/value.h)
// and back, over the one C++ implementation of the format (ember/checkpoint/checkpoint.h), for
// python/ember/serialization.py (ember.save / ember.load).
#include <nanobind/stl/string.h>

#include <optional>

#include "convert.h"
#include "ember/checkpoint/checkpoint.h"
#include "serialize.h"

namespace ember::python {
namespace {

using serialize::Value;

std::string type_name_of(nb::handle object) {
  return nb::cast<std::string>(nb::str(nb::type_name(object.type())));
}

nb::handle ordered_dict_type() {
  // A handle: the collections module keeps the type alive (see module.cpp on statics).
  static nb::handle type =
      nb::object(nb::module_::import_("collections").attr("OrderedDict")).release();
  return type;
}

Value::Key to_key(nb::handle key, const std::string& where) {
  if (PyUnicode_CheckExact(key.ptr())) return nb::cast<std::string>(key);
  if (PyLong_CheckExact(key.ptr())) {
    int overflow = 0;
    const long long value = PyLong_AsLongLongAndOverflow(key.ptr(), &overflow);
    if (overflow == 0) return static_cast<int64_t>(value);
  }
  detail::raise<TypeError>("[ember.save] expected dict keys that are str or 64-bit int; got ",
                           nb::cast<std::string>(nb::repr(key)), " (", type_name_of(key), ") in ",
                           where);
}

Value to_value(nb::handle object, const std::string& where, int depth) {
  if (depth > serialize::kMaxDepth) {
    detail::raise<TypeError>("[ember.save] expected an object nested at most ",
                             serialize::kMaxDepth,
                             " levels deep (a container holding itself?); "
                             "got a deeper one at ",
                             where);
  }
  PyObject* raw = object.ptr();
  if (object.is_none()) return Value();
  if (PyBool_Check(raw)) return Value(raw == Py_True);
  if (PyLong_CheckExact(raw)) {
    int overflow = 0;
    const long long value = PyLong_AsLongLongAndOverflow(raw, &overflow);
    if (overflow != 0) {
      detail::raise<TypeError>("[ember.save] expected ints within 64 bits; got ",
                               nb::cast<std::string>(nb::repr(object)), " at ", where);
    }
    return Value(static_cast<int64_t>(value));
  }
  if (PyFloat_CheckExact(raw)) return Value(PyFloat_AS_DOUBLE(raw));
  if (PyUnicode_CheckExact(raw)) return Value(nb::cast<std::string>(object));
  if (nb::isinstance<Tensor>(object)) return Value(nb::cast<Tensor>(object));
  const bool ordered = PyObject_IsInstance(raw, ordered_dict_type().ptr()) == 1;
  if (ordered || PyDict_Check(raw)) {
    Value::Items items;
    for (auto [key, value] : nb::borrow<nb::dict>(object)) {
      const std::string inner = where + "[" + nb::cast<std::string>(nb::repr(key)) + "]";
      items.emplace_back(to_key(key, where), to_value(value, inner, depth + 1));
    }
    return ordered ? Value::ordered_dict(std::move(items)) : Value::dict(std::move(items));
  }
  if (PyList_Check(raw) || PyTuple_CheckExact(raw)) {
    std::vector<Value> elements;
    size_t index = 0;
    for (nb::handle element : object) {
      elements.push_back(to_value(element, where + "[" + std::to_string(index++) + "]", depth + 1));
    }
    return PyList_Check(raw) ? Value::list(std::move(elements)) : Value::tuple(std::move(elements));
  }
  detail::raise<TypeError>(
      "[ember.save] expected None, bool, int, float, str, Tensor, dict, OrderedDict, list or "
      "tuple (checkpoints hold no pickled objects); got ",
      type_name_of(object), " at ", where);
}

nb::object to_python(const Value& value) {
  switch (value.kind()) {
    case Value::Kind::None:
      return nb::none();
    case Value::Kind::Bool:
      return nb::bool_(value.to_bool());
    case Value::Kind::Int:
      return nb::int_(value.to_int());
    case Value::Kind::Float:
      return nb::float_(value.to_double());
    case Value::Kind::String:
      return nb::str(value.to_string().c_str(), value.to_string().size());
    case Value::Kind::Tensor:
      return nb::cast(value.to_tensor());
    case Value::Kind::List: {
      nb::list result;
      for (const Value& element : value.elements()) result.append(to_python(element));
      return result;
    }
    case Value::Kind::Tuple: {
      nb::list result;
      for (const Value& element : value.elements()) result.append(to_python(element));
      return nb::tuple(result);
    }
    case Value::Kind::Dict:
    case Value::Kind::OrderedDict: {
      nb::object result =
          value.kind() == Value::Kind::Dict ? nb::dict() : nb::borrow(ordered_dict_type())();
      for (const auto& [key, item] : value.items()) {
        nb::object python_key = std::holds_alternative<std::string>(key)
                                    ? nb::object(nb::str(std::get<std::string>(key).c_str(),
                                                         std::get<std::string>(key).size()))
                                    : nb::object(nb::int_(std::get<int64_t>(key)));
        PyObject_SetItem(result.ptr(), python_key.ptr(), to_python(item).ptr());
      }
      return result;
    }
  }
  return nb::none();
}

// ember.load's map_location as the format's: a Python callable(tensor, location) returning a
// device or None (the saved device), which python/ember/serialization.py makes from PyTorch's
// forms. The load that calls it may run without the GIL; the callable is kept (and dropped) by
// the caller with the GIL held.
serialize::MapLocation map_location_of(nb::handle callable) {
  if (callable.is_none()) return {};
  return [held = nb::borrow(callable)](const Tensor& tensor,
                                       const Device& saved) -> std::optional<Device> {
    nb::gil_scoped_acquire gil;
    nb::object result = held(tensor, saved.str());
    if (result.is_none()) return std::nullopt;
    return nb::cast<Device>(result);
  };
}

}  // namespace

void init_serialize_checkpoint(nb::module_& module) {
  nb::module_ m = module.def_submodule("_checkpoint", "ember.save / ember.load's format.");
  m.def(
      "save_bytes",
      [](nb::handle object) {
        const std::string bytes = serialize::save_to_bytes(to_value(object, "obj", 0));
        return nb::bytes(bytes.data(), bytes.size());
      },
      nb::arg("obj"), nb::sig("def save_bytes(obj) -> bytes"),
      "save_bytes(obj) -> bytes: the checkpoint of obj (docs/checkpoint_format.md).");
  m.def(
      "save_file",
      [](nb::handle object, const std::string& path) {
        const Value value = to_value(object, "obj", 0);
        nb::gil_scoped_release release;
        serialize::save_to_file(value, path);
      },
      nb::arg("obj"), nb::arg("path"), nb::sig("def save_file(obj, path) -> None"),
      "save_file(obj, path) -> None: writes the checkpoint of obj atomically.");
  m.def(
      "load_bytes",
      [](nb::bytes data, nb::handle map_location) {
        return to_python(serialize::load_from_bytes(std::string_view(data.c_str(), data.size()),
                                                    map_location_of(map_location)));
      },
      nb::arg("data"), nb::arg("map_location") = nb::none(),
      nb::sig("def load_bytes(data, map_location=None) -> object"),
      "load_bytes(data, map_location=None) -> object: the object tree of checkpoint bytes; "
      "map_location(tensor, location) -> device or None places each tensor.");
  m.def(
      "load_file",
      [](const std::string& path, bool mmap, nb::handle map_location) {
        const serialize::MapLocation location = map_location_of(map_location);
        Value value;
        {
          nb::gil_scoped_release release;
          value = serialize::load_from_file(path, mmap, location);
        }
        return to_python(value);
      },
      nb::arg("path"), nb::arg("mmap") = false, nb::arg("map_location") = nb::none(),
      nb::sig("def load_file(path, mmap=False, map_location=None) -> object"),
      "load_file(path, mmap=False, map_location=None) -> object: the object tree of a checkpoint "
      "file; with mmap the tensors view a private mapping of the file; map_location as "
      "load_bytes'.");
}

}  // namespace ember::python
