#include "ember/distributed/ddp.h"

#include <map>
#include <tuple>
#include <unordered_set>

#include "ember/autograd/grad_mode.h"
#include "ember/distributed/distributed.h"
#include "ember/ops/shape.h"

namespace ember::nn::parallel {

namespace {

// PyTorch's _broadcast_coalesced bucket: tensors of one dtype and device travel flattened
// together, up to this many bytes per broadcast.
constexpr int64_t kBroadcastBucketBytes = 250 * 1024 * 1024;

void broadcast_flattened(distributed::ProcessGroup& group, const std::vector<Tensor>& tensors) {
  std::vector<Tensor> flat;
  flat.reserve(tensors.size());
  for (const Tensor& tensor : tensors) flat.push_back(tensor.reshape({-1}));
  Tensor joined = cat(flat, 0);
  group.broadcast(joined, 0)->wait(group.options().timeout);
  if (group.rank() == 0) return;
  int64_t offset = 0;
  for (Tensor tensor : tensors) {
    tensor.copy_(joined.narrow(0, offset, tensor.numel()).view(tensor.sizes()));
    offset += tensor.numel();
  }
}

}  // namespace

void broadcast_from_rank0(distributed::ProcessGroup& group, const std::vector<Tensor>& tensors) {
  autograd::NoGradGuard no_grad;
  // One broadcast per bucket of same-dtype, same-device tensors instead of one per tensor: a
  // model's construction costs a few round trips, not one per parameter.
  using Key = std::tuple<int, int, int>;  // dtype, device type, device index
  std::map<Key, std::vector<Tensor>> buckets;
  std::map<Key, int64_t> bucket_bytes;
  for (const Tensor& tensor : tensors) {
    const Key key{static_cast<int>(tensor.scalar_type()), static_cast<int>(tensor.device().type()),
                  static_cast<int>(tensor.device().index())};
    const auto bytes = static_cast<int64_t>(tensor.nbytes());
    if (bucket_bytes[key] + bytes > kBroadcastBucketBytes && !buckets[key].empty()) {
      broadcast_flattened(group, buckets[key]);
      buckets[key].clear();
      bucket_bytes[key] = 0;
    }
    buckets[key].push_back(tensor.detach());
    bucket_bytes[key] += bytes;
  }
  for (const auto& [key, bucket] : buckets) {
    if (!bucket.empty()) broadcast_flattened(group, bucket);
  }
}

DistributedDataParallelImpl::DistributedDataParallelImpl(AnyModule module,
                                                         DistributedDataParallelOptions options)
    : module_(std::move(module)), options_(std::move(options)) {
  EMBER_CHECK_VALUE(!module_.is_empty(), "[DistributedDataParallel] expected a module");
  // PyTorch's default: the default group (init_process_group's; raises if there is none).
  if (options_.process_group() == nullptr) options_.process_group(distributed::default_group());
  EMBER_CHECK_VALUE(options_.bucket_cap_mb() > 0,
                    "[DistributedDataParallel] bucket_cap_mb must "
                    "be positive, got ",
                    options_.bucket_cap_mb());
  register_module("module", module_.ptr());
  distributed::ProcessGroup& group = *options_.process_group();
  // Shared parameters are reduced once.
  std::vector<Tensor> params;
  std::unordered_set<const TensorImpl*> seen;
  for (const Tensor& param : module_.ptr()->parameters()) {
    if (param.requires_grad() && seen.insert(param.impl()).second) params.push_back(param);
  }
  EMBER_CHECK(!params.empty(),
              "[DistributedDataParallel] is not needed when a module doesn't have any parameter "
              "that requires a gradient.");
  broadcast_from_rank0(group, module_.ptr()->parameters());
  broadcast_from_rank0(group, module_.ptr()->buffers());
  const auto cap_bytes = static_cast<size_t>(options_.bucket_cap_mb() * 1024.0 * 1024.0);
  reducer_ = std::make_unique<distributed::Reducer>(
      params,
      distributed::compute_bucket_assignment_by_size(params, cap_bytes,
                                                     distributed::kDefaultFirstBucketCapBytes),
      options_.process_group(), options_.find_unused_parameters(),
      options_.gradient_as_bucket_view());
}

void DistributedDataParallelImpl::pre_forward() {
  if (options_.broadcast_buffers() && options_.process_group()->size() > 1) {
    broadcast_from_rank0(*options_.process_group(), module_.ptr()->buffers());
  }
}

void DistributedDataParallelImpl::post_forward(const std::vector<Tensor>& outputs,
                                               bool outputs_known) {
  if (!autograd::is_grad_enabled() || !reducer_->require_grad_sync()) return;
  EMBER_CHECK(outputs_known || !options_.find_unused_parameters(),
              "[DistributedDataParallel] find_unused_parameters=true needs a forward that returns "
              "a Tensor or a std::vector<Tensor>, to trace the graph from");
  reducer_->prepare_for_backward(options_.find_unused_parameters() ? outputs
                                                                   : std::vector<Tensor>{});
}

}  // namespace ember::nn::parallel
