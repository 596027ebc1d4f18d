#include "ember/optim/schedulers/plateau.h"

#include <limits>
#include <utility>

#include "ember/base/error.h"

namespace ember::optim::schedule {

PlateauTracker::PlateauTracker(std::string mode, double threshold, std::string threshold_mode,
                               int64_t patience, int64_t cooldown)
    : mode_(std::move(mode)),
      threshold_(threshold),
      threshold_mode_(std::move(threshold_mode)),
      patience_(patience),
      cooldown_(cooldown) {
  EMBER_CHECK_VALUE(mode_ == "min" || mode_ == "max",
                    "[ReduceLROnPlateau] mode expected 'min' or 'max'; got mode ", mode_,
                    " is unknown!");
  EMBER_CHECK_VALUE(threshold_mode_ == "rel" || threshold_mode_ == "abs",
                    "[ReduceLROnPlateau] threshold_mode expected 'rel' or 'abs'; got threshold "
                    "mode ",
                    threshold_mode_, " is unknown!");
  reset();
}

double PlateauTracker::mode_worse() const {
  const double inf = std::numeric_limits<double>::infinity();
  return mode_ == "min" ? inf : -inf;
}

void PlateauTracker::reset() {
  best = mode_worse();
  num_bad_epochs = 0;
  cooldown_counter = 0;
}

bool PlateauTracker::is_better(double a, double best_so_far) const {
  const bool relative = threshold_mode_ == "rel";
  if (mode_ == "min")
    return relative ? a < best_so_far * (1.0 - threshold_) : a < best_so_far - threshold_;
  return relative ? a > best_so_far * (threshold_ + 1.0) : a > best_so_far + threshold_;
}

bool PlateauTracker::step(double metric) {
  if (is_better(metric, best)) {
    best = metric;
    num_bad_epochs = 0;
  } else {
    ++num_bad_epochs;
  }
  if (in_cooldown()) {
    --cooldown_counter;
    num_bad_epochs = 0;  // bad epochs in cooldown do not count
  }
  if (num_bad_epochs > patience_) {
    cooldown_counter = cooldown_;
    num_bad_epochs = 0;
    return true;
  }
  return false;
}

}  // namespace ember::optim::schedule
