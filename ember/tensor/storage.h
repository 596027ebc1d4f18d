// A block of memory on one device, shared by every view of it. It owns the version counter that
// in-place ops bump and autograd checks (a saved tensor modified in place is an error).
#pragma once

#include <cstddef>
#include <cstdint>

#include "ember/base/intrusive_ptr.h"
#include "ember/tensor/device.h"

namespace ember {

class Storage final : public RefCounted {
 public:
  using Deleter = void (*)(void* data, size_t nbytes, void* context);

  // Memory from the device's caching allocator.
  static IntrusivePtr<Storage> allocate(size_t nbytes, Device device);
  // Memory someone else owns (a NumPy array, a user pointer); deleter(data, nbytes, context)
  // runs when the last view goes away. A null deleter borrows the memory.
  static IntrusivePtr<Storage> wrap(void* data, size_t nbytes, Device device, Deleter deleter,
                                    void* context);
  ~Storage();

  void* data() const { return data_; }
  size_t nbytes() const { return nbytes_; }
  Device device() const { return device_; }
  uint32_t version() const { return version_; }
  void bump_version() { ++version_; }

 private:
  Storage(void* data, size_t nbytes, Device device, Deleter deleter, void* context)
      : data_(data), nbytes_(nbytes), device_(device), deleter_(deleter), context_(context) {}

  void* data_;
  size_t nbytes_;
  Device device_;
  Deleter deleter_;
  void* context_;
  uint32_t version_ = 0;
};

}  // namespace ember
