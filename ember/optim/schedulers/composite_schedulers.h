// Schedulers made of schedulers (PyTorch's SequentialLR and ChainedScheduler). Build the parts
// on the optimizer first, then the composite: as in PyTorch, every part's base lrs are the
// groups' initial lrs (whichever part was built first set them).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "ember/optim/schedulers/lr_scheduler.h"

namespace ember::optim {

// schedulers[i] runs from epoch milestones[i - 1] on, restarting at its own epoch 0.
class SequentialLR : public LRScheduler {
 public:
  SequentialLR(Optimizer& optimizer, std::vector<std::shared_ptr<LRScheduler>> schedulers,
               std::vector<int64_t> milestones);
  void step() override;
  void step(double epoch) override;
  // Python's keys ("_milestones", "last_epoch", "_last_lr", "verbose") and the parts'.
  LRSchedulerStateDict state_dict() const override;
  void load_state_dict(const LRSchedulerStateDict& state_dict) override;

 protected:
  std::vector<double> get_lrs() override { return get_current_lrs(); }

 private:
  std::vector<std::shared_ptr<LRScheduler>> schedulers_;
  std::vector<int64_t> milestones_;
};

// Steps every scheduler at each step(); their (chainable) effects multiply.
class ChainedScheduler : public LRScheduler {
 public:
  explicit ChainedScheduler(std::vector<std::shared_ptr<LRScheduler>> schedulers);
  void step() override;
  void step(double epoch) override;
  // Python's key ("_last_lr") and the parts'.
  LRSchedulerStateDict state_dict() const override;
  void load_state_dict(const LRSchedulerStateDict& state_dict) override;

 protected:
  std::vector<double> get_lrs() override { return get_current_lrs(); }

 private:
  std::vector<std::shared_ptr<LRScheduler>> schedulers_;
};

}  // namespace ember::optim
