// The CUDA kernel of RandomFill: random_kernels.cuh's body on the GPU. Built with --fmad=false
// (ember/CMakeLists.txt) so that the samplers' arithmetic rounds as the CPU's does.
#include "ember/backend/cuda/device_launch.cuh"
#include "ember/backend/cuda/random_kernels.cuh"
#include "ember/ops/cuda_kernels.h"

namespace ember::cuda {
namespace {

void random_fill_kernel(const Primitive& primitive, TensorSpan, TensorSpan outputs) {
  run_random_fill(dynamic_cast<const RandomFill&>(primitive), outputs[0], DeviceLaunch{});
}

const bool registered = [] {
  register_cuda_kernel(PrimitiveKind::RandomFill, &random_fill_kernel);
  return true;
}();

}  // namespace
}  // namespace ember::cuda
