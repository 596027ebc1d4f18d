// The CUDA kernels of LayerNorm and LayerNormBackward (layer_norm_kernels.cuh) for float32 and
// float64, the dtypes of the CPU's fused kernels (the ops layer computes others in float32).
#include <type_traits>

#include "ember/backend/cuda/device_launch.cuh"
#include "ember/backend/cuda/float_kernel_dispatch.h"
#include "ember/backend/cuda/layer_norm_kernels.cuh"
#include "ember/ops/cuda_kernels.h"
#include "ember/ops/primitives_nn_norm.h"
#include "ember/tensor/tensor.h"

namespace ember::cuda {
namespace {

void check_contiguous(std::string_view op, TensorSpan tensors) {
  for (const Tensor& t : tensors) {
    EMBER_CHECK(t.is_contiguous(), "[", op, "] expected contiguous operands");
  }
}

void layer_norm_kernel(const Primitive& primitive, TensorSpan inputs, TensorSpan outputs) {
  const auto& norm = dynamic_cast<const LayerNorm&>(primitive);
  check_contiguous(norm.name(), inputs);
  check_contiguous(norm.name(), outputs);
  const int64_t n = norm.row_size();
  visit_float_dtype(norm.name(), inputs[0].dtype(), [&](auto* tag) {
    using T = std::remove_pointer_t<decltype(tag)>;
    const T* weight = norm.has_weight() ? inputs[1].data_ptr<T>() : nullptr;
    const T* bias = norm.has_bias() ? inputs[norm.has_weight() ? 2 : 1].data_ptr<T>() : nullptr;
    run_layer_norm(LayerNormRows<T>{inputs[0].data_ptr<T>(), weight, bias, outputs[0].data_ptr<T>(),
                                    outputs[1].data_ptr<T>(), outputs[2].data_ptr<T>(),
                                    n == 0 ? 0 : inputs[0].numel() / n, n, norm.eps()},
                   DeviceLaunch{});
  });
}

void layer_norm_backward_kernel(const Primitive& primitive, TensorSpan inputs, TensorSpan outputs) {
  const auto& backward = dynamic_cast<const LayerNormBackward&>(primitive);
  check_contiguous(backward.name(), inputs);
  check_contiguous(backward.name(), outputs);
  const int64_t n = backward.row_size();
  visit_float_dtype(backward.name(), inputs[1].dtype(), [&](auto* tag) {
    using T = std::remove_pointer_t<decltype(tag)>;
    const int64_t rows = n == 0 ? 0 : inputs[1].numel() / n;
    const T* dy = inputs[0].data_ptr<T>();
    const T* x = inputs[1].data_ptr<T>();
    const T* mean = inputs[2].data_ptr<T>();
    const T* rstd = inputs[3].data_ptr<T>();
    const LayerNormBackwardRows<T> rows_body{
        dy,
        x,
        mean,
        rstd,
        backward.has_weight() ? inputs[4].data_ptr<T>() : nullptr,
        outputs[0].data_ptr<T>(),
        rows,
        n};
    const LayerNormParamGrads<T> param_body{
        dy,
        x,
        mean,
        rstd,
        backward.weight_grad() ? outputs[1].data_ptr<T>() : nullptr,
        backward.bias_grad() ? outputs[2].data_ptr<T>() : nullptr,
        rows,
        n};
    run_layer_norm_backward(rows_body, param_body, DeviceLaunch{});
  });
}

const bool registered = [] {
  register_cuda_kernel(PrimitiveKind::LayerNorm, &layer_norm_kernel);
  register_cuda_kernel(PrimitiveKind::LayerNormBackward, &layer_norm_backward_kernel);
  return true;
}();

}  // namespace
}  // namespace ember::cuda
