// libtorch's torch::optim::ReduceLROnPlateauScheduler (PyTorch's ReduceLROnPlateau): step(metric)
// once per epoch; each group's lr is multiplied by factor (not below its min_lr) after more than
// `patience` epochs without improvement. The state machine is schedule::PlateauTracker.
#pragma once

#include <cstdint>
#include <vector>

#include "ember/optim/optimizer.h"
#include "ember/optim/schedulers/lr_scheduler.h"
#include "ember/optim/schedulers/plateau.h"

namespace ember::optim {

class ReduceLROnPlateauScheduler {
 public:
  enum SchedulerMode { min, max };
  enum ThresholdMode { rel, abs };

  // min_lr: empty (0 for every group), one value for every group, or one per group.
  explicit ReduceLROnPlateauScheduler(Optimizer& optimizer, SchedulerMode mode = min,
                                      double factor = 0.1, int64_t patience = 10,
                                      double threshold = 1e-4, ThresholdMode threshold_mode = rel,
                                      int64_t cooldown = 0, std::vector<double> min_lr = {},
                                      double eps = 1e-8, bool verbose = false);

  void step(double metric);
  const std::vector<double>& get_last_lr() const { return last_lr_; }
  int64_t last_epoch() const { return last_epoch_; }
  const schedule::PlateauTracker& tracker() const { return tracker_; }
  // Python's ReduceLROnPlateau.state_dict() keys: the state ("best", "num_bad_epochs",
  // "cooldown_counter", "last_epoch", "_last_lr") and the settings, of which only the state is
  // restored.
  LRSchedulerStateDict state_dict() const;
  void load_state_dict(const LRSchedulerStateDict& state_dict);

 private:
  Optimizer& optimizer_;
  double factor_;
  std::vector<double> min_lrs_;
  double eps_;
  bool verbose_;
  schedule::PlateauTracker tracker_;
  int64_t last_epoch_ = 0;
  std::vector<double> last_lr_;
};

}  // namespace ember::optim
