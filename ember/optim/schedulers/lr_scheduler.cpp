#include "ember/optim/schedulers/lr_scheduler.h"

#include <cmath>

#include "ember/optim/option_values.h"

namespace ember::optim {

LRScheduler::LRScheduler(Optimizer& optimizer) : optimizer_(optimizer) {
  // As PyTorch's group.setdefault("initial_lr", group["lr"]): the first scheduler of the
  // optimizer fixes the base lrs of all (a later one must not read lrs an earlier one changed).
  for (auto& group : optimizer_.param_groups()) {
    OptimizerOptions& options = group.options();
    if (!options.initial_lr()) options.set_initial_lr(options.get_lr());
    base_lrs_.push_back(*options.initial_lr());
  }
}

void LRScheduler::initial_step() {
  step_count_ = 0;
  step();
}

void LRScheduler::step() {
  ++step_count_;
  ++last_epoch_;
  set_optimizer_lrs(get_lrs());
}

void LRScheduler::step(double epoch) {
  ++step_count_;
  last_epoch_ = static_cast<int64_t>(std::floor(epoch));
  set_optimizer_lrs(closed_form_lrs());
}

LRSchedulerStateDict LRScheduler::state_dict() const {
  LRSchedulerStateDict result;
  result.values = {{"base_lrs", base_lrs_},      {"last_epoch", last_epoch_},
                   {"_step_count", step_count_}, {"_last_lr", last_lr_},
                   {"verbose", false},           {"_get_lr_called_within_step", false}};
  return result;
}

void LRScheduler::load_state_dict(const LRSchedulerStateDict& state_dict) {
  detail::read_option(state_dict.values, "base_lrs", base_lrs_);
  detail::read_option(state_dict.values, "last_epoch", last_epoch_);
  detail::read_option(state_dict.values, "_step_count", step_count_);
  detail::read_option(state_dict.values, "_last_lr", last_lr_);
}

std::vector<double> LRScheduler::get_current_lrs() const {
  std::vector<double> lrs;
  lrs.reserve(optimizer_.param_groups().size());
  for (const auto& group : optimizer_.param_groups()) lrs.push_back(group.options().get_lr());
  return lrs;
}

void LRScheduler::set_optimizer_lrs(const std::vector<double>& lrs) {
  auto& groups = optimizer_.param_groups();
  for (size_t i = 0; i < groups.size() && i < lrs.size(); ++i) groups[i].options().set_lr(lrs[i]);
  last_lr_ = get_current_lrs();
}

}  // namespace ember::optim
