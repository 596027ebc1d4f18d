// The CUDA kernel of the Reduce primitive: sum, amax and amin (reduce_kernels.cuh) for the
// dtypes visit_kernel_dtype covers, storing in the input's dtype (int64 for integer sums). Other
// folds (prod, all, any, sum_squares) and other output dtypes raise "has no CUDA kernel".
#include <type_traits>

#include "ember/backend/cuda/device_launch.cuh"
#include "ember/backend/cuda/elementwise_kernels.cuh"
#include "ember/backend/cuda/reduce_kernels.cuh"
#include "ember/ops/cuda_kernels.h"
#include "ember/ops/primitives_reduce.h"
#include "ember/tensor/tensor.h"

namespace ember::cuda {
namespace {

template <template <typename> class Fold, bool kWideIntegers>
bool run_fold(std::string_view op, const Tensor& x, const Tensor& y) {
  return visit_kernel_dtype(x.dtype(), [&](auto* tag) {
    using T = std::remove_pointer_t<decltype(tag)>;
    using Out = std::conditional_t<kWideIntegers && std::is_integral_v<T>, int64_t, T>;
    if (y.dtype() != scalar_type_of<Out>()) return false;
    run_reduce<Fold<T>, T, Out>(make_reduce_layout(op, x, y), DeviceLaunch{});
    return true;
  });
}

void reduce_kernel(const Primitive& primitive, TensorSpan inputs, TensorSpan outputs) {
  const auto& reduce = dynamic_cast<const Reduce&>(primitive);
  bool ran = false;
  switch (reduce.op()) {
    case ReduceOp::Sum:
      ran = run_fold<SumReduce, true>(reduce.name(), inputs[0], outputs[0]);
      break;
    case ReduceOp::Amax:
      ran = run_fold<MaxReduce, false>(reduce.name(), inputs[0], outputs[0]);
      break;
    case ReduceOp::Amin:
      ran = run_fold<MinReduce, false>(reduce.name(), inputs[0], outputs[0]);
      break;
    default:
      break;
  }
  if (!ran) raise_no_kernel(reduce.name(), "CUDA");
}

const bool registered = [] {
  register_cuda_kernel(PrimitiveKind::Reduce, &reduce_kernel);
  return true;
}();

}  // namespace
}  // namespace ember::cuda
