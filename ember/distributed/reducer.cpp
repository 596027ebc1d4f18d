#include "ember/distributed/reducer.h"

#include <algorithm>
#include <map>
#include <sstream>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "ember/autograd/engine.h"
#include "ember/autograd/grad_mode.h"
#include "ember/autograd/node.h"
#include "ember/base/error.h"
#include "ember/ops/ops.h"

namespace ember::distributed {
namespace {

// Parameters that share a bucket: one dtype on one device.
using BucketKey = std::tuple<ScalarType, DeviceType, int8_t>;

BucketKey bucket_key(const Tensor& param) {
  return {param.dtype(), param.device().type(), param.device().index()};
}

std::string index_list(const std::vector<size_t>& indices) {
  std::ostringstream text;
  for (size_t k = 0; k < indices.size(); ++k) text << (k == 0 ? "" : " ") << indices[k];
  return text.str();
}

}  // namespace

std::vector<std::vector<size_t>> compute_bucket_assignment_by_size(
    const std::vector<Tensor>& params, size_t bucket_cap_bytes, size_t first_bucket_cap_bytes) {
  struct OpenBucket {
    std::vector<size_t> indices;
    size_t bytes = 0;
    bool is_first = true;
  };
  std::map<BucketKey, OpenBucket> open;
  std::vector<std::vector<size_t>> buckets;
  for (size_t i = params.size(); i-- > 0;) {
    EMBER_CHECK_VALUE(params[i].defined(), "[compute_bucket_assignment_by_size] parameter ", i,
                      " is undefined");
    OpenBucket& bucket = open[bucket_key(params[i])];
    bucket.indices.push_back(i);
    bucket.bytes += params[i].nbytes();
    if (bucket.bytes >= (bucket.is_first ? first_bucket_cap_bytes : bucket_cap_bytes)) {
      buckets.push_back(std::move(bucket.indices));
      bucket = OpenBucket{{}, 0, false};
    }
  }
  for (auto& [key, bucket] : open) {
    if (!bucket.indices.empty()) buckets.push_back(std::move(bucket.indices));
  }
  // In the order backward fills them: the bucket holding the latest-registered parameter first.
  std::sort(buckets.begin(), buckets.end(),
            [](const auto& a, const auto& b) { return a.front() > b.front(); });
  return buckets;
}

Reducer::Reducer(std::vector<Tensor> params, std::vector<std::vector<size_t>> bucket_indices,
                 std::shared_ptr<ProcessGroup> group, bool find_unused_parameters,
                 bool gradient_as_bucket_view)
    : params_(std::move(params)),
      bucket_indices_(std::move(bucket_indices)),
      group_(std::move(group)),
      find_unused_parameters_(find_unused_parameters),
      gradient_as_bucket_view_(gradient_as_bucket_view) {
  EMBER_CHECK_VALUE(group_ != nullptr, "[Reducer] expected a process group; got a null pointer");
  EMBER_CHECK_VALUE(!params_.empty(), "[Reducer] expected at least one parameter");
  for (size_t i = 0; i < params_.size(); ++i) {
    const Tensor& param = params_[i];
    EMBER_CHECK_VALUE(param.defined() && param.requires_grad() && param.is_leaf(),
                      "[Reducer] parameter ", i,
                      " must be a defined leaf tensor that requires grad");
    EMBER_CHECK_VALUE(param.device().type() == group_->device_type(), "[Reducer] parameter ", i,
                      " is on ", param.device(), " but the ", group_->backend_name(),
                      " process group works on ", Device(group_->device_type()), " tensors");
  }
  locations_.resize(params_.size());
  std::vector<bool> placed(params_.size(), false);
  for (size_t b = 0; b < bucket_indices_.size(); ++b) {
    const std::vector<size_t>& members = bucket_indices_[b];
    EMBER_CHECK_VALUE(!members.empty(), "[Reducer] bucket ", b, " is empty");
    Bucket bucket;
    int64_t numel = 0;
    for (size_t slot = 0; slot < members.size(); ++slot) {
      const size_t i = members[slot];
      EMBER_CHECK_VALUE(i < params_.size() && !placed[i], "[Reducer] bucket ", b,
                        " names parameter ", i, ", which is ",
                        i < params_.size() ? "already in a bucket" : "out of range");
      EMBER_CHECK_VALUE(bucket_key(params_[i]) == bucket_key(params_[members[0]]),
                        "[Reducer] bucket ", b, " mixes ", params_[members[0]].dtype(), " on ",
                        params_[members[0]].device(), " with ", params_[i].dtype(), " on ",
                        params_[i].device(), " (parameter ", i, ")");
      placed[i] = true;
      locations_[i] = {b, slot};
      numel += params_[i].numel();
    }
    bucket.params = members;
    bucket.buffer = zeros({numel}, params_[members[0]].options());
    int64_t offset = 0;
    for (size_t i : members) {
      bucket.slots.push_back(
          bucket.buffer.narrow(0, offset, params_[i].numel()).view(params_[i].shape()));
      offset += params_[i].numel();
    }
    buckets_.push_back(std::move(bucket));
  }
  for (size_t i = 0; i < params_.size(); ++i) {
    EMBER_CHECK_VALUE(placed[i], "[Reducer] parameter ", i, " is in no bucket");
  }
  if (gradient_as_bucket_view_) {
    // Gradients that exist already move into their slots now.
    for (size_t i = 0; i < params_.size(); ++i) {
      if (params_[i].grad().defined()) copy_grad_into_slot(i);
    }
  }
  for (size_t i = 0; i < params_.size(); ++i) {
    hook_handles_.push_back(autograd::register_post_accumulate_grad_hook(
        params_[i], [this, i](const Tensor&) { on_grad_ready(i); }));
  }
  grads_ready_at_launch_.assign(buckets_.size(), 0);
  reset_iteration();
}

Reducer::~Reducer() {
  for (size_t i = 0; i < params_.size(); ++i) {
    params_[i].remove_hook(static_cast<unsigned>(hook_handles_[i]));
  }
}

void Reducer::reset_iteration() {
  armed_ = false;
  callback_queued_ = false;
  ready_.assign(params_.size(), false);
  unused_.clear();
  unused_marked_ = false;
  next_bucket_ = 0;
  ready_count_ = 0;
  for (Bucket& bucket : buckets_) {
    bucket.pending = bucket.params.size();
    bucket.work.reset();
  }
}

void Reducer::prepare_for_backward(const std::vector<Tensor>& outputs) {
  // A backward that started reducing and never finished (its final callback did not run, or
  // found parameters without gradients) leaves the ranks' collectives out of step.
  if (unfinished_reduction_ || callback_queued_) {
    unfinished_reduction_ = true;
    detail::raise<RuntimeError>(
        "[Reducer] Expected to have finished reduction in the prior iteration before starting a "
        "new one. This error indicates that your module has parameters that were not used in "
        "producing loss. You can enable unused parameter detection by passing the keyword "
        "argument `find_unused_parameters=True` to DistributedDataParallel, and by making sure "
        "all `forward` function outputs participate in calculating loss (rank ",
        group_->rank(), ")");
  }
  reset_iteration();
  armed_ = true;
  if (!find_unused_parameters_) return;
  // The parameters whose AccumulateGrad the outputs' graph reaches are used; the others get no
  // gradient this iteration and are marked ready as soon as backward starts.
  std::unordered_map<const TensorImpl*, size_t> index_of;
  for (size_t i = 0; i < params_.size(); ++i) index_of.emplace(params_[i].impl(), i);
  std::vector<bool> used(params_.size(), false);
  std::unordered_set<const autograd::Node*> seen;
  std::vector<const autograd::Node*> stack;
  for (const Tensor& output : outputs) {
    if (!output.defined() || !output.requires_grad()) continue;
    const autograd::Edge edge = autograd::gradient_edge(output);
    if (edge.valid() && seen.insert(edge.function.get()).second) {
      stack.push_back(edge.function.get());
    }
  }
  while (!stack.empty()) {
    const autograd::Node* node = stack.back();
    stack.pop_back();
    if (const auto* accumulator = dynamic_cast<const autograd::AccumulateGrad*>(node)) {
      const auto found = index_of.find(accumulator->leaf().impl());
      if (found != index_of.end()) used[found->second] = true;
    }
    for (const autograd::Edge& edge : node->next_edges()) {
      if (edge.valid() && seen.insert(edge.function.get()).second) {
        stack.push_back(edge.function.get());
      }
    }
  }
  for (size_t i = 0; i < params_.size(); ++i) {
    if (!used[i]) unused_.push_back(i);
  }
}

void Reducer::on_grad_ready(size_t param) {
  if (!armed_ || !require_grad_sync_) return;
  if (!callback_queued_) {
    callback_queued_ = true;
    autograd::queue_callback([this] { finalize_backward(); });
  }
  if (!unused_marked_) {
    unused_marked_ = true;
    for (size_t unused : unused_) mark_ready(unused);
  }
  mark_ready(param);
  launch_ready_buckets();
}

void Reducer::mark_ready(size_t param) {
  EMBER_CHECK(!ready_[param], "[Reducer] Expected to mark a variable ready only once; parameter ",
              param,
              " got its gradient twice in one iteration (a backward through the same graph "
              "twice, or a parameter used outside the forward's outputs with "
              "find_unused_parameters=True) on rank ",
              group_->rank());
  ready_[param] = true;
  ++ready_count_;
  copy_grad_into_slot(param);
  --buckets_[locations_[param].bucket].pending;
}

void Reducer::copy_grad_into_slot(size_t param) {
  autograd::NoGradGuard no_grad;
  const Location& location = locations_[param];
  Tensor& slot = buckets_[location.bucket].slots[location.slot];
  const Tensor grad = params_[param].grad();
  if (!grad.defined()) {
    // A parameter without a gradient (unused here) contributes zeros.
    slot.zero_();
    return;
  }
  EMBER_CHECK(grad.shape() == slot.shape() && grad.dtype() == slot.dtype() &&
                  grad.device() == slot.device(),
              "[Reducer] parameter ", param, " (", slot.dtype(), " of shape ", slot.shape(), " on ",
              slot.device(), ") has a gradient of ", grad.dtype(), " of shape ", grad.shape(),
              " on ", grad.device());
  if (gradient_as_bucket_view_ && grad.is_same(slot)) return;
  slot.copy_(grad);
  if (gradient_as_bucket_view_) params_[param].set_grad(slot);
}

void Reducer::launch_ready_buckets() {
  // Every rank launches the buckets in the same order, whatever order they fill in.
  while (next_bucket_ < buckets_.size() && buckets_[next_bucket_].pending == 0) {
    Bucket& bucket = buckets_[next_bucket_];
    {
      autograd::NoGradGuard no_grad;
      bucket.buffer.div_(Scalar(group_->size()));
    }
    grads_ready_at_launch_[next_bucket_] = ready_count_;
    bucket.work = group_->all_reduce(bucket.buffer, ReduceOp::Sum);
    ++next_bucket_;
  }
}

void Reducer::finalize_backward() {
  const Duration timeout = group_->options().timeout;
  if (next_bucket_ < buckets_.size()) {
    // Launched collectives still write into the buffers: let them end before reporting.
    for (size_t b = 0; b < next_bucket_; ++b) buckets_[b].work->wait(timeout);
    std::vector<size_t> missing;
    for (size_t i = 0; i < params_.size(); ++i) {
      if (!ready_[i]) missing.push_back(i);
    }
    unfinished_reduction_ = true;
    detail::raise<RuntimeError>(
        "[Reducer] backward finished without gradients for parameters ", index_list(missing),
        " on rank ", group_->rank(),
        ", so their buckets were never reduced. This error indicates that your module has "
        "parameters that were not used in producing loss. You can enable unused parameter "
        "detection by passing the keyword argument `find_unused_parameters=True` to "
        "DistributedDataParallel, and by making sure all `forward` function outputs "
        "participate in calculating loss.");
  }
  try {
    for (Bucket& bucket : buckets_) bucket.work->wait(timeout);
    autograd::NoGradGuard no_grad;
    // With find_unused_parameters, a parameter no rank has a gradient for keeps grad None (as
    // PyTorch's "globally unused" parameters); the ranks learn that from one more all-reduce.
    Tensor has_grad;
    if (find_unused_parameters_) {
      has_grad = zeros({static_cast<int64_t>(params_.size())});
      float* flags = has_grad.data_ptr<float>();
      for (size_t i = 0; i < params_.size(); ++i) {
        flags[i] = params_[i].grad().defined() ? 1.0f : 0.0f;
      }
      Tensor counts = has_grad;
      if (group_->device_type() != DeviceType::CPU) {
        counts = has_grad.to(TensorOptions(kFloat32).device(Device(group_->device_type())));
      }
      group_->all_reduce(counts, ReduceOp::Sum)->wait(timeout);
      if (!counts.is_same(has_grad)) has_grad.copy_(counts);
    }
    for (size_t i = 0; i < params_.size(); ++i) {
      const Location& location = locations_[i];
      const Tensor& slot = buckets_[location.bucket].slots[location.slot];
      const Tensor grad = params_[i].grad();
      if (grad.defined()) {
        if (!grad.is_same(slot)) params_[i].mutable_grad().copy_(slot);
        continue;
      }
      if (has_grad.defined() && has_grad.data_ptr<float>()[i] == 0.0f) {
        continue;
      }
      params_[i].set_grad(gradient_as_bucket_view_ ? slot : slot.clone());
    }
  } catch (...) {
    reset_iteration();
    throw;
  }
  reset_iteration();
}

}  // namespace ember::distributed
