// The graph autograd records as code runs (DESIGN §4 "Autograd"). A Node is one backward
// function: it takes the gradients w.r.t. its forward outputs and returns the gradients w.r.t.
// its forward inputs, which flow along `next_edges` to the nodes that produced those inputs.
// Leaves end in AccumulateGrad, which adds into `.grad`. Graphs are built per forward pass and
// freed when the last tensor that refers to them goes away.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "ember/tensor/tensor.h"

namespace ember {
struct AutogradMeta;
}  // namespace ember

namespace ember::autograd {

class Node;

// Where a gradient goes: input `input_nr` of node `function` (a null function: nowhere).
struct Edge {
  std::shared_ptr<Node> function;
  uint32_t input_nr = 0;
  bool valid() const { return static_cast<bool>(function); }
};

using TensorList = std::vector<Tensor>;

// A tensor kept for backward, with the version it had then: if it is modified in place before
// backward uses it, unpack() raises the "modified by an inplace operation" error (B20).
class SavedTensor {
 public:
  SavedTensor() = default;
  // is_output: the tensor is an output of `owner` itself; it is stored without its history
  // (which would point back at owner: a cycle) and given it back on unpack.
  SavedTensor(const Tensor& tensor, bool is_output);
  // owner: the node unpacking (for messages and to re-attach an output's history).
  Tensor unpack(const std::shared_ptr<Node>& owner) const;
  void reset() {
    data_ = Tensor();
    was_freed_ = true;
  }
  bool defined() const { return data_.defined() || was_freed_; }

 private:
  Tensor data_;
  uint32_t saved_version_ = 0;
  uint32_t output_nr_ = 0;
  bool is_output_ = false;
  bool requires_grad_ = false;
  bool was_freed_ = false;
};

// A fresh handle for a tensor hook, unique across leaf hooks and node pre-hooks.
int64_t next_hook_handle();

class Node : public std::enable_shared_from_this<Node> {
 public:
  Node();
  // Iterative: a long chain of nodes is freed without one stack frame per node (see node.cpp).
  virtual ~Node();
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  // PyTorch's name for the node: "MulBackward0", "AccumulateGrad", ...
  virtual std::string name() const = 0;
  // grads[i] is dL/d(output i), undefined when no gradient reached that output.
  virtual TensorList apply(TensorList&& grads) = 0;
  // Drops saved tensors after a backward without retain_graph.
  virtual void release_saved() {}

  const std::vector<Edge>& next_edges() const { return next_edges_; }
  std::vector<Edge>& mutable_next_edges() { return next_edges_; }
  uint32_t num_outputs() const { return num_outputs_; }
  void set_num_outputs(uint32_t count) { num_outputs_ = count; }
  // Creation order: the engine runs later nodes first when both are ready.
  uint64_t sequence_nr() const { return sequence_nr_; }
  // The Python line (or C++ op) that created this node, shown by anomaly mode.
  const std::string& creation_trace() const { return creation_trace_; }
  void set_creation_trace(std::string trace) { creation_trace_ = std::move(trace); }

  // Hooks on the gradient w.r.t. forward output `output_nr` (tensor hooks of non-leaves): they
  // may replace it before this node runs.
  using PreHook = std::function<Tensor(const Tensor&)>;
  int64_t add_pre_hook(uint32_t output_nr, PreHook hook);
  void remove_pre_hook(int64_t handle);
  void run_pre_hooks(TensorList& grads) const;
  // For a garbage collector of a language the hooks call into (Python's).
  template <typename Visit>
  void for_each_pre_hook(Visit&& visit) const {
    for (const RegisteredPreHook& registered : pre_hooks_) visit(registered.hook);
  }
  void clear_pre_hooks() {
    // Moved out first: destroying a hook may run code that registers or removes hooks.
    std::vector<RegisteredPreHook> hooks = std::move(pre_hooks_);
    pre_hooks_.clear();
  }

 private:
  struct RegisteredPreHook {
    int64_t handle;
    uint32_t output_nr;
    PreHook hook;
  };
  std::vector<RegisteredPreHook> pre_hooks_;
  std::vector<Edge> next_edges_;
  uint32_t num_outputs_ = 1;
  uint64_t sequence_nr_;
  std::string creation_trace_;
};

// Adds the incoming gradient into a leaf's .grad (running the leaf's hooks first).
class AccumulateGrad final : public Node {
 public:
  explicit AccumulateGrad(Tensor leaf);
  std::string name() const override { return "AccumulateGrad"; }
  TensorList apply(TensorList&& grads) override;
  const Tensor& leaf() const { return leaf_; }

 private:
  // A handle without autograd identity would lose .grad; the leaf's impl is shared instead.
  Tensor leaf_;
};

// retain_grad(): the gradient w.r.t. the tensor whose meta this is accumulates into
// `meta.retained_grad`, through a hook on its grad_fn.
void add_retain_grad_hook(const AutogradMeta& meta);
// After the tensor took a new grad_fn (an in-place write, a regenerated view): its retained
// gradient so far moves to a fresh cell that the new grad_fn's hook fills; the old node's hook
// keeps filling the old cell, which nothing reads.
void move_retained_grad(AutogradMeta& meta);

// Tensor.register_post_accumulate_grad_hook: hook(leaf) runs after AccumulateGrad updated the
// leaf's .grad in a backward pass. Returns a handle for Tensor::remove_hook (leaf hooks, node
// pre-hooks and these draw their handles from one counter).
int64_t register_post_accumulate_grad_hook(const Tensor& leaf,
                                           std::function<void(const Tensor&)> hook);

// The edge a gradient w.r.t. `tensor` travels: its grad_fn, or its leaf accumulator.
Edge gradient_edge(const Tensor& tensor);
// The leaf's AccumulateGrad, created on first use and shared afterwards.
std::shared_ptr<Node> grad_accumulator(const Tensor& leaf);

}  // namespace ember::autograd
