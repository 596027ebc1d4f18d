// The CUDA kernels of the Reduce and CountNonzero primitives: the folds of reduce_kernels.cuh for
// the dtypes visit_kernel_dtype covers and bool. Sums, products and sums of squares store in the
// input's dtype or in their accumulate type (int64 for integers and bool, float32 for
// float16/bfloat16: sum's default and mean's dtype), bool ones also in float32/64; amax/amin in
// the input's dtype, all/any in bool. Other output dtypes raise "has no CUDA kernel".
#include <type_traits>

#include "ember/backend/cuda/device_launch.cuh"
#include "ember/backend/cuda/elementwise_kernels.cuh"
#include "ember/backend/cuda/reduce_kernels.cuh"
#include "ember/ops/cuda_kernels.h"
#include "ember/ops/primitives_index.h"
#include "ember/ops/primitives_reduce.h"
#include "ember/tensor/tensor.h"

namespace ember::cuda {
namespace {

// The kernel dtypes and bool (masks are summed, all-ed and any-ed).
template <typename F>
bool visit_reduce_dtype(ScalarType dtype, F&& f) {
  if (dtype == ScalarType::Bool) return f(static_cast<bool*>(nullptr));
  return visit_kernel_dtype(dtype, f);
}

template <template <typename> class Fold, typename T, typename Out>
bool run_into(std::string_view op, const Tensor& x, const Tensor& y) {
  if (y.dtype() != scalar_type_of<Out>()) return false;
  run_reduce<Fold<T>, T, Out>(make_reduce_layout(op, x, y), DeviceLaunch{});
  return true;
}

enum class OutRule { Same, SameOrWide, Bool };

template <template <typename> class Fold, OutRule rule>
bool run_fold(std::string_view op, const Tensor& x, const Tensor& y) {
  return visit_reduce_dtype(x.dtype(), [&](auto* tag) {
    using T = std::remove_pointer_t<decltype(tag)>;
    if constexpr (rule == OutRule::Bool) {
      return run_into<Fold, T, bool>(op, x, y);
    } else if constexpr (rule == OutRule::Same) {
      return run_into<Fold, T, T>(op, x, y);
    } else {
      using Wide = WideAcc<T>;
      if constexpr (std::is_same_v<T, bool>) {
        // Masks count into any width: norm(p=0) sums one into its float dtype.
        return run_into<Fold, T, Wide>(op, x, y) || run_into<Fold, T, T>(op, x, y) ||
               run_into<Fold, T, float>(op, x, y) || run_into<Fold, T, double>(op, x, y);
      } else if constexpr (std::is_same_v<Wide, T>) {
        return run_into<Fold, T, T>(op, x, y);
      } else {
        return run_into<Fold, T, Wide>(op, x, y) || run_into<Fold, T, T>(op, x, y);
      }
    }
  });
}

void reduce_kernel(const Primitive& primitive, TensorSpan inputs, TensorSpan outputs) {
  const auto& reduce = dynamic_cast<const Reduce&>(primitive);
  const std::string_view op = reduce.name();
  const Tensor& x = inputs[0];
  const Tensor& y = outputs[0];
  bool ran = false;
  switch (reduce.op()) {
    case ReduceOp::Sum:
      ran = run_fold<SumReduce, OutRule::SameOrWide>(op, x, y);
      break;
    case ReduceOp::Prod:
      ran = run_fold<ProdReduce, OutRule::SameOrWide>(op, x, y);
      break;
    case ReduceOp::SumSquares:
      ran = run_fold<SumSquaresReduce, OutRule::SameOrWide>(op, x, y);
      break;
    case ReduceOp::Amax:
      ran = run_fold<MaxReduce, OutRule::Same>(op, x, y);
      break;
    case ReduceOp::Amin:
      ran = run_fold<MinReduce, OutRule::Same>(op, x, y);
      break;
    case ReduceOp::All:
      ran = run_fold<AllReduce, OutRule::Bool>(op, x, y);
      break;
    case ReduceOp::Any:
      ran = run_fold<AnyReduce, OutRule::Bool>(op, x, y);
      break;
  }
  if (!ran) raise_no_kernel(op, "CUDA");
}

void count_nonzero_kernel(const Primitive& primitive, TensorSpan inputs, TensorSpan outputs) {
  const bool ran = visit_reduce_dtype(inputs[0].dtype(), [&](auto* tag) {
    using T = std::remove_pointer_t<decltype(tag)>;
    return run_into<NonzeroCountReduce, T, int64_t>(primitive.name(), inputs[0], outputs[0]);
  });
  if (!ran) raise_no_kernel(primitive.name(), "CUDA");
}

const bool registered = [] {
  register_cuda_kernel(PrimitiveKind::Reduce, &reduce_kernel);
  register_cuda_kernel(PrimitiveKind::CountNonzero, &count_nonzero_kernel);
  return true;
}();

}  // namespace
}  // namespace ember::cuda
