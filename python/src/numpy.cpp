// Zero-copy NumPy interop: ember.from_numpy(array) views the array's memory (keeping the array
// alive), and Tensor.numpy() views the tensor's memory (keeping the tensor alive).
#include <nanobind/nanobind.h>
#include <nanobind/ndarray.h>

#include <string>

#include "convert.h"

namespace ember::python {
namespace {

using Array = nb::ndarray<nb::ro, nb::device::cpu>;

std::optional<ScalarType> scalar_type_of(nb::dlpack::dtype dtype) {
  using Code = nb::dlpack::dtype_code;
  const auto code = static_cast<Code>(dtype.code);
  if (dtype.lanes != 1) return std::nullopt;
  switch (code) {
    case Code::Bool:
      return kBool;
    case Code::UInt:
      return dtype.bits == 8 ? std::optional(kUInt8) : std::nullopt;
    case Code::Int:
      switch (dtype.bits) {
        case 8:
          return kInt8;
        case 16:
          return kInt16;
        case 32:
          return kInt32;
        case 64:
          return kInt64;
      }
      return std::nullopt;
    case Code::Float:
      switch (dtype.bits) {
        case 16:
          return kFloat16;
        case 32:
          return kFloat32;
        case 64:
          return kFloat64;
      }
      return std::nullopt;
    case Code::Bfloat:
      return dtype.bits == 16 ? std::optional(kBFloat16) : std::nullopt;
    default:
      return std::nullopt;
  }
}

nb::dlpack::dtype dlpack_dtype_of(ScalarType type) {
  using Code = nb::dlpack::dtype_code;
  auto make = [](Code code, int bits) {
    return nb::dlpack::dtype{static_cast<uint8_t>(code), static_cast<uint8_t>(bits), 1};
  };
  switch (type) {
    case ScalarType::Bool:
      return make(Code::Bool, 8);
    case ScalarType::UInt8:
      return make(Code::UInt, 8);
    case ScalarType::Int8:
      return make(Code::Int, 8);
    case ScalarType::Int16:
      return make(Code::Int, 16);
    case ScalarType::Int32:
      return make(Code::Int, 32);
    case ScalarType::Int64:
      return make(Code::Int, 64);
    case ScalarType::Float16:
      return make(Code::Float, 16);
    case ScalarType::BFloat16:
      return make(Code::Bfloat, 16);
    case ScalarType::Float32:
      return make(Code::Float, 32);
    case ScalarType::Float64:
      return make(Code::Float, 64);
  }
  return make(Code::Float, 32);
}

Tensor from_numpy(nb::handle object) {
  EMBER_CHECK_TYPE(nb::hasattr(object, "__array_interface__"),
                   "[from_numpy] expected np.ndarray (got ",
                   nb::cast<std::string>(nb::str(nb::type_name(object.type()))), ")");
  // Checked on NumPy's own dtype first: a dtype DLPack cannot describe (float128, complex)
  // fails inside the conversion with no useful message.
  const nb::object numpy_dtype = object.attr("dtype");
  const std::string kind = nb::cast<std::string>(numpy_dtype.attr("kind"));
  const int64_t size = nb::cast<int64_t>(numpy_dtype.attr("itemsize"));
  const bool supported = (kind == "b" && size == 1) || (kind == "u" && size == 1) ||
                         (kind == "i" && (size == 1 || size == 2 || size == 4 || size == 8)) ||
                         (kind == "f" && (size == 2 || size == 4 || size == 8));
  EMBER_CHECK_TYPE(supported, "[from_numpy] can't convert np.ndarray of this dtype (",
                   nb::cast<std::string>(nb::str(numpy_dtype)),
                   "); supported: float64, float32, float16, int64, int32, int16, int8, uint8 "
                   "and bool");
  Array array = nb::cast<Array>(object);
  const auto dtype = scalar_type_of(array.dtype());
  EMBER_CHECK_TYPE(dtype.has_value(),
                   "[from_numpy] can't convert np.ndarray of this dtype; supported: float64, "
                   "float32, float16, int64, int32, int16, int8, uint8 and bool");
  Shape shape;
  Shape strides;
  for (size_t d = 0; d < array.ndim(); ++d) {
    shape.push_back(static_cast<int64_t>(array.shape(d)));
    strides.push_back(array.stride(d));
    EMBER_CHECK_VALUE(array.stride(d) >= 0,
                      "[from_numpy] At least one stride in the given numpy array is negative, and "
                      "tensors with negative strides are not currently supported. (You can "
                      "probably work around this by making a copy of your array with "
                      "array.copy().)");
  }
  // The array stays alive while any view of its memory does; the deleter runs when the last
  // view dies, possibly on a thread without the GIL.
  object.inc_ref();
  PyObject* owner = object.ptr();
  return ember::from_blob(
      const_cast<void*>(array.data()), shape, strides,
      [owner](void*) {
        nb::gil_scoped_acquire gil;
        Py_DECREF(owner);
      },
      TensorOptions(*dtype));
}

nb::object to_numpy(const Tensor& t) {
  // PyTorch's words: the array would view device memory, which the host can't read.
  EMBER_CHECK_TYPE(t.device().is_cpu(), "can't convert ", t.device(),
                   " device type tensor to numpy. Use Tensor.cpu() to copy the tensor to host "
                   "memory first.");
  EMBER_CHECK_TYPE(t.dtype() != kBFloat16,
                   "[numpy] Got unsupported ScalarType BFloat16: NumPy has no bfloat16");
  std::vector<size_t> shape(t.shape().begin(), t.shape().end());
  std::vector<int64_t> strides(t.strides().begin(), t.strides().end());
  // The capsule owns a handle to the tensor, so the array keeps the storage alive.
  nb::capsule owner(new Tensor(t), [](void* held) noexcept { delete static_cast<Tensor*>(held); });
  nb::ndarray<nb::numpy> array(t.data_ptr(), shape.size(), shape.data(), owner, strides.data(),
                               dlpack_dtype_of(t.dtype()));
  return array.cast();
}

}  // namespace

void init_numpy(nb::module_& module, nb::class_<Tensor>& tensor_class) {
  module.def("from_numpy", &from_numpy, nb::arg("ndarray"),
             "A tensor sharing memory with a NumPy array (no copy).",
             nb::sig("def from_numpy(ndarray) -> Tensor"));
  tensor_class.def(
      "numpy",
      [](const Tensor& t, bool force) {
        // The array would share memory behind autograd's back, so PyTorch refuses unless asked.
        EMBER_CHECK(force || !t.requires_grad(),
                    "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() "
                    "instead.");
        // force=True is PyTorch's t.detach().cpu().numpy(): a CUDA tensor is copied to the host.
        return to_numpy(force ? t.detach().cpu().contiguous() : t);
      },
      nb::kw_only(), nb::arg("force") = false,
      nb::sig("def numpy(self, *, force=False) -> numpy.ndarray"),
      "A NumPy array sharing memory with the tensor (CPU tensors only: TypeError for a CUDA "
      "one); force=True also converts one that requires grad or lives on CUDA, as "
      "tensor.detach().cpu().numpy().");
}

}  // namespace ember::python
