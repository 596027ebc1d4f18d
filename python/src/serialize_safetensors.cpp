// ember._C._safetensors: the one safetensors reader/writer (ember/serialize/safetensors.h) for
// the Python shells in python/ember/safetensors/. Each SafetensorError kind becomes its own
// Python exception class (a subclass of ember.safetensors.SafetensorError, itself a ValueError).
#include <nanobind/stl/string.h>
#include <nanobind/stl/string_view.h>
#include <nanobind/stl/vector.h>

#include <array>

#include "convert.h"
#include "ember/serialize/safetensors.h"
#include "serialize.h"

namespace ember::python {
namespace {

namespace st = ember::safetensors;

constexpr int kNumErrorKinds = static_cast<int>(st::ErrorKind::Io) + 1;

// Handles, not objects: the module attributes own the exception types (see module.cpp).
std::array<nb::handle, kNumErrorKinds>& error_types() {
  static std::array<nb::handle, kNumErrorKinds> types{};
  return types;
}

st::TensorMap tensors_from(nb::handle mapping, std::string_view op) {
  EMBER_CHECK_TYPE(nb::isinstance<nb::dict>(mapping), "[", op,
                   "] expected a dict of str to Tensor; got ",
                   nb::cast<std::string>(nb::str(nb::type_name(mapping.type()))));
  st::TensorMap tensors;
  for (auto [key, value] : nb::borrow<nb::dict>(mapping)) {
    EMBER_CHECK_TYPE(nb::isinstance<nb::str>(key), "[", op, "] expected str keys; got ",
                     nb::cast<std::string>(nb::repr(key)));
    EMBER_CHECK_TYPE(nb::isinstance<Tensor>(value), "[", op, "] expected a Tensor for key ",
                     nb::cast<std::string>(nb::repr(key)), "; got ",
                     nb::cast<std::string>(nb::str(nb::type_name(value.type()))));
    tensors.emplace(nb::cast<std::string>(key), nb::cast<Tensor>(value));
  }
  return tensors;
}

std::optional<st::Metadata> metadata_from(nb::handle mapping, std::string_view op) {
  if (mapping.is_none()) return std::nullopt;
  EMBER_CHECK_TYPE(nb::isinstance<nb::dict>(mapping), "[", op,
                   "] expected metadata to be a dict of str to str or None; got ",
                   nb::cast<std::string>(nb::str(nb::type_name(mapping.type()))));
  st::Metadata metadata;
  for (auto [key, value] : nb::borrow<nb::dict>(mapping)) {
    EMBER_CHECK_TYPE(nb::isinstance<nb::str>(key) && nb::isinstance<nb::str>(value), "[", op,
                     "] expected metadata of str to str; got ",
                     nb::cast<std::string>(nb::repr(key)), ": ",
                     nb::cast<std::string>(nb::repr(value)));
    metadata.emplace(nb::cast<std::string>(key), nb::cast<std::string>(value));
  }
  return metadata;
}

nb::object metadata_to_python(const std::optional<st::Metadata>& metadata) {
  if (!metadata) return nb::none();
  nb::dict result;
  for (const auto& [key, value] : *metadata) result[nb::str(key.c_str(), key.size())] = value;
  return result;
}

nb::dict tensors_to_python(st::TensorMap tensors) {
  nb::dict result;
  for (auto& [name, tensor] : tensors)
    result[nb::str(name.c_str(), name.size())] = nb::cast(tensor);
  return result;
}

std::string_view bytes_view(nb::handle data) {
  EMBER_CHECK_TYPE(nb::isinstance<nb::bytes>(data), "[safetensors.load] expected bytes; got ",
                   nb::cast<std::string>(nb::str(nb::type_name(data.type()))));
  nb::bytes bytes = nb::borrow<nb::bytes>(data);
  return std::string_view(bytes.c_str(), bytes.size());
}

}  // namespace

void init_serialize_safetensors(nb::module_& module) {
  nb::module_ m = module.def_submodule("_safetensors", "ember.safetensors' reader and writer.");
  nb::object base = nb::steal(PyErr_NewExceptionWithDoc(
      "ember.safetensors.SafetensorError",
      "A safetensors file or request that breaks a rule; the subclass names which (a ValueError).",
      PyExc_ValueError, nullptr));
  m.attr("SafetensorError") = base;
  nb::list kinds;
  for (int k = 0; k < kNumErrorKinds; ++k) {
    const auto kind = static_cast<st::ErrorKind>(k);
    const std::string name(st::error_kind_name(kind));
    if (kind == st::ErrorKind::Io) {
      error_types()[k] = PyExc_OSError;  // the file system refused: OSError, as open() raises
      continue;
    }
    const std::string qualified = "ember.safetensors." + name;
    nb::object type = nb::steal(PyErr_NewException(qualified.c_str(), base.ptr(), nullptr));
    m.attr(name.c_str()) = type;
    error_types()[k] = type;
    kinds.append(nb::str(name.c_str()));
  }
  m.attr("_error_kinds") = kinds;
  nb::register_exception_translator([](const std::exception_ptr& failure, void*) {
    try {
      std::rethrow_exception(failure);
    } catch (const st::SafetensorError& error) {
      PyErr_SetString(error_types()[static_cast<int>(error.kind())].ptr(), error.what());
    }
  });

  m.def(
      "save",
      [](nb::handle tensors, nb::handle metadata) {
        std::string bytes = st::save(tensors_from(tensors, "safetensors.save"),
                                     metadata_from(metadata, "safetensors.save"));
        return nb::bytes(bytes.data(), bytes.size());
      },
      nb::arg("tensors"), nb::arg("metadata") = nb::none(),
      nb::sig("def save(tensors, metadata=None) -> bytes"),
      "save(tensors, metadata=None) -> bytes: the safetensors bytes of a dict of tensors.");
  m.def(
      "save_file",
      [](nb::handle tensors, const std::string& filename, nb::handle metadata) {
        st::TensorMap map = tensors_from(tensors, "safetensors.save_file");
        std::optional<st::Metadata> items = metadata_from(metadata, "safetensors.save_file");
        nb::gil_scoped_release release;
        st::save_file(map, filename, items);
      },
      nb::arg("tensors"), nb::arg("filename"), nb::arg("metadata") = nb::none(),
      nb::sig("def save_file(tensors, filename, metadata=None) -> None"),
      "save_file(tensors, filename, metadata=None) -> None: writes a safetensors file "
      "atomically.");
  m.def(
      "load",
      [](nb::handle data) {
        st::Contents contents = st::load_contents(bytes_view(data));
        return nb::make_tuple(tensors_to_python(std::move(contents.tensors)),
                              metadata_to_python(contents.metadata));
      },
      nb::arg("data"), nb::sig("def load(data) -> tuple[dict, dict | None]"),
      "load(data) -> (tensors, metadata): the tensors (copies) and metadata of safetensors "
      "bytes.");
  m.def(
      "load_file",
      [](const std::string& filename, bool mmap) {
        st::Contents contents;
        {
          nb::gil_scoped_release release;
          contents = st::load_file_contents(filename, mmap);
        }
        return nb::make_tuple(tensors_to_python(std::move(contents.tensors)),
                              metadata_to_python(contents.metadata));
      },
      nb::arg("filename"), nb::arg("mmap") = false,
      nb::sig("def load_file(filename, mmap=False) -> tuple[dict, dict | None]"),
      "load_file(filename, mmap=False) -> (tensors, metadata): a file's tensors (views of one "
      "buffer, or of a private memory map) and metadata.");

  nb::class_<st::SafeOpen>(m, "SafeOpen", "SafeOpen(filename): a validated, memory-mapped file.")
      .def(nb::init<const std::string&>(), nb::arg("filename"),
           nb::sig("def __init__(self, filename) -> None"),
           "__init__(filename): maps the file and validates its header.")
      .def("keys", &st::SafeOpen::keys, nb::sig("def keys(self) -> list[str]"),
           "keys() -> list[str]: tensor names in the order of their bytes.")
      .def(
          "metadata", [](const st::SafeOpen& file) { return metadata_to_python(file.metadata()); },
          nb::sig("def metadata(self) -> dict | None"),
          "metadata() -> dict or None: the __metadata__ map.")
      .def("get_tensor", &st::SafeOpen::get_tensor, nb::arg("name"),
           nb::sig("def get_tensor(self, name) -> Tensor"),
           "get_tensor(name) -> Tensor: a copy of one tensor.")
      .def("get_view", &st::SafeOpen::get_view, nb::arg("name"),
           nb::sig("def get_view(self, name) -> Tensor"),
           "get_view(name) -> Tensor: a zero-copy view of the mapping (kept alive by it).")
      .def(
          "info",
          [](const st::SafeOpen& file, const std::string& name) {
            const st::TensorInfo& info = file.info(name);
            return nb::make_tuple(info.dtype_name, nb::cast(info.shape));
          },
          nb::arg("name"), nb::sig("def info(self, name) -> tuple[str, list[int]]"),
          "info(name) -> (dtype, shape): a tensor's safetensors dtype string and shape.");
}

}  // namespace ember::python
