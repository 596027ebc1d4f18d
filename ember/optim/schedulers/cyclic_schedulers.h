// The schedulers that cycle the learning rate (PyTorch's names and options):
// CosineAnnealingWarmRestarts (per epoch, fractional epochs allowed), CyclicLR and OneCycleLR
// (per batch; they also cycle the momentum, or Adam's beta1, the other way).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "ember/nn/arg.h"
#include "ember/optim/schedulers/lr_scheduler.h"

namespace ember::optim {

// Cosine annealing restarted every T_i epochs, T_i growing by T_mult at each restart.
class CosineAnnealingWarmRestarts : public LRScheduler {
 public:
  CosineAnnealingWarmRestarts(Optimizer& optimizer, int64_t T_0,  // NOLINT: PyTorch's names
                              int64_t T_mult = 1, double eta_min = 0.0);
  void step() override;
  // epoch may be fractional (a step per batch: epoch + batch / batches).
  void step(double epoch) override;
  double t_cur() const { return t_cur_; }
  int64_t t_i() const { return t_i_; }
  // With Python's "T_cur" and "T_i".
  LRSchedulerStateDict state_dict() const override;
  void load_state_dict(const LRSchedulerStateDict& state_dict) override;

 protected:
  std::vector<double> get_lrs() override;

 private:
  void apply(double epoch);
  int64_t t_0_;
  int64_t t_mult_;
  double eta_min_;
  double t_cur_ = -1.0;
  int64_t t_i_;
};

struct CyclicLROptions {
  CyclicLROptions(double base_lr, double max_lr) : base_lr_(base_lr), max_lr_(max_lr) {}
  EMBER_ARG(double, base_lr);
  EMBER_ARG(double, max_lr);
  EMBER_ARG(double, step_size_up) = 2000;
  // Defaults to step_size_up.
  EMBER_ARG(std::optional<double>, step_size_down) = std::nullopt;
  // "triangular", "triangular2" or "exp_range"; ignored when scale_fn is set.
  EMBER_ARG(std::string, mode) = "triangular";
  EMBER_ARG(double, gamma) = 1.0;
  EMBER_ARG(std::function<double(double)>, scale_fn) = nullptr;
  // With scale_fn: "cycle" (scale_fn of the cycle number) or "iterations".
  EMBER_ARG(std::string, scale_mode) = "cycle";
  EMBER_ARG(bool, cycle_momentum) = true;
  EMBER_ARG(double, base_momentum) = 0.8;
  EMBER_ARG(double, max_momentum) = 0.9;
};

// Cyclical learning rates: between base_lr and max_lr, step() after each batch.
class CyclicLR : public LRScheduler {
 public:
  CyclicLR(Optimizer& optimizer, CyclicLROptions options);

 protected:
  std::vector<double> get_lrs() override;

 private:
  CyclicLROptions options_;
  double total_size_;
  double step_ratio_;
  bool scale_by_cycle_;
};

struct OneCycleLROptions {
  OneCycleLROptions(double max_lr, int64_t total_steps)
      : max_lr_(max_lr), total_steps_(total_steps) {}
  EMBER_ARG(double, max_lr);
  EMBER_ARG(int64_t, total_steps);
  EMBER_ARG(double, pct_start) = 0.3;
  // "cos" or "linear".
  EMBER_ARG(std::string, anneal_strategy) = "cos";
  EMBER_ARG(bool, cycle_momentum) = true;
  EMBER_ARG(double, base_momentum) = 0.85;
  EMBER_ARG(double, max_momentum) = 0.95;
  EMBER_ARG(double, div_factor) = 25.0;
  EMBER_ARG(double, final_div_factor) = 1e4;
  EMBER_ARG(bool, three_phase) = false;
};

// The 1cycle policy: max_lr / div_factor up to max_lr over pct_start of total_steps, then down
// to that / final_div_factor; step() after each batch.
class OneCycleLR : public LRScheduler {
 public:
  OneCycleLR(Optimizer& optimizer, OneCycleLROptions options);

 protected:
  std::vector<double> get_lrs() override;

 private:
  double value_at(double start, double peak, double end) const;
  OneCycleLROptions options_;
};

}  // namespace ember::optim
