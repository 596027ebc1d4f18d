#include "ember/optim/schedulers/cyclic_schedulers.h"

#include <cmath>
#include <utility>

#include "ember/base/error.h"
#include "ember/optim/option_values.h"
#include "ember/optim/schedulers/momentum_option.h"
#include "ember/optim/schedulers/schedule_rules.h"

namespace ember::optim {

CosineAnnealingWarmRestarts::CosineAnnealingWarmRestarts(Optimizer& optimizer,
                                                         int64_t T_0,  // NOLINT
                                                         int64_t T_mult, double eta_min)
    : LRScheduler(optimizer), t_0_(T_0), t_mult_(T_mult), eta_min_(eta_min), t_i_(T_0) {
  schedule::check_warm_restarts(T_0, T_mult);
  initial_step();
}

void CosineAnnealingWarmRestarts::step() {
  if (last_epoch_ < 0) return step(0.0);
  const auto position = schedule::warm_restarts_advance(t_cur_, t_i_, t_mult_);
  t_cur_ = position.t_cur;
  t_i_ = position.t_i;
  apply(static_cast<double>(last_epoch_ + 1));
}

void CosineAnnealingWarmRestarts::step(double epoch) {
  const auto position = schedule::warm_restarts_at_epoch(epoch, t_0_, t_mult_);
  t_cur_ = position.t_cur;
  t_i_ = position.t_i;
  apply(epoch);
}

void CosineAnnealingWarmRestarts::apply(double epoch) {
  ++step_count_;
  last_epoch_ = static_cast<int64_t>(std::floor(epoch));
  set_optimizer_lrs(get_lrs());
}

LRSchedulerStateDict CosineAnnealingWarmRestarts::state_dict() const {
  LRSchedulerStateDict result = LRScheduler::state_dict();
  result.values["T_cur"] = t_cur_;
  result.values["T_i"] = t_i_;
  return result;
}

void CosineAnnealingWarmRestarts::load_state_dict(const LRSchedulerStateDict& state_dict) {
  LRScheduler::load_state_dict(state_dict);
  detail::read_option(state_dict.values, "T_cur", t_cur_);
  detail::read_option(state_dict.values, "T_i", t_i_);
}

std::vector<double> CosineAnnealingWarmRestarts::get_lrs() {
  std::vector<double> lrs;
  for (double base_lr : base_lrs_)
    lrs.push_back(schedule::cosine_warm_restarts_lr(base_lr, t_cur_, t_i_, eta_min_));
  return lrs;
}

CyclicLR::CyclicLR(Optimizer& optimizer, CyclicLROptions options)
    : LRScheduler(optimizer), options_(std::move(options)) {
  const double up = options_.step_size_up();
  const double down = options_.step_size_down().value_or(up);
  total_size_ = up + down;
  step_ratio_ = up / total_size_;
  scale_by_cycle_ =
      options_.scale_fn()
          ? options_.scale_mode() == "cycle"
          : schedule::cyclic_scales_by_cycle(schedule::cyclic_mode_from_name(options_.mode()));
  if (options_.cycle_momentum()) detail::check_momentum_option(optimizer);  // raises without one
  // The cycle starts from base_lr, whatever the groups' lrs were.
  base_lrs_.assign(base_lrs_.size(), options_.base_lr());
  initial_step();
}

std::vector<double> CyclicLR::get_lrs() {
  const auto position = schedule::cyclic_position(last_epoch_, total_size_, step_ratio_);
  const double x = scale_by_cycle_ ? position.cycle : static_cast<double>(last_epoch_);
  const double scale =
      options_.scale_fn() ? options_.scale_fn()(x)
                          : schedule::cyclic_scale(schedule::cyclic_mode_from_name(options_.mode()),
                                                   options_.gamma(), x);
  std::vector<double> lrs;
  for (double base_lr : base_lrs_)
    lrs.push_back(schedule::cyclic_lr(base_lr, options_.max_lr(), position.scale_factor, scale));
  if (options_.cycle_momentum()) {
    const double momentum = schedule::cyclic_momentum(
        options_.base_momentum(), options_.max_momentum(), position.scale_factor, scale);
    for (auto& group : optimizer_.param_groups()) detail::set_momentum(group, momentum);
  }
  return lrs;
}

OneCycleLR::OneCycleLR(Optimizer& optimizer, OneCycleLROptions options)
    : LRScheduler(optimizer), options_(std::move(options)) {
  schedule::check_one_cycle(options_.total_steps(), options_.pct_start());
  schedule::anneal_strategy_from_name(options_.anneal_strategy());
  if (options_.cycle_momentum()) detail::check_momentum_option(optimizer);
  base_lrs_.assign(base_lrs_.size(), options_.max_lr() / options_.div_factor());
  for (auto& group : optimizer.param_groups()) group.options().set_initial_lr(base_lrs_.front());
  initial_step();
}

double OneCycleLR::value_at(double start, double peak, double end) const {
  return schedule::one_cycle_value(
      last_epoch_, options_.total_steps(), options_.pct_start(), options_.three_phase(),
      schedule::anneal_strategy_from_name(options_.anneal_strategy()), start, peak, end);
}

std::vector<double> OneCycleLR::get_lrs() {
  const double initial_lr = options_.max_lr() / options_.div_factor();
  const double lr =
      value_at(initial_lr, options_.max_lr(), initial_lr / options_.final_div_factor());
  if (options_.cycle_momentum()) {
    const double momentum =
        value_at(options_.max_momentum(), options_.base_momentum(), options_.max_momentum());
    for (auto& group : optimizer_.param_groups()) detail::set_momentum(group, momentum);
  }
  return std::vector<double>(base_lrs_.size(), lr);
}

}  // namespace ember::optim
