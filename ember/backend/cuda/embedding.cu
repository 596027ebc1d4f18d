// The CUDA kernels of the Embedding and EmbeddingBackward primitives: the bodies of
// index_kernels.cuh. The lookup moves elements by their size (every dtype); the gradient adds
// rows with atomics for float32 and float64 (the CPU's dtypes), so its summation order, and the
// last bits of a row with repeated indices, vary between runs.
#include <type_traits>

#include "ember/backend/cuda/device_launch.cuh"
#include "ember/backend/cuda/index_kernels.cuh"
#include "ember/ops/cuda_kernels.h"
#include "ember/ops/ops.h"
#include "ember/ops/primitives_nn_embedding.h"
#include "ember/tensor/tensor.h"

namespace ember::cuda {
namespace {

void embedding_kernel(const Primitive& primitive, TensorSpan inputs, TensorSpan outputs) {
  const Tensor& weight = inputs[0];
  const EmbeddingLayout layout = make_embedding_layout(weight, outputs[0], inputs[1]);
  const bool ran = visit_element_bits(weight.element_size(), [&](auto* tag) {
    using U = std::remove_pointer_t<decltype(tag)>;
    run_embedding<U>(layout, DeviceLaunch{primitive.name()});
    return true;
  });
  if (!ran) raise_no_kernel(primitive.name(), "CUDA");
}

template <typename T>
void run_backward(const EmbeddingBackward& op, const Tensor& grad, const Tensor& indices,
                  const Tensor& out) {
  const EmbeddingLayout layout = make_embedding_layout(out, grad, indices);
  Tensor counts;
  if (op.scale_grad_by_freq()) {
    counts = empty({out.size(0)}, TensorOptions(out.device()).dtype(kInt64));
  }
  run_embedding_backward<T>(layout, op.padding_idx(),
                            counts.defined() ? counts.data_ptr<int64_t>() : nullptr,
                            DeviceLaunch{op.name()});
}

void embedding_backward_kernel(const Primitive& primitive, TensorSpan inputs, TensorSpan outputs) {
  const auto& backward = dynamic_cast<const EmbeddingBackward&>(primitive);
  switch (inputs[0].dtype()) {
    case ScalarType::Float32:
      return run_backward<float>(backward, inputs[0], inputs[1], outputs[0]);
    case ScalarType::Float64:
      return run_backward<double>(backward, inputs[0], inputs[1], outputs[0]);
    default:
      raise_no_kernel(primitive.name(), "CUDA");
  }
}

const bool registered = [] {
  register_cuda_kernel(PrimitiveKind::Embedding, &embedding_kernel);
  register_cuda_kernel(PrimitiveKind::EmbeddingBackward, &embedding_backward_kernel);
  return true;
}();

}  // namespace
}  // namespace ember::cuda
