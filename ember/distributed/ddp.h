// DistributedDataParallel for the C++ frontend (PyTorch's nn.parallel.DistributedDataParallel in
// libtorch's module style): wraps a module, makes its parameters and buffers rank 0's at
// construction, and averages its gradients across the process group during backward through the
// Reducer (Note [Distributed: DDP reducer]).
#pragma once

#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

#include "ember/base/error.h"
#include "ember/distributed/process_group.h"
#include "ember/distributed/reducer.h"
#include "ember/nn/arg.h"
#include "ember/nn/module.h"
#include "ember/nn/modules/any.h"
#include "ember/nn/pimpl.h"

namespace ember::nn::parallel {

struct DistributedDataParallelOptions {
  // The group gradients are averaged over; null: the default group (init_process_group's).
  EMBER_ARG(std::shared_ptr<distributed::ProcessGroup>, process_group);
  EMBER_ARG(double, bucket_cap_mb) = 25.0;
  EMBER_ARG(bool, find_unused_parameters) = false;
  EMBER_ARG(bool, gradient_as_bucket_view) = false;
  // Rank 0's buffers (BatchNorm's running statistics) are broadcast before every forward.
  EMBER_ARG(bool, broadcast_buffers) = true;
};

// Makes every rank's tensors rank 0's, in place (DDP's construction and buffer broadcasts).
void broadcast_from_rank0(distributed::ProcessGroup& group, const std::vector<Tensor>& tensors);

// While alive, backward accumulates gradients locally without reducing them (DDP.no_sync()).
class [[nodiscard]] NoSyncGuard {
 public:
  explicit NoSyncGuard(distributed::Reducer& reducer)
      : reducer_(reducer), previous_(reducer.require_grad_sync()) {
    reducer_.set_require_grad_sync(false);
  }
  ~NoSyncGuard() { reducer_.set_require_grad_sync(previous_); }
  NoSyncGuard(const NoSyncGuard&) = delete;
  NoSyncGuard& operator=(const NoSyncGuard&) = delete;

 private:
  distributed::Reducer& reducer_;
  bool previous_;
};

class DistributedDataParallelImpl : public Module {
 public:
  // `module`: a module holder, a std::shared_ptr to a module, or an AnyModule; registered as the
  // submodule "module", so parameter names gain the prefix "module." as in PyTorch.
  DistributedDataParallelImpl(AnyModule module, DistributedDataParallelOptions options);
  template <typename M, typename = std::enable_if_t<!std::is_same_v<std::decay_t<M>, AnyModule>>>
  DistributedDataParallelImpl(M&& module, DistributedDataParallelOptions options)
      : DistributedDataParallelImpl(AnyModule(std::forward<M>(module)), std::move(options)) {}

  // The wrapped module's forward (its result type named when it is not a Tensor).
  template <typename Return = Tensor, typename... Args>
  Return forward(Args&&... args) {
    pre_forward();
    Return output = module_.template forward<Return>(std::forward<Args>(args)...);
    if constexpr (std::is_same_v<Return, Tensor>) {
      post_forward({output}, true);
    } else if constexpr (std::is_same_v<Return, std::vector<Tensor>>) {
      post_forward(output, true);
    } else {
      post_forward({}, false);
    }
    return output;
  }

  const std::shared_ptr<Module>& module() const { return module_.ptr(); }
  const DistributedDataParallelOptions& options() const { return options_; }
  distributed::Reducer& reducer() { return *reducer_; }
  NoSyncGuard no_sync() { return NoSyncGuard(*reducer_); }

 private:
  void pre_forward();
  // outputs_known: whether `outputs` are all the forward's tensors (find_unused_parameters
  // traces the graph from them).
  void post_forward(const std::vector<Tensor>& outputs, bool outputs_known);

  AnyModule module_;
  DistributedDataParallelOptions options_;
  std::unique_ptr<distributed::Reducer> reducer_;
};

EMBER_MODULE(DistributedDataParallel);

}  // namespace ember::nn::parallel
