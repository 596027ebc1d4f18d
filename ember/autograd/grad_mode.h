// Grad mode: whether ops record the graph. Thread-local, so graphs on different threads are
// independent; the guards restore the previous mode on scope exit.
#pragma once

namespace ember::autograd {

bool is_grad_enabled();
void set_grad_enabled(bool enabled);

// Anomaly mode: a backward that produces NaN raises, naming the node and where it was created.
bool is_anomaly_enabled();
void set_anomaly_enabled(bool enabled);

class GradModeGuard {
 public:
  explicit GradModeGuard(bool enabled) : previous_(is_grad_enabled()) { set_grad_enabled(enabled); }
  ~GradModeGuard() { set_grad_enabled(previous_); }
  GradModeGuard(const GradModeGuard&) = delete;
  GradModeGuard& operator=(const GradModeGuard&) = delete;

 private:
  bool previous_;
};

// RAII forms of torch.no_grad() and torch.enable_grad().
class NoGradGuard : public GradModeGuard {
 public:
  NoGradGuard() : GradModeGuard(false) {}
};
class EnableGradGuard : public GradModeGuard {
 public:
  EnableGradGuard() : GradModeGuard(true) {}
};

}  // namespace ember::autograd
