// DLPack and NumPy protocols (ember/serialize/dlpack.h): Tensor.__dlpack__,
// Tensor.__dlpack_device__, Tensor.__array__ and ember.from_dlpack. Every path shares memory;
// the capsule's or the tensor's owner keeps the producer alive.
#include <nanobind/stl/pair.h>

#include <string>
#include <utility>

#include "convert.h"
#include "ember/serialize/dlpack.h"
#include "serialize.h"

namespace ember::python {
namespace {

constexpr const char* kLegacyName = "dltensor";
constexpr const char* kVersionedName = "dltensor_versioned";

// A capsule nobody consumed still owns its DLPack tensor; a consumer renames it "used_...".
void release_legacy(PyObject* capsule) {
  if (PyCapsule_IsValid(capsule, kLegacyName)) {
    auto* managed = static_cast<DLManagedTensor*>(PyCapsule_GetPointer(capsule, kLegacyName));
    if (managed->deleter != nullptr) managed->deleter(managed);
  }
}

void release_versioned(PyObject* capsule) {
  if (PyCapsule_IsValid(capsule, kVersionedName)) {
    auto* managed =
        static_cast<DLManagedTensorVersioned*>(PyCapsule_GetPointer(capsule, kVersionedName));
    if (managed->deleter != nullptr) managed->deleter(managed);
  }
}

nb::object to_capsule(const Tensor& tensor, bool versioned) {
  if (versioned) {
    return nb::steal(PyCapsule_New(toDLPackVersioned(tensor), kVersionedName, release_versioned));
  }
  return nb::steal(PyCapsule_New(toDLPack(tensor), kLegacyName, release_legacy));
}

nb::object dlpack(const Tensor& tensor, nb::handle stream, nb::handle max_version,
                  nb::handle dl_device, nb::handle copy) {
  EMBER_CHECK(!tensor.requires_grad(),
              "[__dlpack__] Can't export tensors that require gradient, use tensor.detach()");
  (void)stream;  // CPU memory has no streams to synchronize
  if (!dl_device.is_none()) {
    const auto device = nb::cast<std::pair<int, int>>(dl_device);
    EMBER_CHECK_VALUE(device.first == kDLCPU, "[__dlpack__] can export only to the CPU (",
                      static_cast<int>(kDLCPU), ", 0); got dl_device (", device.first, ", ",
                      device.second, ")");
  }
  const bool versioned =
      !max_version.is_none() && nb::cast<int>(nb::borrow<nb::tuple>(max_version)[0]) >= 1;
  const bool copied = !copy.is_none() && nb::cast<bool>(copy);
  return to_capsule(copied ? tensor.clone() : tensor, versioned);
}

Tensor from_capsule(nb::handle capsule) {
  PyObject* object = capsule.ptr();
  if (PyCapsule_IsValid(object, kVersionedName)) {
    auto* managed =
        static_cast<DLManagedTensorVersioned*>(PyCapsule_GetPointer(object, kVersionedName));
    PyCapsule_SetName(object, "used_dltensor_versioned");
    // The producer's deleter may touch Python objects (NumPy's does).
    return fromDLPackVersioned(managed, [managed](void*) {
      nb::gil_scoped_acquire gil;
      if (managed->deleter != nullptr) managed->deleter(managed);
    });
  }
  if (PyCapsule_IsValid(object, kLegacyName)) {
    auto* managed = static_cast<DLManagedTensor*>(PyCapsule_GetPointer(object, kLegacyName));
    PyCapsule_SetName(object, "used_dltensor");
    return fromDLPack(managed, [managed](void*) {
      nb::gil_scoped_acquire gil;
      if (managed->deleter != nullptr) managed->deleter(managed);
    });
  }
  detail::raise<TypeError>(
      "[from_dlpack] expected an unused DLPack capsule (named 'dltensor' or "
      "'dltensor_versioned'); got ",
      PyCapsule_CheckExact(object) ? "a capsule that is used or of another kind"
                                   : "another object");
}

Tensor from_dlpack(nb::handle source) {
  if (PyCapsule_CheckExact(source.ptr())) return from_capsule(source);
  EMBER_CHECK_TYPE(nb::hasattr(source, "__dlpack__"),
                   "[from_dlpack] expected an object with __dlpack__ or a DLPack capsule; got ",
                   nb::cast<std::string>(nb::str(nb::type_name(source.type()))));
  if (nb::hasattr(source, "__dlpack_device__")) {
    const auto device = nb::cast<std::pair<int, int>>(source.attr("__dlpack_device__")());
    EMBER_CHECK_TYPE(device.first == kDLCPU || device.first == kDLCUDAHost,
                     "[from_dlpack] expected a CPU tensor (DLPack device type 1); got device (",
                     device.first, ", ", device.second, ")");
  }
  nb::object capsule;
  try {
    capsule = source.attr("__dlpack__")(nb::arg("max_version") = nb::make_tuple(1, 0));
  } catch (nb::python_error& error) {
    // Producers older than DLPack 1.0 take no max_version.
    if (!error.matches(PyExc_TypeError)) throw;
    capsule = source.attr("__dlpack__")();
  }
  return from_capsule(capsule);
}

}  // namespace

void init_serialize_dlpack(nb::module_& module, nb::class_<Tensor>& tensor_class) {
  tensor_class.def("__dlpack__", &dlpack, nb::kw_only(), nb::arg("stream") = nb::none(),
                   nb::arg("max_version") = nb::none(), nb::arg("dl_device") = nb::none(),
                   nb::arg("copy") = nb::none(),
                   nb::sig("def __dlpack__(self, *, stream=None, max_version=None, "
                           "dl_device=None, copy=None) -> object"),
                   "__dlpack__(*, stream=None, max_version=None, dl_device=None, copy=None) -> "
                   "capsule\n\nA DLPack capsule sharing the tensor's memory (a DLPack 1.x "
                   "versioned one when max_version >= (1, 0)); copy=True exports a copy.");
  tensor_class.def(
      "__dlpack_device__",
      [](const Tensor& tensor) {
        return nb::make_tuple(static_cast<int>(tensor.device().is_cpu() ? kDLCPU : kDLCUDA),
                              tensor.device().is_cpu() ? 0 : tensor.device().index());
      },
      nb::sig("def __dlpack_device__(self) -> tuple[int, int]"),
      "__dlpack_device__() -> (device_type, device_id): DLPack's device of the tensor.");
  tensor_class.def(
      "__array__",
      [](nb::handle self, nb::handle dtype, nb::handle copy) {
        nb::object array = self.attr("numpy")();
        if (!dtype.is_none()) array = array.attr("astype")(dtype, nb::arg("copy") = false);
        if (!copy.is_none() && nb::cast<bool>(copy)) array = array.attr("copy")();
        return array;
      },
      nb::arg("dtype") = nb::none(), nb::arg("copy") = nb::none(),
      nb::sig("def __array__(self, dtype=None, copy=None) -> numpy.ndarray"),
      "__array__(dtype=None, copy=None) -> numpy.ndarray\n\nThe NumPy protocol: an array "
      "sharing the tensor's memory (a copy only for another dtype or copy=True).");
  module.def("from_dlpack", &from_dlpack, nb::arg("ext_tensor"),
             nb::sig("def from_dlpack(ext_tensor) -> Tensor"),
             "from_dlpack(ext_tensor) -> Tensor\n\nA tensor sharing memory with ext_tensor, an "
             "object with __dlpack__ (a NumPy array, a PyTorch tensor, ...) or a DLPack "
             "capsule; the producer stays alive as long as the tensor does.");
}

}  // namespace ember::python
