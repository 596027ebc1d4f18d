// The CUDA kernel of RandomFill: random_kernels.cuh's bodies on the GPU, sampling_kernels.cuh's
// Poisson body (a variable number of draws per element, as the gamma and binomial samplers) and
// the Multinomial composite of device ops (multinomial_composite.h). Built
// with --fmad=false (ember/CMakeLists.txt) so that the samplers' arithmetic rounds as the CPU's
// does.
#include "ember/backend/cuda/device_launch.cuh"
#include "ember/backend/cuda/multinomial_composite.h"
#include "ember/backend/cuda/random_kernels.cuh"
#include "ember/backend/cuda/sampling_kernels.cuh"
#include "ember/ops/cuda_kernels.h"

namespace ember::cuda {
namespace {

void random_fill_kernel(const Primitive& primitive, TensorSpan inputs, TensorSpan outputs) {
  const auto& fill = dynamic_cast<const RandomFill&>(primitive);
  if (fill.distribution() == RandomFill::Distribution::Poisson)
    return run_poisson(fill, inputs, outputs[0], DeviceLaunch{});
  if (fill.distribution() == RandomFill::Distribution::Multinomial)
    return multinomial_composite(fill, inputs[0], outputs[0]);
  run_random_fill(fill, outputs[0], DeviceLaunch{});
}

const bool registered = [] {
  register_cuda_kernel(PrimitiveKind::RandomFill, &random_fill_kernel);
  return true;
}();

}  // namespace
}  // namespace ember::cuda
