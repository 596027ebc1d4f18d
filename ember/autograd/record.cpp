// Step 5 of the op call path: recording. Before a kernel runs, begin() creates the node (edges
// to the inputs' history, saved inputs, the in-place checks B21); after it, finish() saves the
// outputs and makes the node their grad_fn. Both are installed into ops/dispatch.cpp.
#include <atomic>
#include <cctype>

#include "ember/autograd/derivatives.h"
#include "ember/autograd/grad_mode.h"
#include "ember/autograd/record.h"
#include "ember/base/error.h"
#include "ember/ops/autocast.h"
#include "ember/ops/dispatch.h"
#include "ember/ops/ops.h"
#include "ember/ops/primitives.h"
#include "ember/tensor/autograd_meta.h"

namespace ember::autograd {
namespace {

// "mul" -> "MulBackward0", "masked_select" -> "MaskedSelectBackward0".
std::string backward_name(std::string_view op) {
  std::string name;
  bool upper = true;
  for (char c : op) {
    if (c == '_') {
      upper = true;
      continue;
    }
    name += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return name + "Backward0";
}

class PrimitiveNode final : public Node {
 public:
  PrimitiveNode(std::unique_ptr<Primitive> primitive, SaveMask mask)
      : primitive_(std::move(primitive)), mask_(mask) {}

  // For a write of values without history over tensors with history (y.fill_(0)): the node's
  // edges lead to the overwritten values' history, which receives zeros.
  void set_overwrite_only() { overwrite_only_ = true; }

  std::string name() const override { return backward_name(primitive_->name()); }

  TensorList apply(TensorList&& grads) override {
    bool any_edge = false;
    for (const Edge& edge : next_edges()) any_edge |= edge.valid();
    if (!any_edge || (!grads[0].defined() && grads.size() == 1)) {
      return TensorList(next_edges().size());
    }
    if (overwrite_only_) {
      TensorList zeros_for_old(next_edges().size());
      for (size_t i = 0; i < zeros_for_old.size(); ++i) {
        if (next_edges()[i].valid()) {
          zeros_for_old[i] = zeros(inputs_[i].shape, TensorOptions(inputs_[i].dtype));
        }
      }
      return zeros_for_old;
    }
    auto self = shared_from_this();
    TensorList inputs, outputs;
    inputs.reserve(inputs_.size());
    outputs.reserve(outputs_.size());
    for (const TensorRecord& record : inputs_) inputs.push_back(record.saved.unpack(self));
    for (const TensorRecord& record : outputs_) outputs.push_back(record.saved.unpack(self));
    std::vector<bool> needs(next_edges().size());
    for (size_t i = 0; i < needs.size(); ++i) needs[i] = next_edges()[i].valid();
    for (size_t i = 0; i < grads.size(); ++i) {
      if (!grads[i].defined() && i < outputs_.size()) {
        grads[i] =
            zeros(outputs_[i].shape, TensorOptions(outputs_[i].dtype).device(outputs_[i].device));
      }
    }
    const BackwardContext context{inputs, outputs, grads, inputs_.data(), needs};
    TensorList result = vjp(*primitive_, context);
    result.resize(needs.size());
    for (size_t i = 0; i < result.size(); ++i) {
      if (!needs[i] || !result[i].defined()) {
        result[i] = Tensor();
        continue;
      }
      EMBER_CHECK(result[i].shape() == inputs_[i].shape, "[", name(),
                  "] internal error: gradient of shape ", result[i].shape(), " for input ", i,
                  " of shape ", inputs_[i].shape);
      if (result[i].dtype() != inputs_[i].dtype) result[i] = result[i].to(inputs_[i].dtype);
    }
    return result;
  }

  void release_saved() override {
    for (TensorRecord& record : inputs_) {
      if (record.saved.defined()) record.saved.reset();
    }
    for (TensorRecord& record : outputs_) {
      if (record.saved.defined()) record.saved.reset();
    }
  }

  const Primitive& primitive() const { return *primitive_; }
  SaveMask mask() const { return mask_; }
  std::vector<TensorRecord>& input_records() { return inputs_; }
  std::vector<TensorRecord>& output_records() { return outputs_; }

 private:
  std::unique_ptr<Primitive> primitive_;
  SaveMask mask_;
  bool overwrite_only_ = false;
  std::vector<TensorRecord> inputs_, outputs_;
};

// Storage-relative geometry of a tensor, so a gradient shaped like the base can be cut the way
// the view cuts the base's memory.
struct Geometry {
  Shape shape;
  Strides strides;
  int64_t offset;
  explicit Geometry(const Tensor& t)
      : shape(t.shape()), strides(t.strides()), offset(t.storage_offset()) {}
};

// For each element of `view`, its position among the base's elements (row-major order of the
// base), as an int64 tensor of the view's shape. Both must index the same storage.
Tensor view_positions(const Geometry& base, const Geometry& view) {
  int64_t extent = 1;
  for (size_t d = 0; d < base.shape.size(); ++d) extent += (base.shape[d] - 1) * base.strides[d];
  // storage slot -> base element number; slots the base does not cover stay -1.
  Tensor slot_to_element = full({extent}, -1, kInt64);
  const Tensor numbers = arange(numel_of(base.shape)).reshape(base.shape);
  slot_to_element.as_strided(base.shape, base.strides, 0).copy_(numbers);
  return slot_to_element.as_strided(view.shape, view.strides, view.offset - base.offset);
}

// Note [in-place on views]: after `op` wrote into a view of `base`, the base's new gradient
// is its old one except on the view's elements, which come from the op's node instead.
class CopySlices final : public Node {
 public:
  CopySlices(Shape base_shape, Tensor positions)
      : base_shape_(std::move(base_shape)), positions_(std::move(positions)) {}
  std::string name() const override { return "CopySlices"; }
  TensorList apply(TensorList&& grads) override {
    const Tensor& grad = grads[0];
    const Tensor flat_positions = positions_.reshape({-1});
    Tensor outside = grad.contiguous().reshape({-1}).clone();
    index_put_(outside, {flat_positions}, zeros({flat_positions.numel()}, grad.dtype()));
    Tensor inside = index(grad.reshape({-1}), {flat_positions}).reshape(positions_.shape());
    return {outside.reshape(base_shape_), inside};
  }

 private:
  Shape base_shape_;
  Tensor positions_;
};

bool has_history(const Tensor& t) {
  const AutogradMeta* meta = t.impl()->autograd_meta();
  return meta != nullptr && meta->grad_fn;
}

void check_inplace_target(const Primitive& primitive, const Tensor& output) {
  if (!output.requires_grad()) return;
  const AutogradMeta* meta = output.impl()->autograd_meta();
  // Note [multi-output views].
  EMBER_CHECK(meta == nullptr || !meta->multi_output_view, "[", primitive.name(), "] Output ",
              meta->output_nr, " of ", meta->grad_fn ? meta->grad_fn->name() : "a view op",
              " is a view and is being modified inplace. This view is the output of a function "
              "that returns multiple views. Such functions do not allow the output views to be "
              "modified inplace. You should replace the inplace operation by an out-of-place "
              "one.");
  EMBER_CHECK(meta == nullptr || !meta->view_of_leaf, "[", primitive.name(),
              "] a view of a leaf Variable that requires grad is being used in an in-place "
              "operation.");
  EMBER_CHECK(has_history(output), "[", primitive.name(),
              "] a leaf Variable that requires grad is being used in an in-place operation.");
}

std::shared_ptr<Node> begin(const Primitive& primitive, TensorSpan inputs, TensorSpan outputs) {
  if (!is_grad_enabled()) return nullptr;
  // A view whose base took new history since the view's was made takes it up first (so that a
  // view of a base without history that an in-place write gave history requires grad).
  for (const Tensor& input : inputs) {
    if (input.defined()) refresh_view_history(input);
  }
  for (const Tensor& output : outputs) refresh_view_history(output);
  for (const Tensor& output : outputs) check_inplace_target(primitive, output);
  // bit i: input i (the old output last, for reads_output) needs a gradient. A SaveMask has
  // kMaskInputs bits for inputs: the inputs past them (cat of many tensors) need no saving, so
  // their need is read from the tensor itself.
  auto input_needs = [&](size_t i) { return inputs[i].defined() && inputs[i].requires_grad(); };
  SaveMask needs = 0;
  bool any_needs = false;
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (!input_needs(i)) continue;
    any_needs = true;
    if (i < kMaskInputs) needs |= SaveMask{1} << i;
  }
  // A kernel that reads its output's old value (index_put_) keeps that value's history.
  if (reads_output(primitive) && outputs[0].requires_grad()) {
    needs |= SaveMask{1} << inputs.size();
    any_needs = true;
  }
  bool overwrites_history = false;
  for (const Tensor& output : outputs) overwrites_history |= output.requires_grad();
  const bool differentiable = any_needs && is_differentiable(primitive);
  // Nothing to record, unless a tensor with history is overwritten (y.fill_(0), y[1:] = 5):
  // then it keeps requiring grad, through a node that passes no gradient on, so that its
  // base (for a view) is rebased and later uses see zero gradient for the old values.
  if (!differentiable && !overwrites_history) return nullptr;
  const SaveMask mask = differentiable ? saved_for_backward(primitive, needs) : 0;
  auto node = std::make_shared<PrimitiveNode>(primitive.clone(), mask);
  auto& edges = node->mutable_next_edges();
  // One allocation per list: recording is on the per-op path of every dynamic graph.
  const size_t input_count = inputs.size() + (reads_output(primitive) ? 1 : 0);
  edges.reserve(input_count);
  node->input_records().reserve(input_count);
  node->output_records().reserve(outputs.size());
  for (size_t i = 0; i < inputs.size(); ++i) {
    const Tensor& input = inputs[i];
    edges.push_back(differentiable && input_needs(i) ? gradient_edge(input) : Edge{});
    TensorRecord& record = node->input_records().emplace_back();
    if (input.defined()) {
      record.shape = input.shape();
      record.dtype = input.dtype();
      record.device = input.device();
    }
    if (i < kMaskInputs && (mask & (1u << i))) {
      bool aliased = false;
      for (const Tensor& output : outputs) aliased |= output.is_same(input);
      // An input the kernel is about to overwrite is saved as a copy of its old value.
      record.saved = SavedTensor(aliased ? input.clone() : input, false);
    }
  }
  // A primitive that updates its output in place (index_put_, addmm with beta) reads the old
  // value, so the old value's history is one more input.
  if (reads_output(primitive)) {
    const Tensor& output = outputs[0];
    edges.push_back(differentiable && output.requires_grad() ? gradient_edge(output) : Edge{});
    node->input_records().push_back(
        TensorRecord{output.shape(), output.dtype(), {}, output.device()});
  }
  if (!differentiable) {
    node->set_overwrite_only();
    for (const Tensor& output : outputs) {
      if (!output.requires_grad()) continue;
      edges.push_back(gradient_edge(output));
      node->input_records().push_back(
          TensorRecord{output.shape(), output.dtype(), {}, output.device()});
    }
  }
  node->set_num_outputs(static_cast<uint32_t>(outputs.size()));
  for (const Tensor& output : outputs) {
    node->output_records().push_back(
        TensorRecord{output.shape(), output.dtype(), {}, output.device()});
  }
  if (is_anomaly_enabled()) node->set_creation_trace(current_creation_trace());
  return node;
}

// The view's history becomes a fresh `as_strided` view of the base's current history.
void view_base_history(const Tensor& view, const Tensor& base) {
  auto view_node = std::make_shared<PrimitiveNode>(
      std::make_unique<View>(View::as_strided(view.strides(), view.storage_offset(), base.strides(),
                                              base.storage_offset())),
      0);
  view_node->mutable_next_edges().push_back(gradient_edge(base));
  view_node->input_records().push_back(TensorRecord{base.shape(), base.dtype(), {}, base.device()});
  view_node->output_records().push_back(
      TensorRecord{view.shape(), view.dtype(), {}, view.device()});
  AutogradMeta& view_meta = view.impl()->ensure_autograd_meta();
  view_meta.grad_fn = view_node;
  view_meta.output_nr = 0;
  view_meta.history_generation = base.impl()->autograd_meta()->history_generation;
  move_retained_grad(view_meta);
  view.impl()->set_requires_grad_flag(true);
}

// The base of a view written in place takes a CopySlices node as its history, and the view
// becomes a fresh view of the rebased base.
void rebase_view_base(const Tensor& view, const std::shared_ptr<Node>& node) {
  const Tensor base(IntrusivePtr<TensorImpl>(view.impl()->view_base()));
  const Geometry base_geometry(base), view_geometry(view);
  Tensor positions;
  {
    GradModeGuard no_grad(false);
    positions = view_positions(base_geometry, view_geometry);
  }
  auto copy_slices = std::make_shared<CopySlices>(base.shape(), positions);
  copy_slices->mutable_next_edges() = {gradient_edge(base), Edge{node, view.output_nr()}};
  AutogradMeta& base_meta = base.impl()->ensure_autograd_meta();
  base_meta.grad_fn = copy_slices;
  base_meta.output_nr = 0;
  ++base_meta.history_generation;
  base.impl()->set_requires_grad_flag(true);
  view_base_history(view, base);
}

void finish(const std::shared_ptr<Node>& token, TensorSpan outputs) {
  auto* node = static_cast<PrimitiveNode*>(token.get());
  for (size_t i = 0; i < outputs.size(); ++i) {
    const Tensor& output = outputs[i];
    if (!output.is_floating_point()) continue;  // indices, masks: no gradient
    AutogradMeta& meta = output.impl()->ensure_autograd_meta();
    meta.grad_fn = token;
    meta.output_nr = static_cast<uint32_t>(i);
    // A write into a base changes the history its views were made from. (A fresh output has
    // no views yet; a view written in place is rebased below.)
    if (output.impl()->view_base() == nullptr) ++meta.history_generation;
    move_retained_grad(meta);
    output.impl()->set_requires_grad_flag(true);
  }
  // Saved after the kernel, at the version the write gave the outputs.
  if (node->mask() & kSaveOutputs) {
    for (size_t i = 0; i < outputs.size(); ++i) {
      node->output_records()[i].saved = SavedTensor(outputs[i], true);
    }
  }
  for (const Tensor& output : outputs) {
    const AutogradMeta* meta = output.impl()->autograd_meta();
    if (output.impl()->view_base() != nullptr && meta != nullptr && meta->grad_fn.get() == node) {
      rebase_view_base(output, token);
    }
  }
}

std::atomic<CreationTraceProvider> trace_provider{nullptr};

}  // namespace

void refresh_view_history(const Tensor& tensor) {
  TensorImpl* base_impl = tensor.impl()->view_base();
  if (base_impl == nullptr) return;
  const AutogradMeta* base_meta = base_impl->autograd_meta();
  const AutogradMeta* meta = tensor.impl()->autograd_meta();
  const uint32_t generation = base_meta == nullptr ? 0 : base_meta->history_generation;
  if ((meta == nullptr ? 0 : meta->history_generation) == generation) return;
  const Tensor base{IntrusivePtr<TensorImpl>(base_impl)};
  if (base.requires_grad()) {
    view_base_history(tensor, base);
  } else {
    tensor.impl()->ensure_autograd_meta().history_generation = generation;
  }
}

void set_creation_trace_provider(CreationTraceProvider provider) { trace_provider.store(provider); }

std::string current_creation_trace() {
  const CreationTraceProvider provider = trace_provider.load();
  return provider ? provider() : std::string();
}

void install_recorder() {
  set_autograd_hooks(AutogradHooks{&begin, &finish});
  autocast::set_leaf_query([](const Tensor& t) { return t.is_leaf(); });
}

}  // namespace ember::autograd
