// The CUDA kernel of the Copy primitive (copy_, contiguous, clone, to(dtype) on the device): the
// elementwise bodies with CastTo, for every pair of the dtypes visit_kernel_or_byte_dtype covers.
// Its own file, so that nvcc compiles it beside elementwise.cu.
#include <type_traits>

#include "ember/backend/cuda/device_launch.cuh"
#include "ember/backend/cuda/elementwise_kernels.cuh"
#include "ember/ops/cuda_kernels.h"
#include "ember/tensor/tensor.h"

namespace ember::cuda {
namespace {

void copy_kernel(const Primitive& primitive, TensorSpan inputs, TensorSpan outputs) {
  const Tensor& source = inputs[0];
  const Tensor& destination = outputs[0];
  EMBER_CHECK(source.device().is_cuda(), "[", primitive.name(),
              "] expected a CUDA source for a CUDA destination; received one on ", source.device());
  const bool ran = visit_kernel_or_byte_dtype(destination.dtype(), [&](auto* to_tag) {
    using To = std::remove_pointer_t<decltype(to_tag)>;
    return visit_kernel_or_byte_dtype(source.dtype(), [&](auto* from_tag) {
      using From = std::remove_pointer_t<decltype(from_tag)>;
      run_elementwise<CastTo<To>, To, From, 1>(
          make_elementwise_layout(primitive.name(), destination, {&source}), DeviceLaunch{});
      return true;
    });
  });
  if (!ran) raise_no_kernel(primitive.name(), "CUDA");
}

const bool registered = [] {
  register_cuda_kernel(PrimitiveKind::Copy, &copy_kernel);
  return true;
}();

}  // namespace
}  // namespace ember::cuda
