// The learning-rate schedulers' base (libtorch's torch::optim::LRScheduler) with PyTorch's
// semantics, so that both languages give the same sequences: a scheduler's base lrs are the
// groups' initial lrs (OptimizerOptions::initial_lr, set from their lrs by the optimizer's first
// scheduler), its constructor takes the first step
// (epoch 0: the optimizer starts at the schedule's first lr; libtorch's start one step later),
// and step() moves one epoch on. The rules are ember/optim/schedulers/schedule_rules.h's.
#pragma once

#include <cstdint>
#include <vector>

#include "ember/optim/optimizer.h"

namespace ember::optim {

// A scheduler's state dict in the layout of Python's scheduler.state_dict(): the attributes that
// change while training, by Python's names ("base_lrs", "last_epoch", "_step_count",
// "_last_lr", "verbose", "_get_lr_called_within_step", and a scheduler's own such as "T_cur"),
// and, for SequentialLR and ChainedScheduler, their parts' state dicts in order (Python's
// "_schedulers"). The hyperparameters come from the constructor and are not restored.
struct LRSchedulerStateDict {
  OptimizerOptionMap values;
  std::vector<LRSchedulerStateDict> schedulers;
};

class LRScheduler {
 public:
  explicit LRScheduler(Optimizer& optimizer);
  LRScheduler(const LRScheduler&) = delete;
  LRScheduler& operator=(const LRScheduler&) = delete;
  virtual ~LRScheduler() = default;

  // One epoch on: each group's next lr from its current one (the chainable rule).
  virtual void step();
  // Jumps to an epoch: the closed form where the scheduler has one (PyTorch's step(epoch)).
  virtual void step(double epoch);

  // The lrs the last step set, one per param group.
  const std::vector<double>& get_last_lr() const { return last_lr_; }
  int64_t last_epoch() const { return last_epoch_; }
  const std::vector<double>& base_lrs() const { return base_lrs_; }
  Optimizer& optimizer() { return optimizer_; }

  virtual LRSchedulerStateDict state_dict() const;
  // Restores what state_dict saved; absent names keep their values, a value of another kind
  // raises TypeError naming it.
  virtual void load_state_dict(const LRSchedulerStateDict& state_dict);

 protected:
  // The lrs of the epoch step() moved to (last_epoch_ already advanced).
  virtual std::vector<double> get_lrs() = 0;
  // The lrs at last_epoch_ from the base lrs; by default the chainable rule.
  virtual std::vector<double> closed_form_lrs() { return get_lrs(); }
  // Each derived constructor's last statement: the step to epoch 0.
  void initial_step();
  std::vector<double> get_current_lrs() const;
  void set_optimizer_lrs(const std::vector<double>& lrs);

  Optimizer& optimizer_;
  std::vector<double> base_lrs_;
  int64_t last_epoch_ = -1;
  // step() calls so far, the constructor's included.
  int64_t step_count_ = 0;
  std::vector<double> last_lr_;

 private:
  // The schedulers made of schedulers move their parts' epochs.
  friend class SequentialLR;
  friend class ChainedScheduler;
};

}  // namespace ember::optim
