// The `launch` that run_elementwise and run_reduce call on the GPU: a __global__ wrapper around a
// kernel body, launched on the default stream (a current-stream API comes with the stream work).
#pragma once

#include <cuda_runtime_api.h>

#include "ember/backend/cuda/kernel_grid.h"
#include "ember/backend/cuda/runtime/cuda_check.h"

namespace ember::cuda {

template <typename Body>
__global__ void run_kernel_body(Body body) {
  DeviceThread thread;
  body(thread);
}

struct DeviceLaunch {
  template <typename Body>
  void operator()(const LaunchShape& shape, const Body& body) const {
    const dim3 grid(shape.grid.x, shape.grid.y, shape.grid.z);
    const dim3 block(shape.block.x, shape.block.y, shape.block.z);
    run_kernel_body<<<grid, block, shape.shared_bytes>>>(body);
    EMBER_CUDA_CHECK(cudaGetLastError());
  }
};

}  // namespace ember::cuda
