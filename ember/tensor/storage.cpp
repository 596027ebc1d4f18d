#include "ember/tensor/storage.h"

#include "ember/tensor/allocator.h"
#include "ember/tensor/cuda_hooks.h"

namespace ember {
namespace {
void return_to_cpu_cache(void* data, size_t nbytes, void*) {
  cpu_allocator::deallocate(data, nbytes);
}
}  // namespace

IntrusivePtr<Storage> Storage::allocate(size_t nbytes, Device device) {
  check_device_available(device, "allocate");
  if (device.is_cuda()) return cuda::hooks()->allocate(nbytes, device);
  void* data = cpu_allocator::allocate(nbytes);
  return IntrusivePtr<Storage>(
      new Storage(data, nbytes, Device(DeviceType::CPU), &return_to_cpu_cache, nullptr));
}

IntrusivePtr<Storage> Storage::wrap(void* data, size_t nbytes, Device device, Deleter deleter,
                                    void* context) {
  return IntrusivePtr<Storage>(new Storage(data, nbytes, device, deleter, context));
}

Storage::~Storage() {
  if (deleter_ != nullptr) deleter_(data_, nbytes_, context_);
}

}  // namespace ember
