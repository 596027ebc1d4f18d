#include "ember/optim/schedulers/composite_schedulers.h"

#include <algorithm>
#include <utility>

#include "ember/base/error.h"
#include "ember/optim/option_values.h"

namespace ember::optim {

namespace {

Optimizer& first_optimizer(const std::vector<std::shared_ptr<LRScheduler>>& schedulers,
                           const char* name) {
  EMBER_CHECK_VALUE(!schedulers.empty() && schedulers[0] != nullptr, "[", name,
                    "] expects at least one scheduler; got none");
  return schedulers[0]->optimizer();
}

std::vector<LRSchedulerStateDict> parts_state(
    const std::vector<std::shared_ptr<LRScheduler>>& schedulers) {
  std::vector<LRSchedulerStateDict> parts;
  for (const auto& scheduler : schedulers) parts.push_back(scheduler->state_dict());
  return parts;
}

void load_parts(const std::vector<std::shared_ptr<LRScheduler>>& schedulers,
                const LRSchedulerStateDict& state_dict, const char* name) {
  EMBER_CHECK_VALUE(state_dict.schedulers.size() == schedulers.size(), "[", name,
                    ".load_state_dict] expected the state of ", schedulers.size(),
                    " schedulers; got ", state_dict.schedulers.size());
  for (size_t i = 0; i < schedulers.size(); ++i) {
    schedulers[i]->load_state_dict(state_dict.schedulers[i]);
  }
}

void check_same_optimizer(const std::vector<std::shared_ptr<LRScheduler>>& schedulers,
                          const Optimizer& optimizer, const char* name) {
  for (size_t i = 0; i < schedulers.size(); ++i)
    EMBER_CHECK_VALUE(schedulers[i] != nullptr && &schedulers[i]->optimizer() == &optimizer, "[",
                      name, "] expects all schedulers to belong to the same optimizer; got ",
                      "scheduler ", i, " of another optimizer");
}

}  // namespace

SequentialLR::SequentialLR(Optimizer& optimizer,
                           std::vector<std::shared_ptr<LRScheduler>> schedulers,
                           std::vector<int64_t> milestones)
    : LRScheduler(optimizer),
      schedulers_(std::move(schedulers)),
      milestones_(std::move(milestones)) {
  first_optimizer(schedulers_, "SequentialLR");
  check_same_optimizer(schedulers_, optimizer, "SequentialLR");
  EMBER_CHECK_VALUE(milestones_.size() + 1 == schedulers_.size(),
                    "[SequentialLR] expects one milestone fewer than schedulers; got ",
                    schedulers_.size(), " schedulers and ", milestones_.size(), " milestones");
  // Each part's constructor stepped: back to the initial lrs (the base lrs every part shares,
  // as PyTorch's group["initial_lr"]), each part back one epoch, then the first part's step to
  // epoch 0 alone.
  for (auto& scheduler : schedulers_) scheduler->last_epoch_ -= 1;
  set_optimizer_lrs(base_lrs_);
  schedulers_[0]->initial_step();
  last_epoch_ = 0;
  last_lr_ = schedulers_[0]->get_last_lr();
}

void SequentialLR::step() {
  ++last_epoch_;
  const auto index = static_cast<size_t>(
      std::upper_bound(milestones_.begin(), milestones_.end(), last_epoch_) - milestones_.begin());
  auto& scheduler = *schedulers_[index];
  if (index > 0 && milestones_[index - 1] == last_epoch_)
    scheduler.step(0.0);  // a restart: the part's epoch 0 from the base lrs
  else
    scheduler.step();
  last_lr_ = scheduler.get_last_lr();
}

LRSchedulerStateDict SequentialLR::state_dict() const {
  LRSchedulerStateDict result;
  result.values = {{"_milestones", milestones_},
                   {"last_epoch", last_epoch_},
                   {"_last_lr", last_lr_},
                   {"verbose", false}};
  result.schedulers = parts_state(schedulers_);
  return result;
}

void SequentialLR::load_state_dict(const LRSchedulerStateDict& state_dict) {
  load_parts(schedulers_, state_dict, "SequentialLR");
  const auto milestones = state_dict.values.find("_milestones");
  if (milestones != state_dict.values.end()) {
    const auto* values = std::get_if<std::vector<int64_t>>(&milestones->second);
    EMBER_CHECK_TYPE(values != nullptr,
                     "[SequentialLR.load_state_dict] expected \"_milestones\" to be a list of "
                     "integers");
    milestones_ = *values;
  }
  detail::read_option(state_dict.values, "last_epoch", last_epoch_);
  detail::read_option(state_dict.values, "_last_lr", last_lr_);
}

void SequentialLR::step(double /*epoch*/) {
  EMBER_CHECK_VALUE(false, "[SequentialLR] step(epoch) is not supported; call step()");
}

ChainedScheduler::ChainedScheduler(std::vector<std::shared_ptr<LRScheduler>> schedulers)
    : LRScheduler(first_optimizer(schedulers, "ChainedScheduler")),
      schedulers_(std::move(schedulers)) {
  check_same_optimizer(schedulers_, optimizer_, "ChainedScheduler");
  last_lr_ = get_current_lrs();
  last_epoch_ = 0;
}

void ChainedScheduler::step() {
  for (auto& scheduler : schedulers_) scheduler->step();
  ++last_epoch_;
  last_lr_ = get_current_lrs();
}

LRSchedulerStateDict ChainedScheduler::state_dict() const {
  LRSchedulerStateDict result;
  result.values = {{"_last_lr", last_lr_}};
  result.schedulers = parts_state(schedulers_);
  return result;
}

void ChainedScheduler::load_state_dict(const LRSchedulerStateDict& state_dict) {
  load_parts(schedulers_, state_dict, "ChainedScheduler");
  detail::read_option(state_dict.values, "_last_lr", last_lr_);
}

void ChainedScheduler::step(double /*epoch*/) {
  EMBER_CHECK_VALUE(false, "[ChainedScheduler] step(epoch) is not supported; call step()");
}

}  // namespace ember::optim
