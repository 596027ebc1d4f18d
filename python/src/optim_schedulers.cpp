// The learning-rate schedulers' rules (ember/optim/schedulers/) into ember._C._optim, for the
// thin scheduler classes of python/ember/optim/lr_scheduler.py. Enum-valued options travel as
// PyTorch's strings ("triangular2", "cos").
#include <nanobind/nanobind.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/string_view.h>
#include <nanobind/stl/vector.h>

#include <string>

#include "ember/optim/schedulers/plateau.h"
#include "ember/optim/schedulers/schedule_rules.h"
#include "optim.h"

namespace ember::python {

namespace {

namespace schedule = ember::optim::schedule;

void init_epoch_rules(nb::module_& optim) {
  optim.def("lambda_lr", &schedule::lambda_lr, nb::arg("base_lr"), nb::arg("factor"),
            nb::sig("def lambda_lr(base_lr, factor) -> float"),
            "LambdaLR's lr: base_lr * factor (factor = lr_lambda(epoch)).");
  optim.def("multiplicative_lr", &schedule::multiplicative_lr, nb::arg("lr"), nb::arg("epoch"),
            nb::arg("factor"), nb::sig("def multiplicative_lr(lr, epoch, factor) -> float"),
            "MultiplicativeLR's next lr: lr * factor after epoch 0.");
  optim.def("step_lr", &schedule::step_lr, nb::arg("lr"), nb::arg("epoch"), nb::arg("step_size"),
            nb::arg("gamma"), nb::sig("def step_lr(lr, epoch, step_size, gamma) -> float"),
            "StepLR's next lr: lr * gamma every step_size epochs.");
  optim.def("step_lr_closed_form", &schedule::step_lr_closed_form, nb::arg("base_lr"),
            nb::arg("epoch"), nb::arg("step_size"), nb::arg("gamma"),
            nb::sig("def step_lr_closed_form(base_lr, epoch, step_size, gamma) -> float"),
            "StepLR's lr at an epoch: base_lr * gamma ** (epoch // step_size).");
  optim.def("multi_step_lr", &schedule::multi_step_lr, nb::arg("lr"), nb::arg("epoch"),
            nb::arg("milestones"), nb::arg("gamma"),
            nb::sig("def multi_step_lr(lr, epoch, milestones, gamma) -> float"),
            "MultiStepLR's next lr: lr * gamma ** (times epoch is a milestone).");
  optim.def("multi_step_lr_closed_form", &schedule::multi_step_lr_closed_form, nb::arg("base_lr"),
            nb::arg("epoch"), nb::arg("milestones"), nb::arg("gamma"),
            nb::sig("def multi_step_lr_closed_form(base_lr, epoch, milestones, gamma) -> float"),
            "MultiStepLR's lr at an epoch: base_lr * gamma ** (milestones reached).");
  optim.def("check_constant_lr", &schedule::check_constant_lr, nb::arg("factor"),
            nb::sig("def check_constant_lr(factor) -> None"),
            "Raises ValueError unless 0 <= factor <= 1.");
  optim.def("constant_lr", &schedule::constant_lr, nb::arg("lr"), nb::arg("epoch"),
            nb::arg("factor"), nb::arg("total_iters"),
            nb::sig("def constant_lr(lr, epoch, factor, total_iters) -> float"),
            "ConstantLR's next lr: lr * factor at epoch 0, lr / factor at total_iters.");
  optim.def("constant_lr_closed_form", &schedule::constant_lr_closed_form, nb::arg("base_lr"),
            nb::arg("epoch"), nb::arg("factor"), nb::arg("total_iters"),
            nb::sig("def constant_lr_closed_form(base_lr, epoch, factor, total_iters) -> float"),
            "ConstantLR's lr at an epoch: base_lr * factor before total_iters, else base_lr.");
  optim.def("check_linear_lr", &schedule::check_linear_lr, nb::arg("start_factor"),
            nb::arg("end_factor"), nb::sig("def check_linear_lr(start_factor, end_factor) -> None"),
            "Raises ValueError unless 0 < start_factor <= 1 and 0 <= end_factor <= 1.");
  optim.def("linear_lr", &schedule::linear_lr, nb::arg("lr"), nb::arg("epoch"),
            nb::arg("start_factor"), nb::arg("end_factor"), nb::arg("total_iters"),
            nb::sig("def linear_lr(lr, epoch, start_factor, end_factor, total_iters) -> float"),
            "LinearLR's next lr: the factor moves linearly from start_factor to end_factor.");
  optim.def("linear_lr_closed_form", &schedule::linear_lr_closed_form, nb::arg("base_lr"),
            nb::arg("epoch"), nb::arg("start_factor"), nb::arg("end_factor"),
            nb::arg("total_iters"),
            nb::sig("def linear_lr_closed_form(base_lr, epoch, start_factor, end_factor, "
                    "total_iters) -> float"),
            "LinearLR's lr at an epoch.");
  optim.def("exponential_lr", &schedule::exponential_lr, nb::arg("lr"), nb::arg("epoch"),
            nb::arg("gamma"), nb::sig("def exponential_lr(lr, epoch, gamma) -> float"),
            "ExponentialLR's next lr: lr * gamma after epoch 0.");
  optim.def("exponential_lr_closed_form", &schedule::exponential_lr_closed_form, nb::arg("base_lr"),
            nb::arg("epoch"), nb::arg("gamma"),
            nb::sig("def exponential_lr_closed_form(base_lr, epoch, gamma) -> float"),
            "ExponentialLR's lr at an epoch: base_lr * gamma ** epoch.");
  optim.def("polynomial_lr", &schedule::polynomial_lr, nb::arg("lr"), nb::arg("epoch"),
            nb::arg("total_iters"), nb::arg("power"),
            nb::sig("def polynomial_lr(lr, epoch, total_iters, power) -> float"),
            "PolynomialLR's next lr.");
  optim.def("polynomial_lr_closed_form", &schedule::polynomial_lr_closed_form, nb::arg("base_lr"),
            nb::arg("epoch"), nb::arg("total_iters"), nb::arg("power"),
            nb::sig("def polynomial_lr_closed_form(base_lr, epoch, total_iters, power) -> float"),
            "PolynomialLR's lr at an epoch: base_lr * (1 - min(epoch, total_iters) / "
            "total_iters) ** power.");
  optim.def("cosine_annealing_lr", &schedule::cosine_annealing_lr, nb::arg("lr"),
            nb::arg("base_lr"), nb::arg("epoch"), nb::arg("step_count"), nb::arg("t_max"),
            nb::arg("eta_min"),
            nb::sig("def cosine_annealing_lr(lr, base_lr, epoch, step_count, t_max, eta_min) "
                    "-> float"),
            "CosineAnnealingLR's next lr (PyTorch's recursive form).");
  optim.def("cosine_annealing_lr_closed_form", &schedule::cosine_annealing_lr_closed_form,
            nb::arg("base_lr"), nb::arg("epoch"), nb::arg("t_max"), nb::arg("eta_min"),
            nb::sig("def cosine_annealing_lr_closed_form(base_lr, epoch, t_max, eta_min) -> "
                    "float"),
            "CosineAnnealingLR's lr at an epoch: eta_min + (base_lr - eta_min) * (1 + "
            "cos(pi * epoch / t_max)) / 2.");
}

void init_cycle_rules(nb::module_& optim) {
  optim.def("check_warm_restarts", &schedule::check_warm_restarts, nb::arg("t_0"),
            nb::arg("t_mult"), nb::sig("def check_warm_restarts(t_0, t_mult) -> None"),
            "Raises ValueError unless T_0 > 0 and T_mult >= 1.");
  optim.def(
      "warm_restarts_advance",
      [](double t_cur, int64_t t_i, int64_t t_mult) {
        const auto position = schedule::warm_restarts_advance(t_cur, t_i, t_mult);
        return nb::make_tuple(position.t_cur, position.t_i);
      },
      nb::arg("t_cur"), nb::arg("t_i"), nb::arg("t_mult"),
      nb::sig("def warm_restarts_advance(t_cur, t_i, t_mult) -> tuple[float, int]"),
      "CosineAnnealingWarmRestarts: (T_cur, T_i) one epoch on.");
  optim.def(
      "warm_restarts_at_epoch",
      [](double epoch, int64_t t_0, int64_t t_mult) {
        const auto position = schedule::warm_restarts_at_epoch(epoch, t_0, t_mult);
        return nb::make_tuple(position.t_cur, position.t_i);
      },
      nb::arg("epoch"), nb::arg("t_0"), nb::arg("t_mult"),
      nb::sig("def warm_restarts_at_epoch(epoch, t_0, t_mult) -> tuple[float, int]"),
      "CosineAnnealingWarmRestarts: (T_cur, T_i) at a (possibly fractional) epoch.");
  optim.def("cosine_warm_restarts_lr", &schedule::cosine_warm_restarts_lr, nb::arg("base_lr"),
            nb::arg("t_cur"), nb::arg("t_i"), nb::arg("eta_min"),
            nb::sig("def cosine_warm_restarts_lr(base_lr, t_cur, t_i, eta_min) -> float"),
            "CosineAnnealingWarmRestarts' lr at T_cur epochs into a cycle of T_i.");
  optim.def(
      "cyclic_position",
      [](int64_t iteration, double total_size, double step_ratio) {
        const auto position = schedule::cyclic_position(iteration, total_size, step_ratio);
        return nb::make_tuple(position.cycle, position.scale_factor);
      },
      nb::arg("iteration"), nb::arg("total_size"), nb::arg("step_ratio"),
      nb::sig("def cyclic_position(iteration, total_size, step_ratio) -> tuple[float, float]"),
      "CyclicLR: (cycle, scale_factor) of an iteration.");
  optim.def(
      "cyclic_scale",
      [](std::string_view mode, double gamma, double x) {
        return schedule::cyclic_scale(schedule::cyclic_mode_from_name(mode), gamma, x);
      },
      nb::arg("mode"), nb::arg("gamma"), nb::arg("x"),
      nb::sig("def cyclic_scale(mode, gamma, x) -> float"),
      "CyclicLR's built-in scale_fn of a mode at x.");
  optim.def(
      "cyclic_scale_mode",
      [](std::string_view mode) {
        return schedule::cyclic_scales_by_cycle(schedule::cyclic_mode_from_name(mode))
                   ? "cycle"
                   : "iterations";
      },
      nb::arg("mode"), nb::sig("def cyclic_scale_mode(mode) -> str"),
      "CyclicLR's scale_mode of a built-in mode ('cycle' or 'iterations'); ValueError for an "
      "unknown mode.");
  optim.def("cyclic_lr", &schedule::cyclic_lr, nb::arg("base_lr"), nb::arg("max_lr"),
            nb::arg("scale_factor"), nb::arg("scale"),
            nb::sig("def cyclic_lr(base_lr, max_lr, scale_factor, scale) -> float"),
            "CyclicLR's lr: base_lr + (max_lr - base_lr) * scale_factor * scale.");
  optim.def("cyclic_momentum", &schedule::cyclic_momentum, nb::arg("base_momentum"),
            nb::arg("max_momentum"), nb::arg("scale_factor"), nb::arg("scale"),
            nb::sig("def cyclic_momentum(base_momentum, max_momentum, scale_factor, scale) -> "
                    "float"),
            "CyclicLR's momentum: max_momentum - (max_momentum - base_momentum) * "
            "scale_factor * scale.");
  optim.def("one_cycle_total_steps", &schedule::one_cycle_total_steps, nb::arg("total_steps"),
            nb::arg("epochs"), nb::arg("steps_per_epoch"),
            nb::sig("def one_cycle_total_steps(total_steps, epochs, steps_per_epoch) -> int"),
            "OneCycleLR's total steps: total_steps, or epochs * steps_per_epoch.");
  optim.def(
      "check_one_cycle",
      [](int64_t total_steps, double pct_start, std::string_view anneal_strategy) {
        schedule::check_one_cycle(total_steps, pct_start);
        schedule::anneal_strategy_from_name(anneal_strategy);
      },
      nb::arg("total_steps"), nb::arg("pct_start"), nb::arg("anneal_strategy"),
      nb::sig("def check_one_cycle(total_steps, pct_start, anneal_strategy) -> None"),
      "Raises ValueError for a bad pct_start or anneal_strategy.");
  optim.def(
      "one_cycle_value",
      [](int64_t step, int64_t total_steps, double pct_start, bool three_phase,
         std::string_view anneal_strategy, double start, double peak, double end) {
        return schedule::one_cycle_value(step, total_steps, pct_start, three_phase,
                                         schedule::anneal_strategy_from_name(anneal_strategy),
                                         start, peak, end);
      },
      nb::arg("step"), nb::arg("total_steps"), nb::arg("pct_start"), nb::arg("three_phase"),
      nb::arg("anneal_strategy"), nb::arg("start"), nb::arg("peak"), nb::arg("end"),
      nb::sig("def one_cycle_value(step, total_steps, pct_start, three_phase, anneal_strategy, "
              "start, peak, end) -> float"),
      "OneCycleLR's lr (start, peak, end = initial, max, min lr) or momentum (max, base, max "
      "momentum) at a step.");
}

void init_plateau(nb::module_& optim) {
  optim.def("check_plateau_factor", &schedule::check_plateau_factor, nb::arg("factor"),
            nb::sig("def check_plateau_factor(factor) -> None"),
            "Raises ValueError unless factor < 1.");
  optim.def("plateau_reduced_lr", &schedule::plateau_reduced_lr, nb::arg("lr"), nb::arg("factor"),
            nb::arg("min_lr"), nb::arg("eps"),
            nb::sig("def plateau_reduced_lr(lr, factor, min_lr, eps) -> float"),
            "ReduceLROnPlateau's reduced lr: max(lr * factor, min_lr), or lr when that changes "
            "it by eps or less.");
  nb::class_<schedule::PlateauTracker>(
      optim, "PlateauTracker",
      "ReduceLROnPlateau's state machine: best metric, bad epochs, cooldown.")
      .def(nb::init<std::string, double, std::string, int64_t, int64_t>(), nb::arg("mode"),
           nb::arg("threshold"), nb::arg("threshold_mode"), nb::arg("patience"),
           nb::arg("cooldown"),
           nb::sig("def __init__(self, mode, threshold, threshold_mode, patience, cooldown) -> "
                   "None"),
           "A tracker in its initial state; ValueError for an unknown mode or threshold_mode.")
      .def("is_better", &schedule::PlateauTracker::is_better, nb::arg("a"), nb::arg("best"),
           nb::sig("def is_better(self, a, best) -> bool"), "Whether metric a improves on best.")
      .def("step", &schedule::PlateauTracker::step, nb::arg("metric"),
           nb::sig("def step(self, metric) -> bool"),
           "Records an epoch's metric; True when the lr should be reduced now.")
      .def("reset", &schedule::PlateauTracker::reset, nb::sig("def reset(self) -> None"),
           "Back to the initial state.")
      .def_prop_ro("in_cooldown", &schedule::PlateauTracker::in_cooldown,
                   "Whether the tracker is waiting out a cooldown.")
      .def_prop_ro("mode_worse", &schedule::PlateauTracker::mode_worse,
                   "inf for mode 'min', -inf for 'max'.")
      .def_rw("best", &schedule::PlateauTracker::best, "The best metric so far.")
      .def_rw("num_bad_epochs", &schedule::PlateauTracker::num_bad_epochs,
              "Epochs without improvement since the last improvement or reduction.")
      .def_rw("cooldown_counter", &schedule::PlateauTracker::cooldown_counter,
              "Epochs of cooldown left.");
}

}  // namespace

void init_optim_schedulers(nb::module_& optim) {
  init_epoch_rules(optim);
  init_cycle_rules(optim);
  init_plateau(optim);
}

}  // namespace ember::python
