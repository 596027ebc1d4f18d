// The CUDA kernels of the creation family: Fill, Range, Where, AddScaled and Cat, the bodies and
// launches of fill_kernels.cuh on the GPU. Built with --fmad=false (ember/CMakeLists.txt), so
// Range's start + i * step rounds as the CPU's does.
#include "ember/backend/cuda/device_launch.cuh"
#include "ember/backend/cuda/fill_kernels.cuh"
#include "ember/ops/cuda_kernels.h"

namespace ember::cuda {
namespace {

void fill_kernel(const Primitive& primitive, TensorSpan, TensorSpan outputs) {
  const Fill& fill = dynamic_cast<const Fill&>(primitive);
  run_fill(fill, outputs[0].dtype(), make_elementwise_layout(fill.name(), outputs[0], {}),
           DeviceLaunch{});
}

void range_kernel(const Primitive& primitive, TensorSpan, TensorSpan outputs) {
  const Range& range = dynamic_cast<const Range&>(primitive);
  run_range(range, outputs[0].dtype(), make_elementwise_layout(range.name(), outputs[0], {}),
            DeviceLaunch{});
}

void where_kernel(const Primitive& primitive, TensorSpan inputs, TensorSpan outputs) {
  run_where(
      outputs[0].element_size(),
      make_elementwise_layout(primitive.name(), outputs[0], {&inputs[0], &inputs[1], &inputs[2]}),
      DeviceLaunch{});
}

void add_scaled_kernel(const Primitive& primitive, TensorSpan inputs, TensorSpan outputs) {
  run_add_scaled(dynamic_cast<const AddScaled&>(primitive), outputs[0].dtype(),
                 make_elementwise_layout(primitive.name(), outputs[0], {&inputs[0], &inputs[1]}),
                 DeviceLaunch{});
}

void cat_kernel(const Primitive& primitive, TensorSpan inputs, TensorSpan outputs) {
  run_cat(dynamic_cast<const Cat&>(primitive), inputs, outputs[0], DeviceLaunch{});
}

const bool registered = [] {
  register_cuda_kernel(PrimitiveKind::Fill, &fill_kernel);
  register_cuda_kernel(PrimitiveKind::Range, &range_kernel);
  register_cuda_kernel(PrimitiveKind::Where, &where_kernel);
  register_cuda_kernel(PrimitiveKind::AddScaled, &add_scaled_kernel);
  register_cuda_kernel(PrimitiveKind::Cat, &cat_kernel);
  return true;
}();

}  // namespace
}  // namespace ember::cuda
