// Step hooks of the optimizers (PyTorch's Optimizer.register_step_pre_hook /
// register_step_post_hook and the global register_optimizer_step_*_hook): functions that
// Optimizer::step runs before and after the algorithm's update. A pre hook may replace the
// closure step receives (as Python's may return new arguments). Order, as PyTorch: global pre
// hooks, the optimizer's pre hooks, the update, the optimizer's post hooks, global post hooks;
// each list in registration order.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>

#include "ember/tensor/tensor.h"

namespace ember::optim {

class Optimizer;

using OptimizerStepPreHook =
    std::function<void(Optimizer& optimizer, std::function<Tensor()>& closure)>;
using OptimizerStepPostHook =
    std::function<void(Optimizer& optimizer, const std::function<Tensor()>& closure)>;

namespace detail {

// The hooks of one optimizer (or the global ones), keyed by registration number.
struct StepHooks {
  std::map<uint64_t, OptimizerStepPreHook> pre;
  std::map<uint64_t, OptimizerStepPostHook> post;
  uint64_t next_id = 0;
  std::mutex mutex;
};

}  // namespace detail

// Removes its hook (PyTorch's RemovableHandle); remove() twice, or after the optimizer is
// gone, does nothing.
class StepHookHandle {
 public:
  StepHookHandle() = default;
  StepHookHandle(std::weak_ptr<detail::StepHooks> hooks, uint64_t id)
      : hooks_(std::move(hooks)), id_(id) {}
  void remove();

 private:
  std::weak_ptr<detail::StepHooks> hooks_;
  uint64_t id_ = 0;
};

namespace detail {
StepHookHandle add_pre_hook(const std::shared_ptr<StepHooks>& hooks, OptimizerStepPreHook hook);
StepHookHandle add_post_hook(const std::shared_ptr<StepHooks>& hooks, OptimizerStepPostHook hook);
// The hooks every optimizer runs.
const std::shared_ptr<StepHooks>& global_step_hooks();
}  // namespace detail

// Hooks run around every optimizer's step (PyTorch's register_optimizer_step_pre_hook and
// register_optimizer_step_post_hook).
StepHookHandle register_optimizer_step_pre_hook(OptimizerStepPreHook hook);
StepHookHandle register_optimizer_step_post_hook(OptimizerStepPostHook hook);

}  // namespace ember::optim
