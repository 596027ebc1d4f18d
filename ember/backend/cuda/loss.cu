// The CUDA kernels of the classification losses (loss_kernels.cuh): NllLoss, NllLossBackward,
// CrossEntropy, CrossEntropyBackward and BinaryCrossEntropy for float32 and float64, the dtypes
// of the CPU's kernels.
#include <type_traits>

#include "ember/backend/cuda/device_launch.cuh"
#include "ember/backend/cuda/float_kernel_dispatch.h"
#include "ember/backend/cuda/loss_kernels.cuh"
#include "ember/ops/cuda_kernels.h"
#include "ember/ops/nn_loss.h"
#include "ember/ops/primitives_nn_loss.h"
#include "ember/tensor/tensor.h"

namespace ember::cuda {
namespace {

// The (N, C, S) extents of `input` with the options' reduction and ignore_index.
ClassLossShape class_loss_shape(const Tensor& input, const ClassLossOptions& options) {
  ClassLossShape shape;
  shape.classes = input.sizes()[1];
  shape.positions = input.sizes()[2];
  shape.rows = input.sizes()[0] * shape.positions;
  shape.ignore_index = options.ignore_index;
  shape.reduce = options.reduction != Reduction::None;
  shape.mean = options.reduction == Reduction::Mean;
  return shape;
}

void nll_loss_kernel(const Primitive& primitive, TensorSpan inputs, TensorSpan outputs) {
  const auto& nll = dynamic_cast<const NllLoss&>(primitive);
  visit_float_dtype(nll.name(), inputs[0].dtype(), [&](auto* tag) {
    using T = std::remove_pointer_t<decltype(tag)>;
    run_loss_forward(
        NllLossForward<T>{inputs[0].data_ptr<T>(), inputs[1].data_ptr<int64_t>(),
                          inputs[2].data_ptr<T>(), outputs[0].data_ptr<T>(),
                          outputs[1].data_ptr<T>(), class_loss_shape(inputs[0], nll.options())},
        DeviceLaunch{nll.name()});
  });
}

void nll_loss_backward_kernel(const Primitive& primitive, TensorSpan inputs, TensorSpan outputs) {
  const auto& backward = dynamic_cast<const NllLossBackward&>(primitive);
  visit_float_dtype(backward.name(), outputs[0].dtype(), [&](auto* tag) {
    using T = std::remove_pointer_t<decltype(tag)>;
    const ClassLossShape shape = class_loss_shape(outputs[0], backward.options());
    run_loss_positions(
        NllLossBackwardPositions<T>{inputs[0].data_ptr<T>(), inputs[1].data_ptr<int64_t>(),
                                    inputs[2].data_ptr<T>(), inputs[3].data_ptr<T>(),
                                    outputs[0].data_ptr<T>(), shape},
        shape.rows, DeviceLaunch{backward.name()});
  });
}

void cross_entropy_kernel(const Primitive& primitive, TensorSpan inputs, TensorSpan outputs) {
  const auto& ce = dynamic_cast<const CrossEntropy&>(primitive);
  visit_float_dtype(ce.name(), inputs[0].dtype(), [&](auto* tag) {
    using T = std::remove_pointer_t<decltype(tag)>;
    run_loss_forward(CrossEntropyForward<T>{inputs[0].data_ptr<T>(), inputs[1].data_ptr<int64_t>(),
                                            inputs[2].data_ptr<T>(), outputs[0].data_ptr<T>(),
                                            outputs[1].data_ptr<T>(), outputs[2].data_ptr<T>(),
                                            class_loss_shape(inputs[0], ce.options()),
                                            static_cast<T>(ce.label_smoothing())},
                     DeviceLaunch{ce.name()});
  });
}

void cross_entropy_backward_kernel(const Primitive& primitive, TensorSpan inputs,
                                   TensorSpan outputs) {
  const auto& backward = dynamic_cast<const CrossEntropyBackward&>(primitive);
  visit_float_dtype(backward.name(), inputs[1].dtype(), [&](auto* tag) {
    using T = std::remove_pointer_t<decltype(tag)>;
    const ClassLossShape shape = class_loss_shape(inputs[1], backward.options());
    run_loss_positions(
        CrossEntropyBackwardPositions<T>{
            inputs[0].data_ptr<T>(), inputs[1].data_ptr<T>(), inputs[2].data_ptr<int64_t>(),
            inputs[3].data_ptr<T>(), inputs[4].data_ptr<T>(), inputs[5].data_ptr<T>(),
            outputs[0].data_ptr<T>(), shape, static_cast<T>(backward.label_smoothing())},
        shape.rows, DeviceLaunch{backward.name()});
  });
}

void binary_cross_entropy_kernel(const Primitive& primitive, TensorSpan inputs,
                                 TensorSpan outputs) {
  visit_float_dtype(primitive.name(), inputs[0].dtype(), [&](auto* tag) {
    using T = std::remove_pointer_t<decltype(tag)>;
    run_loss_positions(
        BinaryCrossEntropyElements<T>{inputs[0].data_ptr<T>(), inputs[1].data_ptr<T>(),
                                      outputs[0].data_ptr<T>(), inputs[0].numel()},
        inputs[0].numel(), DeviceLaunch{});
  });
}

const bool registered = [] {
  register_cuda_kernel(PrimitiveKind::NllLoss, &nll_loss_kernel);
  register_cuda_kernel(PrimitiveKind::NllLossBackward, &nll_loss_backward_kernel);
  register_cuda_kernel(PrimitiveKind::CrossEntropy, &cross_entropy_kernel);
  register_cuda_kernel(PrimitiveKind::CrossEntropyBackward, &cross_entropy_backward_kernel);
  register_cuda_kernel(PrimitiveKind::BinaryCrossEntropy, &binary_cross_entropy_kernel);
  return true;
}();

}  // namespace
}  // namespace ember::cuda
