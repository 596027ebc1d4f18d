#include "ember/optim/schedulers/schedule_rules.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "ember/base/error.h"

namespace ember::optim::schedule {

namespace {

// Python's floor modulo (the sign of the divisor), which PyTorch's cosine recursion relies on.
int64_t floor_mod(int64_t a, int64_t b) {
  const int64_t r = a % b;
  return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;
}

double gamma_power(double gamma, int64_t count) {
  return std::pow(gamma, static_cast<double>(count));
}

// Half a cosine from 1 (pct 0) to 0 (pct 1).
double cosine_fraction(double pct) { return (1.0 + std::cos(std::numbers::pi * pct)) / 2.0; }

}  // namespace

double lambda_lr(double base_lr, double factor) { return base_lr * factor; }

double multiplicative_lr(double lr, int64_t epoch, double factor) {
  return epoch > 0 ? lr * factor : lr;
}

double step_lr(double lr, int64_t epoch, int64_t step_size, double gamma) {
  EMBER_CHECK_VALUE(step_size > 0, "[StepLR] expected a positive step_size; got ", step_size);
  return (epoch == 0 || floor_mod(epoch, step_size) != 0) ? lr : lr * gamma;
}

double step_lr_closed_form(double base_lr, int64_t epoch, int64_t step_size, double gamma) {
  EMBER_CHECK_VALUE(step_size > 0, "[StepLR] expected a positive step_size; got ", step_size);
  const int64_t steps = epoch >= 0 ? epoch / step_size : -((-epoch + step_size - 1) / step_size);
  return base_lr * gamma_power(gamma, steps);
}

double multi_step_lr(double lr, int64_t epoch, const std::vector<int64_t>& milestones,
                     double gamma) {
  const auto count = std::count(milestones.begin(), milestones.end(), epoch);
  return count == 0 ? lr : lr * gamma_power(gamma, count);
}

double multi_step_lr_closed_form(double base_lr, int64_t epoch,
                                 const std::vector<int64_t>& milestones, double gamma) {
  const auto passed = std::count_if(milestones.begin(), milestones.end(),
                                    [epoch](int64_t milestone) { return milestone <= epoch; });
  return base_lr * gamma_power(gamma, passed);
}

void check_constant_lr(double factor) {
  EMBER_CHECK_VALUE(factor >= 0.0 && factor <= 1.0,
                    "[ConstantLR] Constant multiplicative factor expected to be between 0 and 1; "
                    "got ",
                    factor);
}

double constant_lr(double lr, int64_t epoch, double factor, int64_t total_iters) {
  if (epoch == 0) return lr * factor;
  if (epoch != total_iters) return lr;
  return lr * (1.0 / factor);
}

double constant_lr_closed_form(double base_lr, int64_t epoch, double factor, int64_t total_iters) {
  return base_lr * (factor + (epoch >= total_iters ? 1.0 - factor : 0.0));
}

void check_linear_lr(double start_factor, double end_factor) {
  EMBER_CHECK_VALUE(start_factor > 0.0 && start_factor <= 1.0,
                    "[LinearLR] Starting multiplicative factor expected to be greater than 0 and "
                    "less or equal to 1; got ",
                    start_factor);
  EMBER_CHECK_VALUE(end_factor >= 0.0 && end_factor <= 1.0,
                    "[LinearLR] Ending multiplicative factor expected to be between 0 and 1; got ",
                    end_factor);
}

double linear_lr(double lr, int64_t epoch, double start_factor, double end_factor,
                 int64_t total_iters) {
  if (epoch == 0) return lr * start_factor;
  if (epoch > total_iters) return lr;
  // The ratio of this epoch's factor to the previous one's.
  const double span = end_factor - start_factor;
  return lr * (1.0 + span / (static_cast<double>(total_iters) * start_factor +
                             static_cast<double>(epoch - 1) * span));
}

double linear_lr_closed_form(double base_lr, int64_t epoch, double start_factor, double end_factor,
                             int64_t total_iters) {
  const double done = static_cast<double>(std::min(total_iters, epoch));
  return base_lr *
         (start_factor + (end_factor - start_factor) * done / static_cast<double>(total_iters));
}

double exponential_lr(double lr, int64_t epoch, double gamma) {
  return epoch == 0 ? lr : lr * gamma;
}

double exponential_lr_closed_form(double base_lr, int64_t epoch, double gamma) {
  return base_lr * gamma_power(gamma, epoch);
}

double polynomial_lr(double lr, int64_t epoch, int64_t total_iters, double power) {
  if (epoch == 0 || epoch > total_iters) return lr;
  const auto total = static_cast<double>(total_iters);
  const double decay =
      (1.0 - static_cast<double>(epoch) / total) / (1.0 - static_cast<double>(epoch - 1) / total);
  return lr * std::pow(decay, power);
}

double polynomial_lr_closed_form(double base_lr, int64_t epoch, int64_t total_iters, double power) {
  const double done = static_cast<double>(std::min(total_iters, epoch));
  return base_lr * std::pow(1.0 - done / static_cast<double>(total_iters), power);
}

double cosine_annealing_lr(double lr, double base_lr, int64_t epoch, int64_t step_count,
                           int64_t t_max, double eta_min) {
  EMBER_CHECK_VALUE(t_max > 0, "[CosineAnnealingLR] expected a positive T_max; got ", t_max);
  if (epoch == 0) return lr;
  if (step_count == 1 && epoch > 0)
    return cosine_annealing_lr_closed_form(base_lr, epoch, t_max, eta_min);
  const double period = static_cast<double>(t_max);
  // At the bottom of the cosine the recursion's ratio is 0/0: add the first step's rise instead.
  if (floor_mod(epoch - 1 - t_max, 2 * t_max) == 0)
    return lr + (base_lr - eta_min) * (1.0 - std::cos(std::numbers::pi / period)) / 2.0;
  const double now = 1.0 + std::cos(std::numbers::pi * static_cast<double>(epoch) / period);
  const double before = 1.0 + std::cos(std::numbers::pi * static_cast<double>(epoch - 1) / period);
  return now / before * (lr - eta_min) + eta_min;
}

double cosine_annealing_lr_closed_form(double base_lr, int64_t epoch, int64_t t_max,
                                       double eta_min) {
  EMBER_CHECK_VALUE(t_max > 0, "[CosineAnnealingLR] expected a positive T_max; got ", t_max);
  return eta_min + (base_lr - eta_min) *
                       cosine_fraction(static_cast<double>(epoch) / static_cast<double>(t_max));
}

void check_warm_restarts(int64_t t_0, int64_t t_mult) {
  EMBER_CHECK_VALUE(t_0 > 0, "[CosineAnnealingWarmRestarts] Expected positive integer T_0; got ",
                    t_0);
  EMBER_CHECK_VALUE(t_mult >= 1, "[CosineAnnealingWarmRestarts] Expected integer T_mult >= 1; got ",
                    t_mult);
}

WarmRestartsPosition warm_restarts_advance(double t_cur, int64_t t_i, int64_t t_mult) {
  t_cur += 1.0;
  if (t_cur >= static_cast<double>(t_i)) {
    t_cur -= static_cast<double>(t_i);
    t_i *= t_mult;
  }
  return {t_cur, t_i};
}

WarmRestartsPosition warm_restarts_at_epoch(double epoch, int64_t t_0, int64_t t_mult) {
  check_warm_restarts(t_0, t_mult);
  EMBER_CHECK_VALUE(epoch >= 0.0, "[CosineAnnealingWarmRestarts] Expected non-negative epoch; got ",
                    epoch);
  const auto first = static_cast<double>(t_0);
  if (epoch < first) return {epoch, t_0};
  if (t_mult == 1) return {std::fmod(epoch, first), t_0};
  // Cycles 0..n-1 last t_0 * (t_mult^n - 1) / (t_mult - 1) epochs in all.
  const auto mult = static_cast<double>(t_mult);
  const auto n =
      static_cast<int64_t>(std::log(epoch / first * (mult - 1.0) + 1.0) / std::log(mult));
  const double grown = std::pow(mult, static_cast<double>(n));
  return {epoch - first * (grown - 1.0) / (mult - 1.0), t_0 * static_cast<int64_t>(grown)};
}

double cosine_warm_restarts_lr(double base_lr, double t_cur, int64_t t_i, double eta_min) {
  return eta_min + (base_lr - eta_min) * cosine_fraction(t_cur / static_cast<double>(t_i));
}

CyclicMode cyclic_mode_from_name(std::string_view name) {
  if (name == "triangular") return CyclicMode::triangular;
  if (name == "triangular2") return CyclicMode::triangular2;
  EMBER_CHECK_VALUE(name == "exp_range",
                    "[CyclicLR] mode is invalid and scale_fn is None: expected 'triangular', "
                    "'triangular2' or 'exp_range'; got '",
                    name, "'");
  return CyclicMode::exp_range;
}

CyclicPosition cyclic_position(int64_t iteration, double total_size, double step_ratio) {
  EMBER_CHECK_VALUE(total_size > 0.0 && step_ratio > 0.0 && step_ratio < 1.0,
                    "[CyclicLR] expected positive step_size_up and step_size_down; got a cycle of ",
                    total_size, " iterations with a rising fraction of ", step_ratio);
  const double progress = static_cast<double>(iteration) / total_size;
  const double cycle = std::floor(1.0 + progress);
  const double x = 1.0 + progress - cycle;
  const double scale_factor = x <= step_ratio ? x / step_ratio : (x - 1.0) / (step_ratio - 1.0);
  return {cycle, scale_factor};
}

double cyclic_scale(CyclicMode mode, double gamma, double x) {
  switch (mode) {
    case CyclicMode::triangular:
      return 1.0;
    case CyclicMode::triangular2:
      return 1.0 / std::pow(2.0, x - 1.0);
    case CyclicMode::exp_range:
      return std::pow(gamma, x);
  }
  return 1.0;
}

bool cyclic_scales_by_cycle(CyclicMode mode) { return mode != CyclicMode::exp_range; }

double cyclic_lr(double base_lr, double max_lr, double scale_factor, double scale) {
  return base_lr + (max_lr - base_lr) * scale_factor * scale;
}

double cyclic_momentum(double base_momentum, double max_momentum, double scale_factor,
                       double scale) {
  return max_momentum - (max_momentum - base_momentum) * scale_factor * scale;
}

AnnealStrategy anneal_strategy_from_name(std::string_view name) {
  if (name == "cos") return AnnealStrategy::cos;
  EMBER_CHECK_VALUE(name == "linear",
                    "[OneCycleLR] anneal_strategy must be one of 'cos' or 'linear'; got '", name,
                    "'");
  return AnnealStrategy::linear;
}

int64_t one_cycle_total_steps(std::optional<int64_t> total_steps, std::optional<int64_t> epochs,
                              std::optional<int64_t> steps_per_epoch) {
  if (total_steps) {
    EMBER_CHECK_VALUE(*total_steps > 0, "[OneCycleLR] Expected positive integer total_steps; got ",
                      *total_steps);
    return *total_steps;
  }
  EMBER_CHECK_VALUE(epochs && steps_per_epoch,
                    "[OneCycleLR] You must define either total_steps OR (epochs AND "
                    "steps_per_epoch); got neither");
  EMBER_CHECK_VALUE(*epochs > 0, "[OneCycleLR] Expected positive integer epochs; got ", *epochs);
  EMBER_CHECK_VALUE(*steps_per_epoch > 0,
                    "[OneCycleLR] Expected positive integer steps_per_epoch; got ",
                    *steps_per_epoch);
  return *epochs * *steps_per_epoch;
}

void check_one_cycle(int64_t total_steps, double pct_start) {
  EMBER_CHECK_VALUE(total_steps > 0, "[OneCycleLR] Expected positive integer total_steps; got ",
                    total_steps);
  EMBER_CHECK_VALUE(pct_start >= 0.0 && pct_start <= 1.0,
                    "[OneCycleLR] Expected float between 0 and 1 pct_start; got ", pct_start);
}

double one_cycle_anneal(AnnealStrategy strategy, double start, double end, double pct) {
  if (strategy == AnnealStrategy::cos) return end + (start - end) * cosine_fraction(pct);
  return (end - start) * pct + start;
}

double one_cycle_value(int64_t step, int64_t total_steps, double pct_start, bool three_phase,
                       AnnealStrategy strategy, double start, double peak, double end) {
  check_one_cycle(total_steps, pct_start);
  EMBER_CHECK_VALUE(step <= total_steps, "[OneCycleLR] Tried to step ", step + 1,
                    " times. The specified number of total steps is ", total_steps);
  const auto total = static_cast<double>(total_steps);
  struct Phase {
    double end_step;
    double from;
    double to;
  };
  std::vector<Phase> phases;
  if (three_phase) {
    phases = {{pct_start * total - 1.0, start, peak},
              {2.0 * pct_start * total - 2.0, peak, start},
              {total - 1.0, start, end}};
  } else {
    phases = {{pct_start * total - 1.0, start, peak}, {total - 1.0, peak, end}};
  }
  const auto now = static_cast<double>(step);
  double start_step = 0.0;
  for (size_t i = 0; i < phases.size(); ++i) {
    const Phase& phase = phases[i];
    if (now <= phase.end_step || i + 1 == phases.size()) {
      const double pct = (now - start_step) / (phase.end_step - start_step);
      return one_cycle_anneal(strategy, phase.from, phase.to, pct);
    }
    start_step = phase.end_step;
  }
  return end;
}

void check_plateau_factor(double factor) {
  EMBER_CHECK_VALUE(factor < 1.0, "[ReduceLROnPlateau] Factor should be < 1.0; got ", factor);
}

double plateau_reduced_lr(double lr, double factor, double min_lr, double eps) {
  const double reduced = std::max(lr * factor, min_lr);
  return lr - reduced > eps ? reduced : lr;
}

}  // namespace ember::optim::schedule
