#include "ember/ops/dispatch.h"

#include "ember/base/error.h"
#include "ember/ops/cuda_kernels.h"
#include "ember/ops/ops.h"

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

namespace {

bool is_cpu_scalar(const Tensor& tensor) { return tensor.device().is_cpu() && tensor.dim() == 0; }

}  // namespace

Device elementwise_device(std::string_view op, std::initializer_list<const Tensor*> tensors) {
  for (const Tensor* tensor : tensors) {
    if (tensor == nullptr || !tensor->defined() || is_cpu_scalar(*tensor)) continue;
    for (const Tensor* other : tensors) {
      if (other != nullptr && other->defined() && !is_cpu_scalar(*other)) {
        check_same_device(op, {tensor, other});
      }
    }
    return tensor->device();
  }
  return Device(kCPU);
}

Tensor on_device(const Tensor& operand, Device device) {
  if (!operand.defined() || operand.device() == device) return operand;
  if (operand.requires_grad()) return operand.to(device);
  return full({}, operand.item(), TensorOptions(operand.dtype()).device(device));
}

namespace {

AutogradHooks autograd_hooks;

// A view takes part when its base does: an in-place write may have given the base history
// that the view takes up when recorded (Note [in-place on views]).
bool takes_part(const TensorImpl& impl) {
  return impl.requires_grad() || (impl.view_base() != nullptr && impl.view_base()->requires_grad());
}

// The recorder is asked only when a tensor of the call takes part in autograd: a byte or two per
// tensor on the hot path.
bool involves_autograd(TensorSpan inputs, TensorSpan outputs) {
  if (autograd_hooks.begin == nullptr) return false;
  for (const Tensor& tensor : inputs) {
    if (tensor.defined() && takes_part(*tensor.impl())) return true;
  }
  for (const Tensor& tensor : outputs) {
    if (takes_part(*tensor.impl())) return true;
  }
  return false;
}

bool all_on(Device device, TensorSpan inputs, TensorSpan outputs) {
  for (const Tensor& tensor : inputs) {
    if (tensor.defined() && tensor.device() != device) return false;
  }
  for (const Tensor& tensor : outputs) {
    if (tensor.device() != device) return false;
  }
  return true;
}

[[noreturn]] void raise_mixed_devices(std::string_view op, Device device, TensorSpan inputs,
                                      TensorSpan outputs) {
  for (TensorSpan span : {inputs, outputs}) {
    for (const Tensor& tensor : span) {
      if (!tensor.defined() || tensor.device() == device) continue;
      detail::raise<RuntimeError>("[", op,
                                  "] Expected all tensors to be on the same device, but found "
                                  "at least two devices, ",
                                  device, " and ", tensor.device(), "!");
    }
  }
  detail::raise<RuntimeError>("[", op, "] mixed devices");
}

}  // namespace

void set_autograd_hooks(AutogradHooks hooks) { autograd_hooks = hooks; }

void run(const Primitive& primitive, std::initializer_list<Tensor> inputs,
         std::initializer_list<Tensor> outputs) {
  run(primitive, TensorSpan(inputs.begin(), inputs.size()),
      TensorSpan(outputs.begin(), outputs.size()));
}

void run(const Primitive& primitive, TensorSpan input_span, TensorSpan output_span) {
  std::shared_ptr<autograd::Node> node;
  if (involves_autograd(input_span, output_span)) {
    node = autograd_hooks.begin(primitive, input_span, output_span);
  }
  const Device device = output_span.front().device();
  if (device.is_cpu()) {
    primitive.eval_cpu(input_span, output_span);
    // A device kernel given a tensor of another device would read memory it cannot reach: the
    // ops move CPU scalars first (on_device), so anything else here is a caller's mixed devices.
  } else if (!all_on(device, input_span, output_span)) {
    raise_mixed_devices(primitive.name(), device, input_span, output_span);
  } else if (CudaKernel kernel = cuda_kernel(primitive.kind())) {
    kernel(primitive, input_span, output_span);
  } else {
    primitive.eval_cuda(input_span, output_span);
  }
  // Every write bumps the version, before autograd saves outputs at their new version.
  for (const Tensor& output : output_span) output.storage()->bump_version();
  if (node) autograd_hooks.finish(node, output_span);
}

void record_only(const Primitive& primitive, std::initializer_list<Tensor> inputs,
                 std::initializer_list<Tensor> outputs) {
  record_only(primitive, TensorSpan(inputs.begin(), inputs.size()),
              TensorSpan(outputs.begin(), outputs.size()));
}

void record_only(const Primitive& primitive, TensorSpan inputs, TensorSpan outputs) {
  if (!involves_autograd(inputs, outputs)) return;
  if (auto node = autograd_hooks.begin(primitive, inputs, outputs)) {
    autograd_hooks.finish(node, outputs);
  }
}

void run_unless_empty(const Primitive& primitive, std::initializer_list<Tensor> inputs,
                      std::initializer_list<Tensor> outputs) {
  for (const Tensor& output : outputs) {
    if (output.numel() > 0) return run(primitive, inputs, outputs);
  }
  record_only(primitive, inputs, outputs);
}

}  // namespace ember
