// The CUDA kernel of Upsample (forward and adjoint), the bodies and launches of
// upsample_kernels.cuh on the GPU. float16 and bfloat16 inputs reach it as float32, as they
// reach the CPU's (run_upsample, ops/nn_interp.cpp).
#include "ember/backend/cuda/device_launch.cuh"
#include "ember/backend/cuda/upsample_kernels.cuh"
#include "ember/ops/cuda_kernels.h"
#include "ember/ops/ops.h"

namespace ember::cuda {
namespace {

void upsample_kernel(const Primitive& primitive, TensorSpan inputs, TensorSpan outputs) {
  const Upsample& upsample = dynamic_cast<const Upsample&>(primitive);
  int64_t plane = 1;
  for (int64_t size : upsample.adjoint() ? upsample.output_size() : upsample.input_size()) {
    plane *= size;
  }
  const int64_t planes = plane == 0 ? 0 : inputs[0].numel() / plane;
  UpsampleLayout layout = make_upsample_layout(upsample, inputs[0].dtype(), planes);
  const Device device = inputs[0].device();
  layout.indices = to(layout.indices, device, std::nullopt);
  layout.weights = to(layout.weights, device, std::nullopt);
  run_upsample_kernel(upsample, layout, inputs, outputs, DeviceLaunch{});
}

const bool registered = [] {
  register_cuda_kernel(PrimitiveKind::Upsample, &upsample_kernel);
  return true;
}();

}  // namespace
}  // namespace ember::cuda
