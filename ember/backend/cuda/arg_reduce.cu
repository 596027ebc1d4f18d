// The CUDA kernel of the ArgReduce primitive (arg_reduce_kernels.cuh) for the dtypes
// visit_kernel_dtype covers.
#include <type_traits>

#include "ember/backend/cuda/arg_reduce_kernels.cuh"
#include "ember/backend/cuda/device_launch.cuh"
#include "ember/backend/cuda/elementwise_kernels.cuh"
#include "ember/ops/cuda_kernels.h"
#include "ember/ops/primitives_reduce.h"
#include "ember/tensor/tensor.h"

namespace ember::cuda {
namespace {

template <bool kMax>
bool run(std::string_view op, const Tensor& x, const Tensor& values, const Tensor& indices) {
  return visit_kernel_dtype(x.dtype(), [&](auto* tag) {
    using T = std::remove_pointer_t<decltype(tag)>;
    run_arg_reduce<T, kMax>(make_reduce_layout(op, x, values), indices.data_ptr<int64_t>(),
                            DeviceLaunch{});
    return true;
  });
}

void arg_reduce_kernel(const Primitive& primitive, TensorSpan inputs, TensorSpan outputs) {
  const auto& arg = dynamic_cast<const ArgReduce&>(primitive);
  const Tensor& x = inputs[0];
  EMBER_CHECK(arg.dim() >= 0 && arg.dim() < x.dim() && x.sizes()[arg.dim()] > 0 &&
                  outputs[0].dtype() == x.dtype() && outputs[1].dtype() == kInt64 &&
                  outputs[0].strides() == outputs[1].strides(),
              "[", arg.name(), "] expected a non-empty dim ", arg.dim(), " of a ", x.sizes(),
              " input and matching values/indices outputs");
  const bool ran = arg.is_max() ? run<true>(arg.name(), x, outputs[0], outputs[1])
                                : run<false>(arg.name(), x, outputs[0], outputs[1]);
  if (!ran) raise_no_kernel(arg.name(), "CUDA");
}

const bool registered = [] {
  register_cuda_kernel(PrimitiveKind::ArgReduce, &arg_reduce_kernel);
  return true;
}();

}  // namespace
}  // namespace ember::cuda
