// The `launch` that the run_* functions of the kernel headers call on the GPU: a __global__
// wrapper around a kernel body, launched on the current device's current stream (the stream
// ember::cuda::getCurrentCUDAStream returns, the default stream unless a StreamGuard set another).
#pragma once

#include <cuda_runtime_api.h>

#include <string_view>

#include "ember/backend/cuda/kernel_grid.h"
#include "ember/backend/cuda/runtime/cuda_check.h"
#include "ember/backend/cuda/runtime/index_error.h"
#include "ember/backend/cuda/runtime/runtime.h"

namespace ember::cuda {

template <typename Body>
__global__ void run_kernel_body(Body body, DeviceThread thread) {
  body(thread);
}

struct DeviceLaunch {
  // Kernels that read indices name their op: the launch hands them the device's IndexErrorSlot,
  // and a bad index raises IndexError naming the op at the next synchronisation. Empty for
  // kernels that index nothing.
  std::string_view indexing_op;

  template <typename Body>
  void operator()(const LaunchShape& shape, const Body& body) const {
    int device = 0;
    EMBER_CUDA_CHECK(cudaGetDevice(&device));
    DeviceThread thread;
    if (!indexing_op.empty()) {
      thread.index_error = runtime::index_error_slot(device);
      thread.op = runtime::intern_op_name(indexing_op);
    }
    const auto stream = static_cast<cudaStream_t>(runtime::current_stream(device));
    const dim3 grid(shape.grid.x, shape.grid.y, shape.grid.z);
    const dim3 block(shape.block.x, shape.block.y, shape.block.z);
    run_kernel_body<<<grid, block, shape.shared_bytes, stream>>>(body, thread);
    EMBER_CUDA_CHECK(cudaGetLastError());
  }
};

}  // namespace ember::cuda
