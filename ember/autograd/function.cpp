#include "ember/autograd/function.h"

#include "ember/base/error.h"
#include "ember/tensor/autograd_meta.h"

namespace ember::autograd {

void FunctionContext::save_for_backward(const TensorList& tensors) {
  saved_.clear();
  for (const Tensor& tensor : tensors) saved_.emplace_back(tensor, false);
}

TensorList FunctionContext::saved_tensors() const {
  EMBER_CHECK(!released_,
              "[saved_tensors] Trying to backward through the graph a second time (or directly "
              "access saved tensors after they have already been freed). Specify "
              "retain_graph=True if you need to backward through the graph a second time.");
  TensorList tensors;
  for (const SavedTensor& saved : saved_) tensors.push_back(saved.unpack(nullptr));
  return tensors;
}

void FunctionContext::release_saved() {
  saved_.clear();
  released_ = true;
}

void attach_function_node(const std::shared_ptr<Node>& node, const TensorList& inputs,
                          TensorList& outputs, const TensorList& dirty,
                          const TensorList& non_differentiable) {
  for (const Tensor& input : inputs) {
    node->mutable_next_edges().push_back(input.requires_grad() ? gradient_edge(input) : Edge{});
  }
  node->set_num_outputs(static_cast<uint32_t>(outputs.size()));
  auto listed = [](const TensorList& list, const Tensor& tensor) {
    for (const Tensor& item : list) {
      if (item.is_same(tensor)) return true;
    }
    return false;
  };
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

}  // namespace ember::autograd
