#include "ember/serialize/dlpack.h"

#include <memory>
#include <string>
#include <vector>

#include "ember/base/error.h"
#include "ember/ops/ops.h"

namespace ember {
namespace {

// What a DLPack tensor made by ember owns: the tensor (so its storage) and the shape and
// strides arrays the DLTensor points to.
template <typename Managed>
struct Exported {
  Managed managed{};
  Tensor tensor;
  std::vector<int64_t> shape;
  std::vector<int64_t> strides;
};

template <typename Managed>
Managed* export_tensor(const Tensor& tensor) {
  EMBER_CHECK_TYPE(tensor.device().is_cpu() || tensor.device().is_cuda(),
                   "[to_dlpack] expected a CPU or CUDA tensor; got one on ", tensor.device().str());
  auto owner = std::make_unique<Exported<Managed>>();
  owner->tensor = tensor;
  owner->shape.assign(tensor.shape().begin(), tensor.shape().end());
  owner->strides.assign(tensor.strides().begin(), tensor.strides().end());
  DLTensor& dl = owner->managed.dl_tensor;
  dl.data = tensor.data_ptr();
  // A CUDA tensor's pointer is device memory: the consumer learns so from the device type.
  dl.device = tensor.device().is_cuda()
                  ? DLDevice{kDLCUDA, static_cast<int32_t>(tensor.device().index())}
                  : DLDevice{kDLCPU, 0};
  dl.ndim = static_cast<int32_t>(tensor.dim());
  dl.dtype = getDLDataType(tensor.dtype());
  dl.shape = owner->shape.data();
  dl.strides = owner->strides.data();
  dl.byte_offset = 0;
  owner->managed.manager_ctx = owner.get();
  owner->managed.deleter = [](Managed* self) {
    delete static_cast<Exported<Managed>*>(self->manager_ctx);
  };
  return &owner.release()->managed;
}

template <typename Managed>
Tensor import_tensor(Managed* src, std::function<void(void*)> deleter) {
  EMBER_CHECK_VALUE(src != nullptr, "[from_dlpack] expected a DLPack tensor; got a null pointer");
  if (!deleter) {
    deleter = [src](void*) {
      if (src->deleter != nullptr) src->deleter(src);
    };
  }
  const DLTensor& dl = src->dl_tensor;
  // Checks run before the tensor owns the source: on failure the source is released here, after
  // the message is written (its parts may refer to the source's fields).
  auto reject = [&](auto&&... message) {
    std::string text = detail::concat("[from_dlpack] ", message...);
    deleter(nullptr);
    detail::raise<TypeError>(text);
  };
  // Pinned host memory (kDLCUDAHost) is host memory; kDLCUDA memory becomes a CUDA tensor.
  Device device(kCPU);
  if (dl.device.device_type == kDLCUDA) {
    if (!cuda::is_available()) {
      reject("got a CUDA tensor (DLPack device type 2), but CUDA is not available");
    }
    if (dl.device.device_id < 0 || dl.device.device_id >= cuda::device_count()) {
      reject("expected a CUDA device id in [0, ", cuda::device_count(), "); got ",
             dl.device.device_id);
    }
    device = Device(kCUDA, static_cast<int8_t>(dl.device.device_id));
  } else if (dl.device.device_type != kDLCPU && dl.device.device_type != kDLCUDAHost) {
    reject("expected a CPU or CUDA tensor (DLPack device type 1, 2 or 3); got device type ",
           static_cast<int>(dl.device.device_type));
  }
  const std::optional<ScalarType> dtype = toScalarType(dl.dtype);
  if (!dtype) {
    reject("unsupported DLPack dtype (code ", static_cast<int>(dl.dtype.code), ", bits ",
           static_cast<int>(dl.dtype.bits), ", lanes ", dl.dtype.lanes,
           "); ember has bool, uint8, int8-64, float16, bfloat16, float32 and float64");
  }
  if (dl.ndim < 0) reject("expected ndim >= 0; got ", dl.ndim);
  std::vector<int64_t> shape(dl.shape, dl.shape + dl.ndim);
  std::vector<int64_t> strides;
  if (dl.strides != nullptr) {
    strides.assign(dl.strides, dl.strides + dl.ndim);
    for (size_t d = 0; d < strides.size(); ++d) {
      // A stride over a size-1 or empty dim is never used; producers may put anything there.
      if (shape[d] <= 1 && strides[d] < 0) strides[d] = 1;
      if (strides[d] < 0) reject("negative strides are not supported; got ", dl.strides[d]);
    }
  }
  void* data = static_cast<char*>(dl.data) + dl.byte_offset;
  try {
    return from_blob(data, shape, strides, deleter, TensorOptions(*dtype).device(device));
  } catch (...) {
    // from_blob took no ownership when it failed.
    deleter(nullptr);
    throw;
  }
}

}  // namespace

DLDataType getDLDataType(ScalarType dtype) {
  const auto bits = static_cast<uint8_t>(itemsize(dtype) * 8);
  switch (dtype) {
    case ScalarType::Bool:
      return {kDLBool, 8, 1};
    case ScalarType::UInt8:
      return {kDLUInt, 8, 1};
    case ScalarType::BFloat16:
      return {kDLBfloat, 16, 1};
    case ScalarType::Float16:
    case ScalarType::Float32:
    case ScalarType::Float64:
      return {kDLFloat, bits, 1};
    default:
      return {kDLInt, bits, 1};
  }
}

std::optional<ScalarType> toScalarType(const DLDataType& dtype) {
  if (dtype.lanes != 1) return std::nullopt;
  switch (dtype.code) {
    case kDLBool:
      return dtype.bits == 8 ? std::optional(kBool) : std::nullopt;
    case kDLUInt:
      return dtype.bits == 8 ? std::optional(kUInt8) : std::nullopt;
    case kDLInt:
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
    case kDLFloat:
      switch (dtype.bits) {
        case 16:
          return kFloat16;
        case 32:
          return kFloat32;
        case 64:
          return kFloat64;
      }
      return std::nullopt;
    case kDLBfloat:
      return dtype.bits == 16 ? std::optional(kBFloat16) : std::nullopt;
  }
  return std::nullopt;
}

DLManagedTensor* toDLPack(const Tensor& tensor) { return export_tensor<DLManagedTensor>(tensor); }

DLManagedTensorVersioned* toDLPackVersioned(const Tensor& tensor) {
  DLManagedTensorVersioned* managed = export_tensor<DLManagedTensorVersioned>(tensor);
  managed->version = DLPackVersion{DLPACK_MAJOR_VERSION, DLPACK_MINOR_VERSION};
  managed->flags = 0;
  return managed;
}

Tensor fromDLPack(DLManagedTensor* src) { return import_tensor(src, nullptr); }
Tensor fromDLPack(DLManagedTensor* src, std::function<void(void*)> deleter) {
  return import_tensor(src, std::move(deleter));
}
Tensor fromDLPackVersioned(DLManagedTensorVersioned* src) { return import_tensor(src, nullptr); }
Tensor fromDLPackVersioned(DLManagedTensorVersioned* src, std::function<void(void*)> deleter) {
  return import_tensor(src, std::move(deleter));
}

}  // namespace ember
