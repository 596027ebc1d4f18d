#include "ember/autograd/function.h"

#include <cxxabi.h>

#include <cstdlib>

#include "ember/autograd/derivatives.h"
#include "ember/autograd/record.h"
#include "ember/base/error.h"
#include "ember/ops/ops.h"
#include "ember/tensor/autograd_meta.h"

namespace ember::autograd {
namespace {

bool listed(const variable_list& list, const Tensor& tensor) {
  for (const Tensor& item : list) {
    if (item.is_same(tensor)) return true;
  }
  return false;
}

// libtorch's is_expandable_to: `shape` broadcasts to `target` without changing `target`.
bool is_expandable_to(const Shape& shape, const Shape& target) {
  if (shape.size() > target.size()) return false;
  const size_t lead = target.size() - shape.size();
  for (size_t d = 0; d < shape.size(); ++d) {
    if (shape[d] != target[lead + d] && shape[d] != 1) return false;
  }
  return true;
}

}  // namespace

variable_list AutogradContext::get_saved_variables() const {
  EMBER_CHECK(!released_,
              "[saved_tensors] Trying to backward through the graph a second time (or directly "
              "access saved tensors after they have already been freed). Specify "
              "retain_graph=True if you need to backward through the graph a second time.");
  const std::shared_ptr<Node> grad_fn = grad_fn_.lock();
  variable_list tensors;
  for (const SavedTensor& saved : saved_) tensors.push_back(saved.unpack(grad_fn));
  return tensors;
}

bool AutogradContext::needs_input_grad(size_t index) const {
  const std::shared_ptr<Node> grad_fn = grad_fn_.lock();
  EMBER_CHECK(grad_fn != nullptr,
              "[needs_input_grad] the context is not attached to a custom Function call");
  const std::vector<Edge>& edges = grad_fn->next_edges();
  EMBER_CHECK_INDEX(index < edges.size(), "[needs_input_grad] index ", index,
                    " is out of range for ", grad_fn->name(), " with ", edges.size(),
                    " tensor inputs");
  return edges[index].valid();
}

void AutogradContext::save_variables(const std::shared_ptr<Node>& grad_fn) {
  saved_.clear();
  for (const Tensor& tensor : to_save_) {
    const bool is_output = grad_fn && tensor.defined() && tensor.grad_fn() == grad_fn;
    saved_.emplace_back(tensor, is_output);
  }
  to_save_.clear();
}

void AutogradContext::release_saved() {
  saved_.clear();
  released_ = true;
}

void attach_function_node(const std::shared_ptr<Node>& node, const variable_list& inputs,
                          variable_list& outputs, const variable_list& dirty,
                          const variable_list& non_differentiable) {
  std::vector<Edge>& edges = node->mutable_next_edges();
  edges.clear();
  for (const Tensor& input : inputs) {
    edges.push_back(input.defined() && input.requires_grad() ? gradient_edge(input) : Edge{});
  }
  for (const Tensor& tensor : dirty) {
    EMBER_CHECK(listed(outputs, tensor), "[", node->name(),
                "] Some elements marked as dirty during the forward method were not returned as "
                "output. The inputs that are modified inplace must all be outputs of the "
                "Function.");
    EMBER_CHECK(!tensor.requires_grad() || tensor.grad_fn() != nullptr, "[", node->name(),
                "] a leaf Variable that requires grad has been used in an in-place operation.");
  }
  node->set_num_outputs(static_cast<uint32_t>(outputs.size()));
  for (size_t i = 0; i < outputs.size(); ++i) {
    Tensor& output = outputs[i];
    if (!output.defined() || !output.is_floating_point() || listed(non_differentiable, output)) {
      continue;
    }
    if (listed(inputs, output) && !listed(dirty, output)) output = output.detach();
    AutogradMeta& meta = output.impl()->ensure_autograd_meta();
    meta.grad_fn = node;
    meta.output_nr = static_cast<uint32_t>(i);
    // A dirty (written in place) base changes the history its views were made from.
    if (output.impl()->view_base() == nullptr) ++meta.history_generation;
    output.impl()->set_requires_grad_flag(true);
  }
}

std::string demangle_type_name(const std::type_info& type) {
  int status = 0;
  char* demangled = abi::__cxa_demangle(type.name(), nullptr, nullptr, &status);
  if (status != 0 || demangled == nullptr) return type.name();
  std::string name(demangled);
  std::free(demangled);  // NOLINT: __cxa_demangle's buffer comes from malloc
  return name;
}

bool CppNodeBase::begin(const variable_list& inputs) {
  // An undefined Tensor argument (an absent bias) is an input that needs no gradient.
  const auto needs_grad = [](const Tensor& input) {
    return input.defined() && input.requires_grad();
  };
  bool records = false;
  if (is_grad_enabled()) {
    for (const Tensor& input : inputs) records |= needs_grad(input);
  }
  std::vector<Edge>& edges = mutable_next_edges();
  for (const Tensor& input : inputs) {
    edges.push_back(records && needs_grad(input) ? gradient_edge(input) : Edge{});
    input_shapes_.push_back(input.defined() ? input.shape() : Shape());
  }
  ctx_.set_grad_fn(shared_from_this());
  return records;
}

void CppNodeBase::finish(const variable_list& inputs, variable_list& outputs) {
  const std::shared_ptr<Node> self = shared_from_this();
  attach_function_node(self, inputs, outputs, ctx_.take_dirty(), ctx_.take_non_differentiable());
  for (const Tensor& output : outputs) {
    output_shapes_.push_back(output.defined() ? output.shape() : Shape());
    output_dtypes_.push_back(output.defined() ? output.dtype() : kFloat32);
  }
  ctx_.save_variables(self);
  if (is_anomaly_enabled()) set_creation_trace(current_creation_trace());
}

variable_list CppNodeBase::apply(variable_list&& grads) {
  for (size_t i = 0; i < grads.size() && i < output_shapes_.size(); ++i) {
    if (!grads[i].defined() && ctx_.materialize_grads()) {
      grads[i] = zeros(output_shapes_[i], output_dtypes_[i]);
    }
  }
  variable_list results;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    results = call_backward(std::move(grads));
  }
  // As libtorch: extra results are fine when they are all undefined.
  const size_t expected = is_variable_input_.size();
  if (results.size() > expected) {
    bool extra_undefined = true;
    for (size_t i = expected; i < results.size(); ++i) extra_undefined &= !results[i].defined();
    if (extra_undefined) results.resize(expected);
  }
  if (results.size() != expected) {
    detail::raise<RuntimeError>("function ", name(),
                                " returned an incorrect number of gradients (expected ", expected,
                                ", got ", results.size(), ")");
  }
  variable_list input_grads;
  for (size_t i = 0; i < expected; ++i) {
    if (!is_variable_input_[i]) {
      EMBER_CHECK(!results[i].defined(), "function ", name(),
                  " returned a gradient that is defined at position ", i + 1,
                  ", but the corresponding forward input is not a Variable");
      continue;
    }
    const size_t input = input_grads.size();
    // Only inputs that need a gradient get one (and have a shape to check it against).
    Tensor grad = next_edges()[input].valid() ? std::move(results[i]) : Tensor();
    const Shape& shape = input_shapes_[input];
    if (grad.defined() && grad.shape() != shape) {
      if (!is_expandable_to(shape, grad.shape())) {
        detail::raise<RuntimeError>("Function ", name(), " returned an invalid gradient at index ",
                                    input, " - got ", shape_str(grad.shape()),
                                    " but expected shape compatible with ", shape_str(shape));
      }
      grad = sum_to(grad, shape);
    }
    input_grads.push_back(std::move(grad));
  }
  return input_grads;
}

}  // namespace ember::autograd
