#include "ember/autograd/engine.h"

#include <cmath>
#include <functional>
#include <queue>
#include <sstream>
#include <unordered_map>
#include <vector>

#include "ember/autograd/grad_mode.h"
#include "ember/base/error.h"
#include "ember/ops/ops.h"
#include "ember/tensor/autograd_meta.h"

namespace ember::autograd {
namespace {

struct ByLatestFirst {
  bool operator()(const Node* a, const Node* b) const {
    return a->sequence_nr() < b->sequence_nr();
  }
};

std::string size_str(const Shape& shape) {
  std::ostringstream text;
  text << "ember.Size(" << shape << ")";
  return text.str();
}

// The root gradients: given ones, or an implicit 1 for scalar outputs (B22).
TensorList root_gradients(const TensorList& outputs, const TensorList& grad_outputs) {
  EMBER_CHECK(grad_outputs.empty() || grad_outputs.size() == outputs.size(), "[backward] got ",
              grad_outputs.size(), " gradients for ", outputs.size(), " outputs");
  TensorList grads;
  for (size_t i = 0; i < outputs.size(); ++i) {
    const Tensor& output = outputs[i];
    Tensor grad = grad_outputs.empty() ? Tensor() : grad_outputs[i];
    if (!grad.defined()) {
      EMBER_CHECK(output.numel() == 1,
                  "[backward] grad can be implicitly created only for scalar outputs; got an "
                  "output of shape ",
                  output.shape());
      grad = ones_like(output);
    }
    EMBER_CHECK(grad.shape() == output.shape(), "[backward] Mismatch in shape: grad_output[", i,
                "] has a shape of ", size_str(grad.shape()), " and output[", i, "] has a shape of ",
                size_str(output.shape()), ".");
    // PyTorch checks shapes before history, so a wrong gradient is reported first.
    EMBER_CHECK(output.requires_grad(), "[backward] element ", i,
                " of tensors does not require grad and does not have a grad_fn");
    grads.push_back(grad);
  }
  return grads;
}

void check_anomaly(const Node& node, const TensorList& produced) {
  for (size_t i = 0; i < produced.size(); ++i) {
    const Tensor& grad = produced[i];
    if (!grad.defined() || !grad.is_floating_point()) continue;
    const bool has_nan = ne(grad, grad).any().item().to_int64() != 0;
    if (has_nan) {
      detail::raise<RuntimeError>(
          "[backward] Function '", node.name(), "' returned nan values in its ", i, "th output.",
          node.creation_trace().empty() ? "" : " The forward call that created it: ",
          node.creation_trace());
    }
  }
}

// The final callbacks of the backward passes running on this thread, innermost last (a hook may
// run a nested backward).
thread_local std::vector<std::vector<std::function<void()>>> final_callbacks;

// A backward pass's frame of final callbacks, dropped however the pass ends.
class FinalCallbacksFrame {
 public:
  FinalCallbacksFrame() { final_callbacks.emplace_back(); }
  ~FinalCallbacksFrame() { final_callbacks.pop_back(); }
  FinalCallbacksFrame(const FinalCallbacksFrame&) = delete;
  FinalCallbacksFrame& operator=(const FinalCallbacksFrame&) = delete;

