// Copies between devices (Note [CUDA runtime] in docs/architecture.md): to() with a device of
// another type or index, and pinned host memory. Host<->device copies go through the backend's
// cuda::Hooks as one memcpy of a contiguous block: a non-contiguous CPU source is made contiguous
// first, and a non-contiguous CUDA source is fetched as the span of storage its elements cover,
// then laid out on the CPU. A dtype change happens on the CPU side of the copy (before an upload,
// after a download); a device-to-device copy with a dtype change needs the Copy CUDA kernel.
#pragma once

#include <optional>

#include "ember/tensor/tensor.h"

namespace ember {

// to() as libtorch's at::to with non_blocking: with a pinned (or device) source and
// non_blocking, the copy is only ordered on the current stream; synchronise before reading it.
Tensor to(const Tensor& self, std::optional<Device> device, std::optional<ScalarType> dtype,
          bool non_blocking, bool copy);
// A copy of a CPU tensor in pinned (page-locked) host memory, or self when already pinned;
// needs the CUDA runtime and a device.
Tensor pin_memory(const Tensor& self);
// Whether self lives in pinned host memory (false without CUDA).
bool is_pinned(const Tensor& self);

}  // namespace ember
