// The CUDA kernels of StandardGamma, StandardGammaGrad and Binomial: sampling_kernels.cuh's
// bodies on the GPU. Built with --fmad=false (ember/CMakeLists.txt) so that the samplers'
// arithmetic rounds as the CPU's does; exp, log and lgamma are the device's, so a draw may
// still differ from the CPU's in the last bit (or, rarely, take another rejection branch).
#include "ember/backend/cuda/device_launch.cuh"
#include "ember/backend/cuda/sampling_kernels.cuh"
#include "ember/ops/cuda_kernels.h"

namespace ember::cuda {
namespace {

void standard_gamma_kernel(const Primitive& primitive, TensorSpan inputs, TensorSpan outputs) {
  run_standard_gamma(dynamic_cast<const StandardGamma&>(primitive), inputs, outputs[0],
                     DeviceLaunch{});
}

void standard_gamma_grad_kernel(const Primitive& primitive, TensorSpan inputs, TensorSpan outputs) {
  run_standard_gamma_grad(dynamic_cast<const StandardGammaGrad&>(primitive), inputs, outputs[0],
                          DeviceLaunch{});
}

void binomial_kernel(const Primitive& primitive, TensorSpan inputs, TensorSpan outputs) {
  run_binomial(dynamic_cast<const Binomial&>(primitive), inputs, outputs[0], DeviceLaunch{});
}

const bool registered = [] {
  register_cuda_kernel(PrimitiveKind::StandardGamma, &standard_gamma_kernel);
  register_cuda_kernel(PrimitiveKind::StandardGammaGrad, &standard_gamma_grad_kernel);
  register_cuda_kernel(PrimitiveKind::Binomial, &binomial_kernel);
  return true;
}();

}  // namespace
}  // namespace ember::cuda
