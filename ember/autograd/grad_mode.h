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

namespace ember {

// libtorch's spellings at the top namespace (torch::NoGradGuard, c10::AutoGradMode,
// c10::GradMode): the same guards, not copies.
using autograd::EnableGradGuard;
using autograd::NoGradGuard;
using AutoGradMode = autograd::GradModeGuard;

struct GradMode {
  static bool is_enabled() { return autograd::is_grad_enabled(); }
  static void set_enabled(bool enabled) { autograd::set_grad_enabled(enabled); }
};

// torch::InferenceMode as a no-grad guard: ember has no inference tensors (which in libtorch
// also skip version counting), so InferenceMode(true) records no graph, exactly as NoGradGuard,
// and InferenceMode(false) enables grad mode, as libtorch's does.
class InferenceMode : public autograd::GradModeGuard {
 public:
  explicit InferenceMode(bool enabled = true) : GradModeGuard(!enabled) {}
};

}  // namespace ember
