// The CUDA kernel of the Softmax primitive (softmax_kernels.cuh): softmax and log_softmax forward
// for float32/64, float16 and bfloat16. The backward passes are composites (ops/nn_activation.cpp)
// over the elementwise and Reduce kernels.
#include <type_traits>

#include "ember/backend/cuda/device_launch.cuh"
#include "ember/backend/cuda/elementwise_kernels.cuh"
#include "ember/backend/cuda/softmax_kernels.cuh"
#include "ember/ops/cuda_kernels.h"
#include "ember/ops/primitives_nn.h"
#include "ember/tensor/tensor.h"

namespace ember::cuda {
namespace {

void softmax_kernel(const Primitive& primitive, TensorSpan inputs, TensorSpan outputs) {
  const auto& softmax = dynamic_cast<const Softmax&>(primitive);
  const Tensor& x = inputs[0];
  const Tensor& y = outputs[0];
  EMBER_CHECK(
      x.is_contiguous() && y.is_contiguous() && x.dtype() == y.dtype() && x.sizes() == y.sizes(),
      "[", softmax.name(), "] expected a contiguous input and output of one shape and dtype");
  const int64_t dim = softmax.dim();
  int64_t outer = 1;
  int64_t inner = 1;
  for (int64_t d = 0; d < x.dim(); ++d) {
    if (d < dim) outer *= x.sizes()[d];
    if (d > dim) inner *= x.sizes()[d];
  }
  const int64_t n = x.dim() == 0 ? 1 : x.sizes()[dim];
  const bool ran = visit_kernel_dtype(x.dtype(), [&](auto* tag) {
    using T = std::remove_pointer_t<decltype(tag)>;
    if constexpr (kIsKernelFloat<T>) {
      run_softmax<T>(x.data_ptr<T>(), y.data_ptr<T>(), outer, n, inner, softmax.log(),
                     DeviceLaunch{});
      return true;
    }
    return false;
  });
  if (!ran) raise_no_kernel(softmax.name(), "CUDA");
}

const bool registered = [] {
  register_cuda_kernel(PrimitiveKind::Softmax, &softmax_kernel);
  return true;
}();

}  // namespace
}  // namespace ember::cuda
