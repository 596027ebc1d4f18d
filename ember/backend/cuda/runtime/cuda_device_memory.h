// The CUDA runtime's device memory (DeviceMemory over cudart) and the process-wide caching
// allocator over it, which the runtime's hooks allocate through.
#pragma once

#include "ember/backend/cuda/caching_allocator.h"
#include "ember/backend/cuda/device_memory.h"

namespace ember::cuda {

DeviceMemory& cuda_device_memory();
// Created at its first use, for the devices visible then (none on a machine without a driver).
CachingAllocator& caching_allocator();

}  // namespace ember::cuda
