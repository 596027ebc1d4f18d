// A process group: `size` processes that run collectives together over one engine (Gloo, MPI,
// NCCL). The public calls check their arguments the same way for every engine (Note [Process
// group checks]), then hand the engine's part to the backend's run_* overrides, which return
// at once with a Work their thread finishes (async_op=True) or that the caller waits on.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "ember/distributed/store.h"
#include "ember/distributed/types.h"
#include "ember/distributed/work.h"
#include "ember/tensor/tensor.h"

namespace ember::distributed {

struct ProcessGroupOptions {
  // Every operation fails with DistBackendError after this long (engines that can time out).
  Duration timeout = kDefaultTimeout;
  // Names the group in errors and prefixes its keys in the store ("default_pg", "1", ...).
  std::string group_name = "default_pg";
};

class ProcessGroup {
 public:
  // `store` is the group's own (already prefixed) store; rank and size are within the group.
  ProcessGroup(std::shared_ptr<Store> store, int rank, int size, ProcessGroupOptions options);
  virtual ~ProcessGroup();
  ProcessGroup(const ProcessGroup&) = delete;
  ProcessGroup& operator=(const ProcessGroup&) = delete;

  int rank() const { return rank_; }
  int size() const { return size_; }
  const ProcessGroupOptions& options() const { return options_; }
  const std::shared_ptr<Store>& store() const { return store_; }
  // "gloo", "mpi", "nccl".
  virtual std::string backend_name() const = 0;
  // The device type the engine's tensors live on (CPU for Gloo and MPI, CUDA for NCCL).
  virtual DeviceType device_type() const = 0;

  // Roots, sources and destinations are ranks within this group. Output tensors are written in
  // place; every tensor must be contiguous and on the engine's device.
  WorkPtr all_reduce(Tensor tensor, ReduceOp op = ReduceOp::Sum);
  WorkPtr broadcast(Tensor tensor, int root);
  // The result lands on `root` only; other ranks' tensors are left as they were.
  WorkPtr reduce(Tensor tensor, int root, ReduceOp op = ReduceOp::Sum);
  // outputs: size() tensors shaped like input.
  WorkPtr all_gather(std::vector<Tensor> outputs, Tensor input);
  // output: size() inputs concatenated along dim 0.
  WorkPtr all_gather_into_tensor(Tensor output, Tensor input);
  // inputs: size() tensors shaped like output; rank r receives the reduction of everyone's
  // inputs[r].
  WorkPtr reduce_scatter(Tensor output, std::vector<Tensor> inputs, ReduceOp op = ReduceOp::Sum);
  // input: size() outputs concatenated along dim 0.
  WorkPtr reduce_scatter_tensor(Tensor output, Tensor input, ReduceOp op = ReduceOp::Sum);
  // outputs: size() tensors on root, empty elsewhere.
  WorkPtr gather(std::vector<Tensor> outputs, Tensor input, int root);
  // inputs: size() tensors on root, empty elsewhere.
  WorkPtr scatter(Tensor output, std::vector<Tensor> inputs, int root);
  // outputs[r] receives rank r's inputs[rank()].
  WorkPtr all_to_all(std::vector<Tensor> outputs, std::vector<Tensor> inputs);
  // Splits along dim 0 (empty: equal splits; the engine always gets explicit ones).
  WorkPtr all_to_all_single(Tensor output, Tensor input, std::vector<int64_t> output_splits = {},
                            std::vector<int64_t> input_splits = {});
  WorkPtr send(Tensor tensor, int dst, int tag = 0);
  // src -1 receives from any rank (Work::source_rank tells which).
  WorkPtr recv(Tensor tensor, int src, int tag = 0);
  WorkPtr barrier();

 protected:
  // The engine's part. Arguments are already checked; `op` is never Avg unless supports_avg().
  virtual WorkPtr run_all_reduce(Tensor& tensor, ReduceOp op) = 0;
  virtual WorkPtr run_broadcast(Tensor& tensor, int root) = 0;
  virtual WorkPtr run_reduce(Tensor& tensor, int root, ReduceOp op) = 0;
  virtual WorkPtr run_all_gather(std::vector<Tensor>& outputs, Tensor& input) = 0;
  virtual WorkPtr run_gather(std::vector<Tensor>& outputs, Tensor& input, int root) = 0;
  virtual WorkPtr run_scatter(Tensor& output, std::vector<Tensor>& inputs, int root) = 0;
  virtual WorkPtr run_all_to_all_single(Tensor& output, Tensor& input,
                                        const std::vector<int64_t>& output_splits,
                                        const std::vector<int64_t>& input_splits) = 0;
  virtual WorkPtr run_send(Tensor& tensor, int dst, int tag) = 0;
  virtual WorkPtr run_recv(Tensor& tensor, int src, int tag) = 0;
  virtual WorkPtr run_barrier() = 0;
  // Composites by default (over all_gather, all_reduce, all_to_all_single); engines with a
  // native collective override them.
  virtual WorkPtr run_all_gather_into_tensor(Tensor& output, Tensor& input);
  virtual WorkPtr run_reduce_scatter(Tensor& output, std::vector<Tensor>& inputs, ReduceOp op);
  virtual WorkPtr run_reduce_scatter_tensor(Tensor& output, Tensor& input, ReduceOp op);
  virtual WorkPtr run_all_to_all(std::vector<Tensor>& outputs, std::vector<Tensor>& inputs);
  // Engines with a native average (NCCL); the others sum and divide.
  virtual bool supports_avg() const { return false; }

 private:
  // Note [Process group checks]: the argument checks every engine shares.
  void check_tensor(const char* op, const Tensor& tensor, const char* what) const;
  void check_like(const char* op, const Tensor& tensor, const Tensor& reference,
                  const char* what) const;
  void check_list(const char* op, const std::vector<Tensor>& tensors, const char* what) const;
  void check_rank(const char* op, int rank, const char* what) const;
  void check_peer(const char* op, int peer, const char* what) const;
  void check_reduce_op(const char* op, const Tensor& tensor, ReduceOp reduce) const;
  // Counts the collective; in debug mode, compares its fingerprint across ranks.
  void check_agreement(const char* op, const std::string& description);
  void divide_after(const WorkPtr& work, const Tensor& tensor);

  std::shared_ptr<Store> store_;
  int rank_;
  int size_;
  ProcessGroupOptions options_;
  // Collectives issued so far: the debug mode's fingerprints are keyed by it.
  uint64_t sequence_ = 0;
};

// Debug mode (EMBER_DISTRIBUTED_DEBUG or TORCH_DISTRIBUTED_DEBUG = DETAIL): before each
// collective every rank publishes its op, shapes and dtypes and compares them with the others'.
bool debug_mode_enabled();

}  // namespace ember::distributed
