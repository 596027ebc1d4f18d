// The CUDA kernels of the Unary and Binary primitives: the bodies of elementwise_kernels.cuh over
// the functors of elementwise/math.h, for the dtypes visit_operand_dtype covers.
#include <type_traits>

#include "ember/backend/cuda/device_launch.cuh"
#include "ember/backend/cuda/elementwise_kernels.cuh"
#include "ember/ops/cuda_kernels.h"
#include "ember/ops/primitives.h"
#include "ember/tensor/tensor.h"

namespace ember::cuda {
namespace {

template <typename Op, UnaryTypeRule rule>
void run_unary(std::string_view op, const Tensor& x, const Tensor& y) {
  const bool ran = visit_operand_dtype<rule>(x.dtype(), [&](auto* tag) {
    using T = std::remove_pointer_t<decltype(tag)>;
    if constexpr (has_unary_kernel<rule, T>()) {
      run_elementwise<Op, T, T, 1>(make_elementwise_layout(op, y, {&x}), DeviceLaunch{});
      return true;
    }
    return false;
  });
  if (!ran) raise_no_kernel(op, "CUDA");
}

template <typename Op, BinaryTypeRule rule>
void run_binary(std::string_view op, const Tensor& a, const Tensor& b, const Tensor& y) {
  const bool ran = visit_operand_dtype<rule>(a.dtype(), [&](auto* tag) {
    using T = std::remove_pointer_t<decltype(tag)>;
    if constexpr (has_binary_kernel<rule, T>()) {
      using Out = std::conditional_t<has_bool_result(rule), bool, T>;
      run_elementwise<Op, Out, T, 2>(make_elementwise_layout(op, y, {&a, &b}), DeviceLaunch{});
      return true;
    }
    return false;
  });
  if (!ran) raise_no_kernel(op, "CUDA");
}

void unary_kernel(const Primitive& primitive, TensorSpan inputs, TensorSpan outputs) {
  const auto& unary = dynamic_cast<const UnaryPrimitive&>(primitive);
  switch (unary.op()) {
#define EMBER_UNARY_OP(op_name, Name, rule) \
  case UnaryOp::Name:                       \
    return run_unary<math::Name, UnaryTypeRule::rule>(primitive.name(), inputs[0], outputs[0]);
#include "ember/tensor/unary_ops.def"
#undef EMBER_UNARY_OP
  }
  raise_no_kernel(primitive.name(), "CUDA");
}

// The kernel-only rows (div_trunc, polygamma, ...) have no CUDA body yet.
void binary_kernel(const Primitive& primitive, TensorSpan inputs, TensorSpan outputs) {
  const auto& binary = dynamic_cast<const BinaryPrimitive&>(primitive);
  switch (binary.op()) {
#define EMBER_BINARY_OP(op_name, Name, rule)                                                    \
  case BinaryOp::Name:                                                                          \
    return run_binary<math::Name, BinaryTypeRule::rule>(primitive.name(), inputs[0], inputs[1], \
                                                        outputs[0]);
#include "ember/tensor/binary_ops.def"
#undef EMBER_BINARY_OP
    default:
      break;
  }
  raise_no_kernel(primitive.name(), "CUDA");
}

const bool registered = [] {
  register_cuda_kernel(PrimitiveKind::Unary, &unary_kernel);
  register_cuda_kernel(PrimitiveKind::Binary, &binary_kernel);
  return true;
}();

}  // namespace
}  // namespace ember::cuda
