// The CUDA kernels of the primitives, registered by kind. The CUDA backend (backend/cuda, built
// with EMBER_CUDA) registers its kernels when the library loads; the ops layer stays free of any
// CUDA dependency, and a kind without a kernel (or a build without CUDA) raises "[op] has no CUDA
// kernel" from Primitive::eval_cuda. A kernel serves every primitive of its kind and raises the
// same error for the ones it does not cover (a unary op without a CUDA functor, say).
#pragma once

#include "ember/ops/primitive.h"

namespace ember {

// Fills `outputs` (allocated on the CUDA device, right shape and dtype) from `inputs`.
using CudaKernel = void (*)(const Primitive& primitive, TensorSpan inputs, TensorSpan outputs);

// Registers (or replaces) the kernel for a kind; called from the backend's static initializers.
void register_cuda_kernel(PrimitiveKind kind, CudaKernel kernel);
// The kernel registered for kind, or null.
CudaKernel cuda_kernel(PrimitiveKind kind);

}  // namespace ember
