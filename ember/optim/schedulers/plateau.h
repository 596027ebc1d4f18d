// ReduceLROnPlateau's state machine (PyTorch's definition): it watches a metric, counts the epochs
// without improvement (by more than `threshold`, relative or absolute) and says when to reduce
// the learning rate: after more than `patience` bad epochs, then waits `cooldown` epochs before
// counting again. Both frontends' ReduceLROnPlateau schedulers own one and apply
// schedule::plateau_reduced_lr when step() says so.
#pragma once

#include <cstdint>
#include <string>

namespace ember::optim::schedule {

class PlateauTracker {
 public:
  // mode "min" or "max", threshold_mode "rel" or "abs" (ValueError otherwise).
  PlateauTracker(std::string mode, double threshold, std::string threshold_mode, int64_t patience,
                 int64_t cooldown);

  // Whether metric a improves on best.
  bool is_better(double a, double best) const;
  // Records an epoch's metric; true when the learning rate should be reduced now.
  bool step(double metric);
  // Back to the state before any epoch (best = the worst value of the mode).
  void reset();
  bool in_cooldown() const { return cooldown_counter > 0; }
  // inf for "min", -inf for "max".
  double mode_worse() const;

  const std::string& mode() const { return mode_; }
  const std::string& threshold_mode() const { return threshold_mode_; }
  double threshold() const { return threshold_; }
  int64_t patience() const { return patience_; }
  int64_t cooldown() const { return cooldown_; }

  // The state a checkpoint saves (PyTorch's state_dict keys).
  double best = 0.0;
  int64_t num_bad_epochs = 0;
  int64_t cooldown_counter = 0;

 private:
  std::string mode_;
  double threshold_;
  std::string threshold_mode_;
  int64_t patience_;
  int64_t cooldown_;
};

}  // namespace ember::optim::schedule