  void run() {
    // Taken out before running: a callback may queue more (or run a nested backward, which
    // pushes a frame and may reallocate the stack).
    while (!final_callbacks.back().empty()) {
      std::vector<std::function<void()>> callbacks = std::move(final_callbacks.back());
      final_callbacks.back().clear();
      for (auto& callback : callbacks) callback();
    }
  }
};

// What the engine keeps for each node of the graph, in one hash entry: four containers keyed by
// node (counts, seen, buffers, owners) cost four allocations per node, a quarter of a small graph's
// backward (a REINFORCE episode's graph has ~10 nodes per step).
struct NodeTask {
  int64_t dependencies = 0;     // edges pointing at the node that have not delivered yet
  TensorList buffer;            // the gradients received so far, one slot per node output
  std::shared_ptr<Node> owner;  // keeps the node alive once a gradient reaches it
  bool queued = false;          // pushed on the ready queue
};

// Runs the graph from `roots`. When `captures` is non-empty (autograd.grad), the gradients
// reaching those edges are returned and no AccumulateGrad runs.
TensorList execute(const std::vector<Edge>& roots, const TensorList& root_grads, bool keep_graph,
                   bool create_graph, const std::vector<Edge>& captures) {
  GradModeGuard mode(create_graph);
  FinalCallbacksFrame callbacks;
  const bool capturing = !captures.empty();

  // Every node reachable from the roots, with its dependency count: how many edges point at it.
  std::unordered_map<Node*, NodeTask> tasks;
  std::vector<Node*> stack;
  for (const Edge& root : roots) {
    if (root.valid() && tasks.try_emplace(root.function.get()).second)
      stack.push_back(root.function.get());
  }
  while (!stack.empty()) {
    Node* node = stack.back();
    stack.pop_back();
    for (const Edge& edge : node->next_edges()) {
      if (!edge.valid()) continue;
      const auto [entry, discovered] = tasks.try_emplace(edge.function.get());
      ++entry->second.dependencies;
      if (discovered) stack.push_back(edge.function.get());
    }
  }

  auto accumulate = [&](NodeTask& task, const Edge& edge, const Tensor& grad) {
    TensorList& buffer = task.buffer;
    if (buffer.size() < edge.function->num_outputs()) buffer.resize(edge.function->num_outputs());
    Tensor& slot = buffer[edge.input_nr];
    slot = slot.defined() ? slot + grad : grad;
    if (!task.owner) task.owner = edge.function;
  };
  std::priority_queue<Node*, std::vector<Node*>, ByLatestFirst> ready;
  for (size_t i = 0; i < roots.size(); ++i) {
    if (roots[i].valid()) accumulate(tasks.at(roots[i].function.get()), roots[i], root_grads[i]);
  }
  for (const Edge& root : roots) {
    if (!root.valid()) continue;
    NodeTask& task = tasks.at(root.function.get());
    if (task.dependencies == 0 && !task.queued) {
      task.queued = true;
      ready.push(root.function.get());
    }
  }

  TensorList captured(captures.size());
  while (!ready.empty()) {
    Node* node = ready.top();
    ready.pop();
    TensorList grads = std::move(tasks.at(node).buffer);
    grads.resize(node->num_outputs());
    node->run_pre_hooks(grads);
    for (size_t c = 0; c < captures.size(); ++c) {
      if (captures[c].function.get() == node) captured[c] = grads[captures[c].input_nr];
    }
    const bool is_accumulator = dynamic_cast<AccumulateGrad*>(node) != nullptr;
    TensorList produced;
    if (!(capturing && is_accumulator)) {
      produced = node->apply(std::move(grads));
      if (is_anomaly_enabled()) check_anomaly(*node, produced);
    }
    if (!keep_graph) node->release_saved();
    const auto& edges = node->next_edges();
    for (size_t i = 0; i < edges.size(); ++i) {
      const Edge& edge = edges[i];
      if (!edge.valid()) continue;
      NodeTask& task = tasks.at(edge.function.get());
      if (i < produced.size() && produced[i].defined()) accumulate(task, edge, produced[i]);
      if (--task.dependencies == 0) {
        if (!task.owner) task.owner = edge.function;
        task.queued = true;
        ready.push(edge.function.get());
      }
    }
  }
  callbacks.run();
  return captured;
}

std::vector<Edge> edges_of(const TensorList& tensors) {
  std::vector<Edge> edges;
  for (const Tensor& tensor : tensors) edges.push_back(gradient_edge(tensor));
  return edges;
}

}  // namespace

void queue_callback(std::function<void()> callback) {
  EMBER_CHECK(!final_callbacks.empty(),
              "[queue_callback] Final callbacks can only be installed during backward pass.");
  final_callbacks.back().push_back(std::move(callback));
}

void backward(const TensorList& outputs, const TensorList& grad_outputs,
              std::optional<bool> retain_graph, bool create_graph, const TensorList& inputs) {
  const TensorList grads = root_gradients(outputs, grad_outputs);
  const bool keep_graph = retain_graph.value_or(create_graph);
  if (inputs.empty()) {
    execute(edges_of(outputs), grads, keep_graph, create_graph, {});
    return;
  }
  // backward(inputs=...): gradients reach only the named tensors' .grad.
  for (const Tensor& input : inputs) {
    EMBER_CHECK(input.requires_grad(),
                "[backward] One of the differentiated Tensors does not require grad");
  }
  const TensorList captured =
      execute(edges_of(outputs), grads, keep_graph, create_graph, edges_of(inputs));
  GradModeGuard mode(create_graph);
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (!captured[i].defined()) continue;
    Tensor current = inputs[i].grad();
    inputs[i].set_grad(current.defined() ? current + captured[i]
                                         : (create_graph ? captured[i] : captured[i].detach()));
  }
}

TensorList grad(const TensorList& outputs, const TensorList& inputs, const TensorList& grad_outputs,
                std::optional<bool> retain_graph, bool create_graph, bool allow_unused) {
  const TensorList grads = root_gradients(outputs, grad_outputs);
  for (const Tensor& input : inputs) {
    EMBER_CHECK(input.requires_grad(),
                "[grad] One of the differentiated Tensors does not require grad");
  }
  TensorList captured = execute(edges_of(outputs), grads, retain_graph.value_or(create_graph),
                                create_graph, edges_of(inputs));
  for (size_t i = 0; i < captured.size(); ++i) {
    EMBER_CHECK(captured[i].defined() || allow_unused,
                "[grad] One of the differentiated Tensors "
                "appears to not have been used in the graph. Set allow_unused=True if this is the "
                "desired behavior.");
    // Without create_graph the results have no history. One that has none already (a hook's
    // tensor, a grad_output passed through) is returned itself, so Python gets the same object.
    if (captured[i].defined() && !create_graph && captured[i].requires_grad()) {
      captured[i] = captured[i].detach();
    }
  }
  return captured;
}

}  // namespace ember::autograd
