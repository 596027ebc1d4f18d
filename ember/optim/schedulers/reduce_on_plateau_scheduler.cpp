#include "ember/optim/schedulers/reduce_on_plateau_scheduler.h"

#include <cstdio>
#include <utility>

#include "ember/base/error.h"
#include "ember/optim/option_values.h"
#include "ember/optim/schedulers/schedule_rules.h"

namespace ember::optim {

ReduceLROnPlateauScheduler::ReduceLROnPlateauScheduler(Optimizer& optimizer, SchedulerMode mode,
                                                       double factor, int64_t patience,
                                                       double threshold,
                                                       ThresholdMode threshold_mode,
                                                       int64_t cooldown, std::vector<double> min_lr,
                                                       double eps, bool verbose)
    : optimizer_(optimizer),
      factor_(factor),
      min_lrs_(std::move(min_lr)),
      eps_(eps),
      verbose_(verbose),
      tracker_(mode == min ? "min" : "max", threshold, threshold_mode == rel ? "rel" : "abs",
               patience, cooldown) {
  schedule::check_plateau_factor(factor);
  const size_t groups = optimizer.param_groups().size();
  if (min_lrs_.empty()) min_lrs_.assign(groups, 0.0);
  if (min_lrs_.size() == 1) min_lrs_.assign(groups, min_lrs_[0]);
  EMBER_CHECK_VALUE(min_lrs_.size() == groups, "[ReduceLROnPlateauScheduler] expected ", groups,
                    " min_lrs (one per param group); got ", min_lrs_.size());
  for (const auto& group : optimizer.param_groups()) last_lr_.push_back(group.options().get_lr());
}

void ReduceLROnPlateauScheduler::step(double metric) {
  ++last_epoch_;
  const bool reduce = tracker_.step(metric);
  auto& groups = optimizer_.param_groups();
  for (size_t i = 0; i < groups.size(); ++i) {
    auto& options = groups[i].options();
    if (reduce) {
      const double old_lr = options.get_lr();
      const double new_lr = schedule::plateau_reduced_lr(old_lr, factor_, min_lrs_[i], eps_);
      if (new_lr != old_lr) {
        options.set_lr(new_lr);
        if (verbose_)
          std::printf("Epoch %05lld: reducing learning rate of group %zu to %.4e.\n",
                      static_cast<long long>(last_epoch_), i, new_lr);
      }
    }
    last_lr_[i] = options.get_lr();
  }
}

LRSchedulerStateDict ReduceLROnPlateauScheduler::state_dict() const {
  LRSchedulerStateDict result;
  result.values = {{"factor", factor_},
                   {"min_lrs", min_lrs_},
                   {"patience", tracker_.patience()},
                   {"cooldown", tracker_.cooldown()},
                   {"verbose", verbose_},
                   {"eps", eps_},
                   {"last_epoch", last_epoch_},
                   {"mode", tracker_.mode()},
                   {"threshold", tracker_.threshold()},
                   {"threshold_mode", tracker_.threshold_mode()},
                   {"_last_lr", last_lr_},
                   {"best", tracker_.best},
                   {"num_bad_epochs", tracker_.num_bad_epochs},
                   {"cooldown_counter", tracker_.cooldown_counter},
                   {"mode_worse", tracker_.mode_worse()}};
  return result;
}

void ReduceLROnPlateauScheduler::load_state_dict(const LRSchedulerStateDict& state_dict) {
  detail::read_option(state_dict.values, "last_epoch", last_epoch_);
  detail::read_option(state_dict.values, "_last_lr", last_lr_);
  detail::read_option(state_dict.values, "best", tracker_.best);
  detail::read_option(state_dict.values, "num_bad_epochs", tracker_.num_bad_epochs);
  detail::read_option(state_dict.values, "cooldown_counter", tracker_.cooldown_counter);
}

}  // namespace ember::optim
