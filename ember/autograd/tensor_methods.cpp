// Tensor's autograd methods (declared in tensor/tensor.h). This file also installs the
// recorder into the op call path: any program that makes a tensor require grad links it.
#include "ember/autograd/engine.h"
#include "ember/autograd/node.h"
#include "ember/autograd/record.h"
#include "ember/base/error.h"
#include "ember/ops/ops.h"
#include "ember/tensor/autograd_meta.h"

namespace ember {
namespace {
const bool recorder_installed = (autograd::install_recorder(), true);
}  // namespace

Tensor& Tensor::requires_grad_(bool requires_grad) {
  (void)recorder_installed;
  AutogradMeta* meta = impl_->autograd_meta();
  if (!requires_grad && meta != nullptr && meta->grad_fn) {
    detail::raise<RuntimeError>(
        "[requires_grad_] you can only change requires_grad flags of leaf variables. If you want "
        "to use a computed variable in a subgraph that doesn't require differentiation use "
        "var_no_grad = var.detach().");
  }
  EMBER_CHECK(!requires_grad || is_floating_point(),
              "[requires_grad_] only Tensors of floating "
              "point dtype can require gradients; got ",
              dtype());
  impl_->set_requires_grad_flag(requires_grad);
  return *this;
}

Tensor Tensor::grad() const {
  const AutogradMeta* meta = impl_->autograd_meta();
  if (meta == nullptr) return Tensor();
  if (meta->retained_grad) return *meta->retained_grad;
  return meta->grad;
}

void Tensor::set_grad(const Tensor& grad) const {
  if (grad.defined()) {
    EMBER_CHECK(grad.shape() == shape(),
                "[grad] assigned grad has data of a different size: ", grad.shape(),
                " vs the tensor's ", shape());
    EMBER_CHECK(grad.dtype() == dtype(),
                "[grad] assigned grad has data of a different type: ", grad.dtype(),
                " vs the tensor's ", dtype());
  }
  AutogradMeta& meta = impl_->ensure_autograd_meta();
  if (meta.retained_grad) {
    *meta.retained_grad = grad;
  } else {
    meta.grad = grad;
  }
}

Tensor& Tensor::mutable_grad() const {
  AutogradMeta& meta = impl_->ensure_autograd_meta();
  return meta.retained_grad ? *meta.retained_grad : meta.grad;
}

std::shared_ptr<autograd::Node> Tensor::grad_fn() const {
  autograd::refresh_view_history(*this);
  const AutogradMeta* meta = impl_->autograd_meta();
  return meta == nullptr ? nullptr : meta->grad_fn;
}

bool Tensor::is_leaf() const { return grad_fn() == nullptr; }

uint32_t Tensor::output_nr() const {
  autograd::refresh_view_history(*this);
  const AutogradMeta* meta = impl_->autograd_meta();
  return meta == nullptr ? 0 : meta->output_nr;
}

void Tensor::backward(const Tensor& gradient, std::optional<bool> retain_graph, bool create_graph,
                      const std::vector<Tensor>& inputs) const {
  autograd::backward({*this}, {gradient}, retain_graph, create_graph, inputs);
}

void Tensor::retain_grad() const {
  autograd::refresh_view_history(*this);
  EMBER_CHECK(requires_grad(),
              "[retain_grad] can't retain_grad on Tensor that has requires_grad=False");
  AutogradMeta& meta = impl_->ensure_autograd_meta();
  if (!meta.grad_fn || meta.retained_grad) return;  // leaves keep .grad anyway
  meta.retained_grad = std::make_shared<Tensor>();
  autograd::add_retain_grad_hook(meta);
}

bool Tensor::retains_grad() const {
  const AutogradMeta* meta = impl_->autograd_meta();
  return meta != nullptr && meta->retained_grad != nullptr;
}

unsigned Tensor::add_hook(std::function<Tensor(const Tensor&)> hook) const {
  autograd::refresh_view_history(*this);
  EMBER_CHECK(requires_grad(),
              "[register_hook] cannot register a hook on a tensor that doesn't "
              "require gradient");
  AutogradMeta& meta = impl_->ensure_autograd_meta();
  if (meta.grad_fn) {
    return static_cast<unsigned>(meta.grad_fn->add_pre_hook(meta.output_nr, std::move(hook)));
  }
  const int64_t handle = autograd::next_hook_handle();
  meta.hooks.emplace_back(handle, std::move(hook));
  return static_cast<unsigned>(handle);
}

void Tensor::remove_hook(unsigned handle) const {
  AutogradMeta* meta = impl_->autograd_meta();
  if (meta == nullptr) return;
  // Leaf hooks, post-accumulate-grad hooks and node pre-hooks draw their handles from one
  // counter, so a handle names one.
  const auto named = [handle](const auto& entry) { return entry.first == int64_t{handle}; };
  const auto removed =
      std::erase_if(meta->hooks, named) + std::erase_if(meta->post_accumulate_grad_hooks, named);
  if (removed == 0 && meta->grad_fn) meta->grad_fn->remove_pre_hook(handle);
}

Tensor& Tensor::detach_() {
  if (AutogradMeta* meta = impl_->autograd_meta()) meta->grad_fn.reset();
  // Like detach(), an alias outside its base's history: a later write into the base must not
  // give it history back (Note [in-place on views]). PyTorch refuses detach_() of a view.
  impl_->set_view_base({});
  impl_->set_requires_grad_flag(false);
  return *this;
}

void Tensor::set_data(const Tensor& new_data) const {
  EMBER_CHECK(defined() && new_data.defined(), "[set_data] both tensors must be defined; received ",
              defined() ? "a defined" : "an undefined", " tensor and ",
              new_data.defined() ? "defined" : "undefined", " new data");
  const bool same_dtype = dtype() == new_data.dtype();
  impl_->set_storage(new_data.storage());
  impl_->set_geometry(new_data.shape(), new_data.strides(), new_data.storage_offset());
  impl_->set_dtype(new_data.dtype());
  // A leaf's AccumulateGrad node checks gradients against the old dtype; as in PyTorch, a tensor
  // of another type gets a fresh one the next time a graph uses it.
  if (AutogradMeta* meta = impl_->autograd_meta(); meta != nullptr && !same_dtype) {
    meta->grad_accumulator.reset();
  }
}

}  // namespace ember
