// The learning-rate schedulers' rules, once for both frontends (PyTorch's torch.optim.lr_scheduler
// definitions): each function gives one param group's next learning rate. A `*_lr` function is
// the chainable form PyTorch's get_lr() uses (from the group's current lr, stepping by one
// epoch); its `*_closed_form` twin gives the lr at any epoch from the base lr alone (used when
// step() is given an epoch). The C++ scheduler classes and the Python ones in
// ember.optim.lr_scheduler only keep state and call these.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace ember::optim::schedule {

// LambdaLR: base_lr * lr_lambda(epoch), the factor computed by the caller.
double lambda_lr(double base_lr, double factor);
// MultiplicativeLR: lr * lr_lambda(epoch) for every epoch after the first.
double multiplicative_lr(double lr, int64_t epoch, double factor);

// StepLR: lr * gamma every step_size epochs.
double step_lr(double lr, int64_t epoch, int64_t step_size, double gamma);
double step_lr_closed_form(double base_lr, int64_t epoch, int64_t step_size, double gamma);

// MultiStepLR: lr * gamma at each milestone (a milestone listed k times multiplies by gamma^k).
double multi_step_lr(double lr, int64_t epoch, const std::vector<int64_t>& milestones,
                     double gamma);
double multi_step_lr_closed_form(double base_lr, int64_t epoch,
                                 const std::vector<int64_t>& milestones, double gamma);

// ConstantLR: base_lr * factor until epoch total_iters, then base_lr.
void check_constant_lr(double factor);
double constant_lr(double lr, int64_t epoch, double factor, int64_t total_iters);
double constant_lr_closed_form(double base_lr, int64_t epoch, double factor, int64_t total_iters);

// LinearLR: the factor goes linearly from start_factor to end_factor over total_iters epochs.
void check_linear_lr(double start_factor, double end_factor);
double linear_lr(double lr, int64_t epoch, double start_factor, double end_factor,
                 int64_t total_iters);
double linear_lr_closed_form(double base_lr, int64_t epoch, double start_factor, double end_factor,
                             int64_t total_iters);

// ExponentialLR: lr * gamma every epoch.
double exponential_lr(double lr, int64_t epoch, double gamma);
double exponential_lr_closed_form(double base_lr, int64_t epoch, double gamma);

// PolynomialLR: base_lr * (1 - min(epoch, total_iters) / total_iters)^power.
double polynomial_lr(double lr, int64_t epoch, int64_t total_iters, double power);
double polynomial_lr_closed_form(double base_lr, int64_t epoch, int64_t total_iters, double power);

// CosineAnnealingLR (SGDR without restarts). The chainable form follows PyTorch's recursion,
// which keeps going past t_max (the lr climbs back up); step_count is the scheduler's number of
// step() calls (its first step after resuming at epoch > 0 uses the closed form).
double cosine_annealing_lr(double lr, double base_lr, int64_t epoch, int64_t step_count,
                           int64_t t_max, double eta_min);
double cosine_annealing_lr_closed_form(double base_lr, int64_t epoch, int64_t t_max,
                                       double eta_min);

// CosineAnnealingWarmRestarts: the position (t_cur epochs into a cycle of t_i epochs).
struct WarmRestartsPosition {
  double t_cur;
  int64_t t_i;
};
void check_warm_restarts(int64_t t_0, int64_t t_mult);
// One epoch on from (t_cur, t_i): a cycle that ends restarts with t_i * t_mult epochs.
WarmRestartsPosition warm_restarts_advance(double t_cur, int64_t t_i, int64_t t_mult);
// The position at a given (possibly fractional) epoch.
WarmRestartsPosition warm_restarts_at_epoch(double epoch, int64_t t_0, int64_t t_mult);
double cosine_warm_restarts_lr(double base_lr, double t_cur, int64_t t_i, double eta_min);

// CyclicLR. scale_fn: PyTorch's three modes (a custom Python scale_fn replaces cyclic_scale).
enum class CyclicMode { triangular, triangular2, exp_range };
CyclicMode cyclic_mode_from_name(std::string_view name);
// Where an iteration falls: the cycle number (from 1) and the fraction of the way up (0..1).
// total_size = step_size_up + step_size_down, step_ratio = step_size_up / total_size.
struct CyclicPosition {
  double cycle;
  double scale_factor;
};
CyclicPosition cyclic_position(int64_t iteration, double total_size, double step_ratio);
// The mode's amplitude scale at x (the cycle, or the iteration for exp_range).
double cyclic_scale(CyclicMode mode, double gamma, double x);
// Whether the mode scales by cycle (else by iteration).
bool cyclic_scales_by_cycle(CyclicMode mode);
double cyclic_lr(double base_lr, double max_lr, double scale_factor, double scale);
// The momentum moves opposite to the lr: max_momentum at the bottom of a cycle.
double cyclic_momentum(double base_momentum, double max_momentum, double scale_factor,
                       double scale);

// OneCycleLR: the value (lr, or momentum) at `step` of total_steps. The lr goes start -> peak
// -> end in two phases, or start -> peak -> start -> end in three (three_phase); the momentum
// uses the same call with (max_momentum, base_momentum, max_momentum).
enum class AnnealStrategy { cos, linear };
AnnealStrategy anneal_strategy_from_name(std::string_view name);
// total_steps, or epochs * steps_per_epoch when total_steps is not given.
int64_t one_cycle_total_steps(std::optional<int64_t> total_steps, std::optional<int64_t> epochs,
                              std::optional<int64_t> steps_per_epoch);
void check_one_cycle(int64_t total_steps, double pct_start);
double one_cycle_anneal(AnnealStrategy strategy, double start, double end, double pct);
double one_cycle_value(int64_t step, int64_t total_steps, double pct_start, bool three_phase,
                       AnnealStrategy strategy, double start, double peak, double end);

// ReduceLROnPlateau: ValueError unless factor < 1.
void check_plateau_factor(double factor);
// ReduceLROnPlateau's reduction: max(lr * factor, min_lr), unless that changes lr by eps or less.
double plateau_reduced_lr(double lr, double factor, double min_lr, double eps);

}  // namespace ember::optim::schedule
