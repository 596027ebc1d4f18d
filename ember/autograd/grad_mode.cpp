#include "ember/autograd/grad_mode.h"

#include <atomic>

namespace ember::autograd {
namespace {
thread_local bool grad_enabled = true;
std::atomic<bool> anomaly_enabled{false};
}  // namespace

bool is_grad_enabled() { return grad_enabled; }
void set_grad_enabled(bool enabled) { grad_enabled = enabled; }
bool is_anomaly_enabled() { return anomaly_enabled.load(std::memory_order_relaxed); }
void set_anomaly_enabled(bool enabled) {
  anomaly_enabled.store(enabled, std::memory_order_relaxed);
}

}  // namespace ember::autograd
