// DLPack and NumPy protocols (ember/serialize/dlpack.h): Tensor.__dlpack__,
// Tensor.__dlpack_device__, Tensor.__array__ and ember.from_dlpack. Every path shares memory;
// the capsule's or the tensor's owner keeps the producer alive. CUDA tensors travel as kDLCUDA
// with their device index; __array__ (numpy()) refuses them, as PyTorch does.
#include <nanobind/stl/pair.h>

#include <string>
#include <utility>

#include "convert.h"
#include "ember/serialize/dlpack.h"
#include "ember/tensor/cuda_runtime.h"
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

// DLPack's (device_type, device_id) of a tensor.
std::pair<int, int> device_of(const Tensor& tensor) {
  if (tensor.device().is_cpu()) return {static_cast<int>(kDLCPU), 0};
  return {static_cast<int>(kDLCUDA), tensor.device().index()};
}

nb::object dlpack(const Tensor& tensor, nb::handle stream, nb::handle max_version,
                  nb::handle dl_device, nb::handle copy) {
  EMBER_CHECK(!tensor.requires_grad(),
              "[__dlpack__] Can't export tensors that require gradient, use tensor.detach()");
  const bool copied = !copy.is_none() && nb::cast<bool>(copy);
  const std::pair<int, int> own = device_of(tensor);
  bool to_host = false;
  if (!dl_device.is_none()) {
    const auto device = nb::cast<std::pair<int, int>>(dl_device);
    // The one cross-device export the standard allows: a copy of a CUDA tensor to the host.
    to_host = device.first == kDLCPU && own.first == kDLCUDA && copied;
    EMBER_CHECK_VALUE(device == own || to_host,
                      "[__dlpack__] can export only to the tensor's own device (", own.first, ", ",
                      own.second, ")",
                      own.first == kDLCUDA ? " or, with copy=True, to the CPU (1, 0)" : "",
                      "; got dl_device (", device.first, ", ", device.second, ")");
  }
  const Tensor exported = to_host ? tensor.cpu() : copied ? tensor.clone() : tensor;
  // The consumer reads the memory on its stream: work queued on ember's current stream must be
  // done first (stream -1: the consumer synchronizes itself). Waiting for the whole stream is
  // stronger than an event the consumer's stream waits on, and needs no stream handle.
  if (exported.device().is_cuda() &&
      !(nb::isinstance<nb::int_>(stream) && nb::cast<int64_t>(stream) == -1)) {
    cuda::current_stream(exported.device().index()).synchronize();
  }
  const bool versioned =
      !max_version.is_none() && nb::cast<int>(nb::borrow<nb::tuple>(max_version)[0]) >= 1;
  return to_capsule(exported, versioned);
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
  // The stream the producer must order its work before: none for host memory; for CUDA memory
  // ember's current stream on that device (1: the legacy default stream, as DLPack numbers it).
  nb::object stream = nb::none();
  if (nb::hasattr(source, "__dlpack_device__")) {
    const auto device = nb::cast<std::pair<int, int>>(source.attr("__dlpack_device__")());
    EMBER_CHECK_TYPE(
        device.first == kDLCPU || device.first == kDLCUDAHost || device.first == kDLCUDA,
        "[from_dlpack] expected a CPU or CUDA tensor (DLPack device type 1, 2 or 3); got device (",
        device.first, ", ", device.second, ")");
    if (device.first == kDLCUDA) {
      check_device_available(Device(kCUDA, static_cast<int8_t>(device.second)), "from_dlpack");
      const int64_t id = cuda::current_stream(device.second).id();
      stream = nb::int_(id == 0 ? 1 : id);
    }
  }
  nb::dict arguments;
  if (!stream.is_none()) arguments["stream"] = stream;
  nb::object capsule;
  try {
    arguments["max_version"] = nb::make_tuple(1, 0);
    capsule = source.attr("__dlpack__")(**arguments);
  } catch (nb::python_error& error) {
    // Producers older than DLPack 1.0 take no max_version.
    if (!error.matches(PyExc_TypeError)) throw;
    PyDict_DelItemString(arguments.ptr(), "max_version");
    capsule = source.attr("__dlpack__")(**arguments);
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
        const std::pair<int, int> device = device_of(tensor);
        return nb::make_tuple(device.first, device.second);
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
