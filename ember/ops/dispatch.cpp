#include "ember/ops/dispatch.h"

#include "ember/base/error.h"

namespace ember {

void check_same_device(std::string_view op, std::initializer_list<const Tensor*> tensors) {
  const Tensor* first = nullptr;
  for (const Tensor* tensor : tensors) {
    if (tensor == nullptr || !tensor->defined()) continue;
    if (first == nullptr) {
      first = tensor;
    } else if (tensor->device() != first->device()) {
      detail::raise<RuntimeError>("[", op,
                                  "] Expected all tensors to be on the same device, but found "
                                  "at least two devices, ",
                                  first->device(), " and ", tensor->device(), "!");
    }
  }
}

void run(const Primitive& primitive, std::initializer_list<Tensor> inputs,
         std::initializer_list<Tensor> outputs) {
  const TensorSpan input_span(inputs.begin(), inputs.size());
  const TensorSpan output_span(outputs.begin(), outputs.size());
  const Device device = outputs.begin()->device();
  if (device.is_cpu()) {
    primitive.eval_cpu(input_span, output_span);
  } else {
    primitive.eval_cuda(input_span, output_span);
  }
}

}  // namespace ember
