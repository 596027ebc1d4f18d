// The CUDA kernels of ScaledDotProductAttention and its backward: attention_composite.h's math
// path on the device (cuBLAS products, elementwise and reduction kernels, the CUDA RandomFill for
// the dropout mask), for the primitives' float32 and float64.
#include "ember/backend/cuda/attention_composite.h"
#include "ember/base/error.h"
#include "ember/ops/cuda_kernels.h"

namespace ember::cuda {
namespace {

void check_attention_dtype(const Primitive& primitive, const Tensor& q) {
  if (q.dtype() != kFloat32 && q.dtype() != kFloat64) raise_no_kernel(primitive.name(), "CUDA");
}

void attention_kernel(const Primitive& primitive, TensorSpan inputs, TensorSpan outputs) {
  check_attention_dtype(primitive, inputs[0]);
  attention_forward(dynamic_cast<const ScaledDotProductAttention&>(primitive), inputs, outputs);
}

void attention_backward_kernel(const Primitive& primitive, TensorSpan inputs, TensorSpan outputs) {
  check_attention_dtype(primitive, inputs[1]);
  attention_backward(dynamic_cast<const ScaledDotProductAttentionBackward&>(primitive), inputs,
                     outputs);
}

const bool registered = [] {
  register_cuda_kernel(PrimitiveKind::ScaledDotProductAttention, &attention_kernel);
  register_cuda_kernel(PrimitiveKind::ScaledDotProductAttentionBackward,
                       &attention_backward_kernel);
  return true;
}();

}  // namespace
}  // namespace ember::cuda
