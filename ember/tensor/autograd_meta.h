// What autograd knows about one tensor: its accumulated .grad, the node that produced it
// (grad_fn) and hooks; whether it requires grad is TensorImpl's flag, which every op call reads.
// It lives in the tensor layer so that a TensorImpl can own it; the autograd layer
// (ember/autograd) gives it meaning. Node is only declared here.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "ember/tensor/tensor.h"

namespace ember::autograd {
class Node;
}  // namespace ember::autograd

namespace ember {

// A gradient hook: returns a replacement gradient, or an undefined tensor to keep it.
using GradHook = std::function<Tensor(const Tensor&)>;
// A leaf's post-accumulate-grad hook: called with the leaf itself once its .grad was updated.
using PostAccumulateGradHook = std::function<void(const Tensor&)>;

struct AutogradMeta {
  Tensor grad;
  // The node whose output `output_nr` this tensor is; null for leaves.
  std::shared_ptr<autograd::Node> grad_fn;
  uint32_t output_nr = 0;
  // A leaf's AccumulateGrad node, shared by every graph that uses the leaf.
  std::weak_ptr<autograd::Node> grad_accumulator;
  std::vector<std::pair<int64_t, GradHook>> hooks;
  // Leaves only; run by AccumulateGrad after it updated .grad (the DDP reducer's trigger).
  // Shared so that a running hook survives its own removal.
  std::vector<std::pair<int64_t, std::shared_ptr<const PostAccumulateGradHook>>>
      post_accumulate_grad_hooks;
  // A non-leaf's gradient after retain_grad(): shared with the hook on grad_fn that fills it,
  // so the hook holds no reference to the tensor (which would keep its graph alive).
  std::shared_ptr<Tensor> retained_grad;
  // A view of a leaf that requires grad may not be written in place (B21).
  bool view_of_leaf = false;
  // Note [multi-output views]: a piece of split/chunk/unbind (or a view of one) may not be
  // written in place while autograd records, as in PyTorch.
  bool multi_output_view = false;
  // Note [in-place on views]. A base's count of in-place writes that replaced its grad_fn; a
  // view's copy of its base's count when the view's grad_fn was made. While they differ, the
  // view's grad_fn is stale and is regenerated from the base's current one.
  uint32_t history_generation = 0;
};

}  // namespace ember
