#include "ember/autograd/node.h"

#include <sstream>

#include "ember/autograd/grad_mode.h"
#include "ember/autograd/record.h"
#include "ember/base/error.h"
#include "ember/ops/ops.h"
#include "ember/tensor/autograd_meta.h"

namespace ember::autograd {
namespace {
std::atomic<uint64_t> next_sequence_nr{0};
}  // namespace

Node::Node() : sequence_nr_(next_sequence_nr.fetch_add(1, std::memory_order_relaxed)) {}

// Releasing a node's edges would release the nodes they point to, and theirs, recursively: a
// graph of 100k+ nodes overflows the stack. Instead the outermost dying node collects the edges
// of every node released under it on its own stack and releases them one at a time. Saved
// tensors die before this body runs, but their grad_fns are also reached through edges, so they
// never free a node themselves. (A plain pointer: it needs no thread-exit destructor.)
Node::~Node() {
  thread_local std::vector<std::shared_ptr<Node>>* pending = nullptr;
  if (pending != nullptr) {
    for (Edge& edge : next_edges_) {
      if (edge.function) pending->push_back(std::move(edge.function));
    }
    return;
  }
  std::vector<std::shared_ptr<Node>> stack;
  for (Edge& edge : next_edges_) {
    if (edge.function) stack.push_back(std::move(edge.function));
  }
  pending = &stack;
  while (!stack.empty()) {
    std::shared_ptr<Node> node = std::move(stack.back());
    stack.pop_back();
    node.reset();
  }
  pending = nullptr;
}

SavedTensor::SavedTensor(const Tensor& tensor, bool is_output)
    : saved_version_(tensor.defined() ? tensor.version() : 0), is_output_(is_output) {
  if (!tensor.defined()) return;
  requires_grad_ = tensor.requires_grad();
  output_nr_ = tensor.output_nr();
  data_ = is_output ? tensor.detach() : tensor;
}

Tensor SavedTensor::unpack(const std::shared_ptr<Node>& owner) const {
  if (was_freed_) {
    detail::raise<RuntimeError>(
        "[backward] Trying to backward through the graph a second time (or directly access "
        "saved tensors after they have already been freed). Saved intermediate values of the "
        "graph are freed when you call .backward() or autograd.grad(). Specify "
        "retain_graph=True if you need to backward through the graph a second time or if you "
        "need to access saved tensors after calling backward.");
  }
  if (!data_.defined()) return data_;
  if (data_.version() != saved_version_) {
    const std::string owner_name = owner ? owner->name() : std::string("a custom Function");
    std::ostringstream shape;
    shape << data_.shape();
    detail::raise<RuntimeError>(
        "[backward] one of the variables needed for gradient computation has been modified by "
        "an inplace operation: [",
        data_.dtype(), " ", shape.str(), "]",
        is_output_ ? ", which is output " + std::to_string(output_nr_) + " of " + owner_name
                   : ", an input of " + owner_name,
        ", is at version ", data_.version(), "; expected version ", saved_version_,
        " instead. Hint: the operation that failed to compute its gradient is ", owner_name,
        "; clone() the tensor before modifying it in place.");
  }
  if (!is_output_ || !requires_grad_) return data_;
  // An output gets its history back so that double backward can differentiate through it.
  Tensor output = data_.detach();
  AutogradMeta& meta = output.impl()->ensure_autograd_meta();
  meta.grad_fn = owner;
  meta.output_nr = output_nr_;
  output.impl()->set_requires_grad_flag(true);
  return output;
}

int64_t next_hook_handle() {
  static std::atomic<int64_t> next_handle{1};
  return next_handle.fetch_add(1, std::memory_order_relaxed);
}

int64_t Node::add_pre_hook(uint32_t output_nr, PreHook hook) {
  const int64_t handle = next_hook_handle();
  pre_hooks_.push_back({handle, output_nr, std::move(hook)});
  return handle;
}

void Node::remove_pre_hook(int64_t handle) {
  std::erase_if(pre_hooks_,
                [handle](const RegisteredPreHook& hook) { return hook.handle == handle; });
}

void Node::run_pre_hooks(TensorList& grads) const {
  for (const RegisteredPreHook& registered : pre_hooks_) {
    Tensor& grad = grads[registered.output_nr];
    if (!grad.defined()) continue;
    Tensor replaced = registered.hook(grad);
    if (replaced.defined()) grad = replaced;
  }
}

AccumulateGrad::AccumulateGrad(Tensor leaf) : leaf_(std::move(leaf)) {}

TensorList AccumulateGrad::apply(TensorList&& grads) {
  Tensor grad = std::move(grads.at(0));
  if (!grad.defined()) return {};
  AutogradMeta& meta = leaf_.impl()->ensure_autograd_meta();
  for (const auto& [handle, hook] : meta.hooks) {
    Tensor replaced = hook(grad);
    if (replaced.defined()) grad = replaced;
  }
  // Without create_graph the stored .grad has no history; with it, .grad stays differentiable.
  if (!is_grad_enabled()) grad = grad.detach();
  if (!meta.grad.defined()) {
    // A gradient that is a broadcast view or shares memory with other tensors is copied, so
    // that later in-place accumulation cannot write into someone else's data.
    meta.grad = is_grad_enabled() ? grad : grad.clone();
  } else if (is_grad_enabled()) {
    meta.grad = meta.grad + grad;
  } else {
    meta.grad.add_(grad);
  }
  // A copy of the list: a hook may register or remove hooks on this leaf.
  const auto post_hooks = meta.post_accumulate_grad_hooks;
  for (const auto& [handle, hook] : post_hooks) (*hook)(leaf_);
  return {};
}

int64_t register_post_accumulate_grad_hook(const Tensor& leaf,
                                           std::function<void(const Tensor&)> hook) {
  EMBER_CHECK(leaf.requires_grad(),
              "[register_post_accumulate_grad_hook] cannot register a hook on a tensor that "
              "doesn't require gradient");
  EMBER_CHECK(leaf.is_leaf(),
              "[register_post_accumulate_grad_hook] post accumulate grad hooks cannot be "
              "registered on non-leaf tensors");
  const int64_t handle = next_hook_handle();
  leaf.impl()->ensure_autograd_meta().post_accumulate_grad_hooks.emplace_back(
      handle, std::make_shared<const PostAccumulateGradHook>(std::move(hook)));
  return handle;
}

std::shared_ptr<Node> grad_accumulator(const Tensor& leaf) {
  AutogradMeta& meta = leaf.impl()->ensure_autograd_meta();
  if (auto existing = meta.grad_accumulator.lock()) return existing;
  auto created = std::make_shared<AccumulateGrad>(leaf);
  meta.grad_accumulator = created;
  return created;
}

void add_retain_grad_hook(const AutogradMeta& meta) {
  meta.grad_fn->add_pre_hook(meta.output_nr, [cell = meta.retained_grad](const Tensor& grad) {
    *cell = cell->defined() ? *cell + grad : (is_grad_enabled() ? grad : grad.detach().clone());
    return Tensor();
  });
}

void move_retained_grad(AutogradMeta& meta) {
  if (!meta.retained_grad) return;
  meta.retained_grad = std::make_shared<Tensor>(*meta.retained_grad);
  add_retain_grad_hook(meta);
}

Edge gradient_edge(const Tensor& tensor) {
  refresh_view_history(tensor);
  const AutogradMeta* meta = tensor.impl()->autograd_meta();
  if (meta != nullptr && meta->grad_fn) return Edge{meta->grad_fn, meta->output_nr};
  if (tensor.requires_grad()) return Edge{grad_accumulator(tensor), 0};
  return Edge{};
}

}  // namespace ember::autograd
