// The optimizers' step hooks (step_hooks.h).
#include "ember/optim/step_hooks.h"

#include <utility>

namespace ember::optim {

void StepHookHandle::remove() {
  if (const std::shared_ptr<detail::StepHooks> hooks = hooks_.lock()) {
    std::lock_guard<std::mutex> lock(hooks->mutex);
    hooks->pre.erase(id_);
    hooks->post.erase(id_);
  }
  hooks_.reset();
}

namespace detail {

StepHookHandle add_pre_hook(const std::shared_ptr<StepHooks>& hooks, OptimizerStepPreHook hook) {
  std::lock_guard<std::mutex> lock(hooks->mutex);
  const uint64_t id = hooks->next_id++;
  hooks->pre.emplace(id, std::move(hook));
  return {hooks, id};
}

StepHookHandle add_post_hook(const std::shared_ptr<StepHooks>& hooks, OptimizerStepPostHook hook) {
  std::lock_guard<std::mutex> lock(hooks->mutex);
  const uint64_t id = hooks->next_id++;
  hooks->post.emplace(id, std::move(hook));
  return {hooks, id};
}

const std::shared_ptr<StepHooks>& global_step_hooks() {
  static const std::shared_ptr<StepHooks> hooks = std::make_shared<StepHooks>();
  return hooks;
}

}  // namespace detail

StepHookHandle register_optimizer_step_pre_hook(OptimizerStepPreHook hook) {
  return detail::add_pre_hook(detail::global_step_hooks(), std::move(hook));
}

StepHookHandle register_optimizer_step_post_hook(OptimizerStepPostHook hook) {
  return detail::add_post_hook(detail::global_step_hooks(), std::move(hook));
}

}  // namespace ember::optim
