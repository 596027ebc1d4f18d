// The DDP reducer (PyTorch's torch.distributed.Reducer): averages the gradients of a model's
// parameters across the ranks of a process group during backward. Parameters are grouped into
// buckets, each with one flat buffer; a post-accumulate-grad hook per parameter puts its gradient
// in its bucket's slot, and a bucket whose gradients are all there is all-reduced at once,
// asynchronously, while backward goes on computing the rest (Note [Distributed: DDP reducer]).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "ember/distributed/process_group.h"
#include "ember/distributed/work.h"
#include "ember/tensor/tensor.h"

namespace ember::distributed {

// PyTorch's defaults: DistributedDataParallel(bucket_cap_mb=25) and
// dist._DEFAULT_FIRST_BUCKET_BYTES.
inline constexpr size_t kDefaultBucketCapBytes = size_t{25} * 1024 * 1024;
inline constexpr size_t kDefaultFirstBucketCapBytes = size_t{1} * 1024 * 1024;

// Groups parameter indices into buckets of about `bucket_cap_bytes` in reverse registration
// order (the order backward produces gradients in): bucket 0 holds the last parameters. A bucket
// holds one dtype and device only; the first bucket of each (dtype, device) is closed at
// `first_bucket_cap_bytes`, so that the first all-reduce starts early. A bucket is closed once it
// reaches its cap, so one parameter larger than the cap has a bucket of its own.
std::vector<std::vector<size_t>> compute_bucket_assignment_by_size(
    const std::vector<Tensor>& params, size_t bucket_cap_bytes = kDefaultBucketCapBytes,
    size_t first_bucket_cap_bytes = kDefaultFirstBucketCapBytes);

class Reducer {
 public:
  // `params`: leaves that require grad, the same shapes, dtypes and order on every rank.
  // `bucket_indices`: every parameter index exactly once (compute_bucket_assignment_by_size);
  // buckets are all-reduced in this order. With find_unused_parameters, prepare_for_backward
  // finds the parameters the iteration does not use; with gradient_as_bucket_view, each .grad
  // becomes a view of its bucket slot (no copies in or out).
  Reducer(std::vector<Tensor> params, std::vector<std::vector<size_t>> bucket_indices,
          std::shared_ptr<ProcessGroup> group, bool find_unused_parameters = false,
          bool gradient_as_bucket_view = false);
  ~Reducer();
  Reducer(const Reducer&) = delete;
  Reducer& operator=(const Reducer&) = delete;

  // Arms the hooks for the next backward (DDP's forward calls it). `outputs`: the forward's
  // outputs, from which find_unused_parameters traces the graph. Raises if the previous
  // iteration's reduction did not finish (a parameter got no gradient without
  // find_unused_parameters).
  void prepare_for_backward(const std::vector<Tensor>& outputs = {});
  // no_sync: while false the hooks do nothing and gradients accumulate locally; the next synced
  // backward reduces what accumulated.
  void set_require_grad_sync(bool require) { require_grad_sync_ = require; }
  bool require_grad_sync() const { return require_grad_sync_; }

  const std::vector<std::vector<size_t>>& bucket_indices() const { return bucket_indices_; }
  // Bucket b's flat buffer (its parameters' gradients back to back, in bucket order).
  const Tensor& bucket_buffer(size_t bucket) const { return buckets_.at(bucket).buffer; }
  // For the last synced backward: how many parameters had their gradient when bucket b's
  // all-reduce was launched; fewer than the parameter count means it overlapped with backward.
  const std::vector<size_t>& grads_ready_at_launch() const { return grads_ready_at_launch_; }

 private:
  struct Bucket {
    Tensor buffer;
    std::vector<size_t> params;
    // Views of `buffer`, shaped like each parameter.
    std::vector<Tensor> slots;
    size_t pending = 0;
    WorkPtr work;
  };
  // Where parameter i lives: its bucket and its position in it.
  struct Location {
    size_t bucket = 0;
    size_t slot = 0;
  };

  void on_grad_ready(size_t param);
  void mark_ready(size_t param);
  void copy_grad_into_slot(size_t param);
  void launch_ready_buckets();
  void finalize_backward();
  void reset_iteration();

  std::vector<Tensor> params_;
  std::vector<std::vector<size_t>> bucket_indices_;
  std::shared_ptr<ProcessGroup> group_;
  bool find_unused_parameters_;
  bool gradient_as_bucket_view_;
  std::vector<Bucket> buckets_;
  std::vector<Location> locations_;
  std::vector<int64_t> hook_handles_;
  bool require_grad_sync_ = true;

  // The state of one iteration (prepare_for_backward to the final callback).
  bool armed_ = false;
  bool callback_queued_ = false;
  // Set when a backward ended without every bucket ready; the next prepare_for_backward raises.
  bool unfinished_reduction_ = false;
  std::vector<bool> ready_;
  // Parameters this rank used (reached by its graph) in the iteration; find_unused only.
  std::vector<bool> locally_used_;
  std::vector<size_t> unused_;
  bool unused_marked_ = false;
  size_t next_bucket_ = 0;
  size_t ready_count_ = 0;
  std::vector<size_t> grads_ready_at_launch_;
};

}  // namespace ember::distributed
