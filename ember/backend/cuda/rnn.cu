// The CUDA kernels of RnnLayer and RnnLayerBackward: rnn_kernels.cuh's time loops, their
// products through cuBLAS and one gate kernel per step on the GPU.
#include "ember/backend/cuda/device_launch.cuh"
#include "ember/backend/cuda/rnn_kernels.cuh"
#include "ember/ops/cuda_kernels.h"

namespace ember::cuda {
namespace {

void rnn_layer_kernel(const Primitive& primitive, TensorSpan inputs, TensorSpan outputs) {
  run_rnn_layer(dynamic_cast<const RnnLayer&>(primitive), inputs, outputs, DeviceLaunch{});
}

void rnn_layer_backward_kernel(const Primitive& primitive, TensorSpan inputs, TensorSpan outputs) {
  run_rnn_layer_backward(dynamic_cast<const RnnLayerBackward&>(primitive), inputs, outputs,
                         DeviceLaunch{});
}

const bool registered = [] {
  register_cuda_kernel(PrimitiveKind::RnnLayer, &rnn_layer_kernel);
  register_cuda_kernel(PrimitiveKind::RnnLayerBackward, &rnn_layer_backward_kernel);
  return true;
}();

}  // namespace
}  // namespace ember::cuda
