// The CUDA kernels of the normalisation family: BatchNorm, BatchNormBackward, GroupNorm and
// GroupNormBackward, the bodies and launches of norm_kernels.cuh on the GPU. LayerNorm and its
// backward belong to the row kernels.
#include "ember/backend/cuda/device_launch.cuh"
#include "ember/backend/cuda/norm_kernels.cuh"
#include "ember/ops/cuda_kernels.h"

namespace ember::cuda {
namespace {

void batch_norm_kernel(const Primitive& primitive, TensorSpan inputs, TensorSpan outputs) {
  run_batch_norm(dynamic_cast<const BatchNorm&>(primitive), make_norm_layout(inputs[0]), inputs,
                 outputs, DeviceLaunch{});
}

void batch_norm_backward_kernel(const Primitive& primitive, TensorSpan inputs, TensorSpan outputs) {
  run_batch_norm_backward(dynamic_cast<const BatchNormBackward&>(primitive),
                          make_norm_layout(inputs[1]), inputs, outputs, DeviceLaunch{});
}

void group_norm_kernel(const Primitive& primitive, TensorSpan inputs, TensorSpan outputs) {
  run_group_norm(dynamic_cast<const GroupNorm&>(primitive), make_norm_layout(inputs[0]), inputs,
                 outputs, DeviceLaunch{});
}

void group_norm_backward_kernel(const Primitive& primitive, TensorSpan inputs, TensorSpan outputs) {
  run_group_norm_backward(dynamic_cast<const GroupNormBackward&>(primitive),
                          make_norm_layout(inputs[1]), inputs, outputs, DeviceLaunch{});
}

const bool registered = [] {
  register_cuda_kernel(PrimitiveKind::BatchNorm, &batch_norm_kernel);
  register_cuda_kernel(PrimitiveKind::BatchNormBackward, &batch_norm_backward_kernel);
  register_cuda_kernel(PrimitiveKind::GroupNorm, &group_norm_kernel);
  register_cuda_kernel(PrimitiveKind::GroupNormBackward, &group_norm_backward_kernel);
  return true;
}();

}  // namespace
}  // namespace ember::cuda
