// The CUDA kernels of the pooling family: Pool (max and average) and AvgPoolBackward, the bodies
// and launches of pool_kernels.cuh on the GPU. Max pooling's gradient is a scatter_add of the
// output gradient to the saved indices (autograd/derivatives_pool.cpp), scatter.cu's.
#include "ember/backend/cuda/device_launch.cuh"
#include "ember/backend/cuda/pool_kernels.cuh"
#include "ember/ops/cuda_kernels.h"
#include "ember/ops/ops.h"

namespace ember::cuda {
namespace {

// The layout of `windows` over `planes` planes, its tables copied to `device`.
PoolLayout device_pool_layout(const PoolWindows& windows, int64_t planes, Device device) {
  PoolLayout layout = make_pool_layout(windows, planes);
  layout.tables = to(layout.tables, device, std::nullopt);
  return layout;
}

int64_t plane_count(const Tensor& t, int64_t plane_numel) {
  return plane_numel == 0 ? 0 : t.numel() / plane_numel;
}

void pool_kernel(const Primitive& primitive, TensorSpan inputs, TensorSpan outputs) {
  const Pool& pool = dynamic_cast<const Pool&>(primitive);
  const PoolWindows& windows = pool.windows();
  int64_t out_plane = 1;
  for (const PoolAxis& axis : windows.axes) out_plane *= axis.output_size();
  run_pool(pool,
           device_pool_layout(windows, plane_count(outputs[0], out_plane), inputs[0].device()),
           inputs, outputs, DeviceLaunch{});
}

void avg_pool_backward_kernel(const Primitive& primitive, TensorSpan inputs, TensorSpan outputs) {
  const AvgPoolBackward& backward = dynamic_cast<const AvgPoolBackward&>(primitive);
  const PoolWindows& windows = backward.windows();
  int64_t in_plane = 1;
  for (const PoolAxis& axis : windows.axes) in_plane *= axis.input_size;
  run_avg_pool_backward(
      backward, device_pool_layout(windows, plane_count(outputs[0], in_plane), inputs[0].device()),
      inputs, outputs, DeviceLaunch{});
}

const bool registered = [] {
  register_cuda_kernel(PrimitiveKind::Pool, &pool_kernel);
  register_cuda_kernel(PrimitiveKind::AvgPoolBackward, &avg_pool_backward_kernel);
  return true;
}();

}  // namespace
}  // namespace ember::cuda
