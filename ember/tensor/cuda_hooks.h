// What the tensor layer asks of the CUDA backend. The backend (backend/cuda/runtime, built with
// EMBER_CUDA) installs its hooks when the library loads; until then, and in a CPU-only build,
// cuda::is_available() is false and every CUDA request raises check_device_available's error.
// This keeps the tensor layer free of any CUDA dependency (DESIGN §2: backends below ops).
#pragma once

#include <cstddef>

#include "ember/tensor/device.h"
#include "ember/tensor/storage.h"

namespace ember::cuda {

class Hooks {
 public:
  virtual ~Hooks() = default;
  // False on a machine without a driver or a device (importing ember still works there).
  virtual bool is_available() const = 0;
  virtual int device_count() const = 0;
  virtual int current_device() const = 0;
  // nbytes of device memory on `device` (index -1: the current device) from the caching
  // allocator, returned to it when the storage dies; OutOfMemoryError when even an emptied
  // cache cannot serve it.
  virtual IntrusivePtr<Storage> allocate(size_t nbytes, Device device) = 0;
  // Copies nbytes between host and device memory or within devices, ordered on the current
  // stream; returns once the copy is done unless non_blocking.
  virtual void copy(void* destination, Device destination_device, const void* source,
                    Device source_device, size_t nbytes, bool non_blocking) = 0;
};

// Installs the backend's hooks (null uninstalls them); they must outlive every CUDA tensor.
void set_hooks(Hooks* hooks);
// The installed hooks, or null.
Hooks* hooks();

}  // namespace ember::cuda
