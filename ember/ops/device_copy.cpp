#include "ember/ops/device_copy.h"

#include <algorithm>

#include "ember/base/error.h"
#include "ember/ops/dispatch.h"
#include "ember/ops/ops.h"
#include "ember/ops/primitives.h"
#include "ember/tensor/cuda_hooks.h"

namespace ember {
namespace {

// A CUDA device without an index means the current one.
Device resolved(Device device) {
  if (!device.is_cuda() || device.has_index()) return device;
  return Device(kCUDA, static_cast<int8_t>(cuda::hooks()->current_device()));
}

// A fresh contiguous copy of the contiguous `source` on `target`, in one memcpy.
Tensor copy_block(const Tensor& source, Device target, bool non_blocking) {
  Tensor result = empty(source.shape(), TensorOptions(source.dtype()).device(target));
  cuda::hooks()->copy(result.data_ptr(), target, source.data_ptr(), source.device(),
                      source.nbytes(), non_blocking);
  return result;
}

// A non-contiguous CUDA tensor on the CPU: the span of storage its elements cover comes over in
// one memcpy, and the CPU lays the elements out.
Tensor download_strided(const Tensor& source) {
  int64_t first = source.storage_offset();
  int64_t last = source.storage_offset();
  for (int64_t d = 0; d < source.dim(); ++d) {
    const int64_t reach = (source.shape()[d] - 1) * source.strides()[d];
    first += std::min<int64_t>(reach, 0);
    last += std::max<int64_t>(reach, 0);
  }
  Tensor span = empty({last - first + 1}, TensorOptions(source.dtype()));
  const size_t itemsize_bytes = static_cast<size_t>(itemsize(source.dtype()));
  cuda::hooks()->copy(span.data_ptr(), Device(kCPU),
                      static_cast<const char*>(source.storage()->data()) + first * itemsize_bytes,
                      source.device(), span.nbytes(), /*non_blocking=*/false);
  Strides strides(source.strides().begin(), source.strides().end());
  return as_strided(span, source.shape(), strides, source.storage_offset() - first).contiguous();
}

// self's elements on another device, same dtype. A staging copy is waited for (it dies here),
// so only a direct copy of self's own memory may be non_blocking.
Tensor transfer(const Tensor& self, Device target, bool non_blocking) {
  if (self.is_contiguous()) return copy_block(self, target, non_blocking);
  if (self.device().is_cpu()) return copy_block(self.contiguous(), target, false);
  const Tensor on_host = download_strided(self);
  return target.is_cpu() ? on_host : copy_block(on_host, target, false);
}

}  // namespace

Tensor to(const Tensor& self, std::optional<Device> device, std::optional<ScalarType> dtype,
          bool non_blocking, bool copy) {
  const Device target_device = device.value_or(self.device());
  check_device_available(target_device, "to");
  const ScalarType target_dtype = dtype.value_or(self.dtype());
  if (resolved(target_device) == self.device()) {
    if (!copy && target_dtype == self.dtype()) return self;
    Tensor result = empty(self.shape(), TensorOptions(target_dtype).device(self.device()));
    run_unless_empty(Copy("_to_copy"), {self}, {result});
    return result;
  }
  // The dtype changes where the CPU can do it: before an upload, after a download.
  if (self.device().is_cpu() && target_dtype != self.dtype()) {
    return to(to(self, std::nullopt, target_dtype), target_device, target_dtype, non_blocking,
              false);
  }
  Tensor result = self.numel() == 0
                      ? empty(self.shape(), TensorOptions(self.dtype()).device(target_device))
                      : transfer(self, resolved(target_device), non_blocking);
  record_only(Copy("_to_copy"), {self}, {result});
  return target_dtype == result.dtype() ? result : to(result, std::nullopt, target_dtype);
}

Tensor pin_memory(const Tensor& self) {
  EMBER_CHECK(self.device().is_cpu(), "[pin_memory] cannot pin a tensor on ", self.device(),
              "; only CPU tensors can be pinned");
  check_device_available(Device(kCUDA), "pin_memory");
  if (is_pinned(self)) return self;
  Tensor result(IntrusivePtr<TensorImpl>::make(cuda::hooks()->allocate_pinned(self.nbytes()), 0,
                                               self.shape(), contiguous_strides(self.shape()),
                                               self.dtype()));
  if (self.numel() > 0) result.copy_(self);
  return result;
}

bool is_pinned(const Tensor& self) {
  const cuda::Hooks* backend = cuda::hooks();
  return self.device().is_cpu() && backend != nullptr && backend->is_available() &&
         backend->is_pinned(self.data_ptr());
}

}  // namespace ember
