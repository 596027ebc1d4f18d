// The schedulers' rules against values derived by hand from PyTorch's definitions, and each
// chainable form against its closed form over many epochs.
#include "ember/optim/schedulers/schedule_rules.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <numbers>

#include "ember/base/error.h"
#include "ember/optim/schedulers/plateau.h"

namespace ember::optim::schedule {
namespace {

constexpr double kTol = 1e-12;

// Runs a chainable rule from base_lr for `epochs` epochs (epoch 0 is the constructor's step)
// and checks every lr against the closed form.
void expect_chain_matches_closed_form(const std::function<double(double, int64_t)>& chain,
                                      const std::function<double(int64_t)>& closed, double base_lr,
                                      int64_t epochs) {
  double lr = base_lr;
  for (int64_t epoch = 0; epoch < epochs; ++epoch) {
    lr = chain(lr, epoch);
    EXPECT_NEAR(lr, closed(epoch), kTol * std::max(1.0, std::abs(closed(epoch))))
        << "epoch " << epoch;
  }
}

TEST(ScheduleRules, StepLRHandValues) {
  // base 1, step 3, gamma 0.5: 1,1,1,.5,.5,.5,.25
  EXPECT_DOUBLE_EQ(step_lr_closed_form(1.0, 2, 3, 0.5), 1.0);
  EXPECT_DOUBLE_EQ(step_lr_closed_form(1.0, 3, 3, 0.5), 0.5);
  EXPECT_DOUBLE_EQ(step_lr_closed_form(1.0, 6, 3, 0.5), 0.25);
  EXPECT_DOUBLE_EQ(step_lr(0.5, 4, 3, 0.5), 0.5);
  EXPECT_DOUBLE_EQ(step_lr(0.5, 6, 3, 0.5), 0.25);
  EXPECT_DOUBLE_EQ(step_lr(1.0, 0, 3, 0.5), 1.0);
  expect_chain_matches_closed_form([](double lr, int64_t e) { return step_lr(lr, e, 3, 0.1); },
                                   [](int64_t e) { return step_lr_closed_form(0.2, e, 3, 0.1); },
                                   0.2, 40);
  EXPECT_THROW(step_lr(1.0, 1, 0, 0.5), ValueError);
}

TEST(ScheduleRules, MultiStepLRCountsRepeatedMilestones) {
  const std::vector<int64_t> milestones{2, 5, 5};
  EXPECT_DOUBLE_EQ(multi_step_lr(1.0, 2, milestones, 0.1), 0.1);
  EXPECT_NEAR(multi_step_lr(0.1, 5, milestones, 0.1), 0.001, kTol);
  EXPECT_DOUBLE_EQ(multi_step_lr(0.1, 4, milestones, 0.1), 0.1);
  EXPECT_NEAR(multi_step_lr_closed_form(1.0, 7, milestones, 0.1), 0.001, kTol);
  expect_chain_matches_closed_form(
      [&](double lr, int64_t e) { return multi_step_lr(lr, e, milestones, 0.5); },
      [&](int64_t e) { return multi_step_lr_closed_form(3.0, e, milestones, 0.5); }, 3.0, 12);
}

TEST(ScheduleRules, ConstantAndLinearLR) {
  // ConstantLR factor 0.5 for 4 epochs: .5,.5,.5,.5,1
  EXPECT_DOUBLE_EQ(constant_lr(1.0, 0, 0.5, 4), 0.5);
  EXPECT_DOUBLE_EQ(constant_lr(0.5, 3, 0.5, 4), 0.5);
  EXPECT_DOUBLE_EQ(constant_lr(0.5, 4, 0.5, 4), 1.0);
  EXPECT_DOUBLE_EQ(constant_lr_closed_form(1.0, 9, 0.5, 4), 1.0);
  expect_chain_matches_closed_form(
      [](double lr, int64_t e) { return constant_lr(lr, e, 0.25, 5); },
      [](int64_t e) { return constant_lr_closed_form(0.1, e, 0.25, 5); }, 0.1, 12);
  EXPECT_THROW(check_constant_lr(1.5), ValueError);
  // LinearLR 0.25 -> 1 over 3 epochs: .25, .5, .75, 1, 1
  EXPECT_DOUBLE_EQ(linear_lr_closed_form(1.0, 1, 0.25, 1.0, 3), 0.5);
  EXPECT_DOUBLE_EQ(linear_lr(0.25, 1, 0.25, 1.0, 3), 0.5);
  EXPECT_DOUBLE_EQ(linear_lr(0.5, 2, 0.25, 1.0, 3), 0.75);
  expect_chain_matches_closed_form(
      [](double lr, int64_t e) { return linear_lr(lr, e, 0.1, 0.9, 7); },
      [](int64_t e) { return linear_lr_closed_form(0.3, e, 0.1, 0.9, 7); }, 0.3, 15);
  EXPECT_THROW(check_linear_lr(0.0, 1.0), ValueError);
  EXPECT_THROW(check_linear_lr(0.5, 1.5), ValueError);
}

TEST(ScheduleRules, ExponentialPolynomialMultiplicative) {
  EXPECT_DOUBLE_EQ(exponential_lr(1.0, 0, 0.9), 1.0);
  EXPECT_DOUBLE_EQ(exponential_lr(1.0, 1, 0.9), 0.9);
  EXPECT_NEAR(exponential_lr_closed_form(1.0, 3, 0.9), 0.729, kTol);
  // PolynomialLR total 4, power 2: (1 - e/4)^2 = 1, .5625, .25, .0625, 0, 0
  EXPECT_DOUBLE_EQ(polynomial_lr_closed_form(1.0, 1, 4, 2.0), 0.5625);
  EXPECT_DOUBLE_EQ(polynomial_lr(1.0, 1, 4, 2.0), 0.5625);
  EXPECT_DOUBLE_EQ(polynomial_lr(0.0, 6, 4, 2.0), 0.0);
  expect_chain_matches_closed_form(
      [](double lr, int64_t e) { return polynomial_lr(lr, e, 9, 1.5); },
      [](int64_t e) { return polynomial_lr_closed_form(0.4, e, 9, 1.5); }, 0.4, 9);
  EXPECT_DOUBLE_EQ(multiplicative_lr(2.0, 0, 0.5), 2.0);
  EXPECT_DOUBLE_EQ(multiplicative_lr(2.0, 1, 0.5), 1.0);
  EXPECT_DOUBLE_EQ(lambda_lr(0.5, 3.0), 1.5);
}

TEST(ScheduleRules, CosineAnnealingFollowsTheClosedFormThroughRestarts) {
  // T_max 2, eta_min 0: 1, .5, 0, .5, 1 (the chainable form rises back after T_max).
  EXPECT_NEAR(cosine_annealing_lr_closed_form(1.0, 1, 2, 0.0), 0.5, kTol);
  EXPECT_NEAR(cosine_annealing_lr_closed_form(1.0, 2, 2, 0.0), 0.0, kTol);
  double lr = 1.0;
  const std::vector<double> expected{1.0, 0.5, 0.0, 0.5, 1.0, 0.5, 0.0};
  for (int64_t epoch = 0; epoch < 7; ++epoch) {
    lr = cosine_annealing_lr(lr, 1.0, epoch, epoch + 1, 2, 0.0);
    EXPECT_NEAR(lr, expected[epoch], 1e-12) << epoch;
  }
  double chained = 0.1;
  for (int64_t epoch = 0; epoch < 50; ++epoch) {
    chained = cosine_annealing_lr(chained, 0.1, epoch, epoch + 1, 7, 0.01);
    EXPECT_NEAR(chained, cosine_annealing_lr_closed_form(0.1, epoch, 7, 0.01), 1e-12) << epoch;
  }
  // The first step after resuming at epoch 3 takes the closed form.
  EXPECT_NEAR(cosine_annealing_lr(123.0, 1.0, 3, 1, 4, 0.0),
              cosine_annealing_lr_closed_form(1.0, 3, 4, 0.0), kTol);
  EXPECT_THROW(cosine_annealing_lr_closed_form(1.0, 1, 0, 0.0), ValueError);
}

TEST(ScheduleRules, WarmRestarts) {
  // T_0 2, T_mult 2: cycles of 2, 4, 8 epochs; restarts at epochs 2 and 6.
  WarmRestartsPosition pos{0.0, 2};
  const std::vector<std::pair<double, int64_t>> expected{{1, 2}, {0, 4}, {1, 4}, {2, 4},
                                                         {3, 4}, {0, 8}, {1, 8}};
  for (const auto& [t_cur, t_i] : expected) {
    pos = warm_restarts_advance(pos.t_cur, pos.t_i, 2);
    EXPECT_DOUBLE_EQ(pos.t_cur, t_cur);
    EXPECT_EQ(pos.t_i, t_i);
  }
  const auto at7 = warm_restarts_at_epoch(7.0, 2, 2);
  EXPECT_DOUBLE_EQ(at7.t_cur, 1.0);
  EXPECT_EQ(at7.t_i, 8);
  const auto at_half = warm_restarts_at_epoch(6.5, 3, 1);
  EXPECT_DOUBLE_EQ(at_half.t_cur, 0.5);
  EXPECT_EQ(at_half.t_i, 3);
  EXPECT_NEAR(cosine_warm_restarts_lr(1.0, 1.0, 4, 0.0), (1 + std::cos(std::numbers::pi / 4)) / 2,
              kTol);
  EXPECT_THROW(warm_restarts_at_epoch(-1.0, 2, 2), ValueError);
  EXPECT_THROW(check_warm_restarts(0, 1), ValueError);
  EXPECT_THROW(check_warm_restarts(2, 0), ValueError);
}

TEST(ScheduleRules, CyclicLRTriangularModes) {
  // up 2, down 2: scale factors 0, .5, 1, .5, 0, ...
  const std::vector<double> factors{0.0, 0.5, 1.0, 0.5, 0.0, 0.5};
  for (int64_t i = 0; i < 6; ++i)
    EXPECT_NEAR(cyclic_position(i, 4.0, 0.5).scale_factor, factors[i], kTol) << i;
  EXPECT_DOUBLE_EQ(cyclic_position(5, 4.0, 0.5).cycle, 2.0);
  // up 1, down 3: 0, 1, 2/3, 1/3, 0
  EXPECT_NEAR(cyclic_position(2, 4.0, 0.25).scale_factor, 2.0 / 3.0, kTol);
  EXPECT_DOUBLE_EQ(cyclic_scale(CyclicMode::triangular2, 1.0, 3.0), 0.25);
  EXPECT_DOUBLE_EQ(cyclic_scale(CyclicMode::exp_range, 0.5, 3.0), 0.125);
  EXPECT_DOUBLE_EQ(cyclic_lr(1.0, 3.0, 0.5, 0.5), 1.5);
  EXPECT_DOUBLE_EQ(cyclic_momentum(0.8, 0.9, 1.0, 1.0), 0.8);
  EXPECT_TRUE(cyclic_scales_by_cycle(cyclic_mode_from_name("triangular2")));
  EXPECT_FALSE(cyclic_scales_by_cycle(cyclic_mode_from_name("exp_range")));
  EXPECT_THROW(cyclic_mode_from_name("square"), ValueError);
  EXPECT_THROW(cyclic_position(1, 0.0, 0.5), ValueError);
}

TEST(ScheduleRules, OneCycleLR) {
  // 10 steps, pct_start 0.3, linear: up over steps 0..2 (end_step 2), down over 2..9.
  const auto linear = AnnealStrategy::linear;
  EXPECT_DOUBLE_EQ(one_cycle_value(0, 10, 0.3, false, linear, 1.0, 4.0, 0.0), 1.0);
  EXPECT_DOUBLE_EQ(one_cycle_value(1, 10, 0.3, false, linear, 1.0, 4.0, 0.0), 2.5);
  EXPECT_DOUBLE_EQ(one_cycle_value(2, 10, 0.3, false, linear, 1.0, 4.0, 0.0), 4.0);
  EXPECT_NEAR(one_cycle_value(9, 10, 0.3, false, linear, 1.0, 4.0, 0.0), 0.0, kTol);
  // cos: halfway up is the mean.
  EXPECT_NEAR(one_cycle_value(1, 10, 0.3, false, AnnealStrategy::cos, 1.0, 4.0, 0.0), 2.5, kTol);
  // Three phases, 10 steps, pct 0.3: up to step 2, down to start by step 4, then to end at 9.
  EXPECT_DOUBLE_EQ(one_cycle_value(4, 10, 0.3, true, linear, 1.0, 4.0, 0.0), 1.0);
  EXPECT_DOUBLE_EQ(one_cycle_value(3, 10, 0.3, true, linear, 1.0, 4.0, 0.0), 2.5);
  EXPECT_NEAR(one_cycle_value(9, 10, 0.3, true, linear, 1.0, 4.0, 0.0), 0.0, kTol);
  EXPECT_THROW(one_cycle_value(11, 10, 0.3, false, linear, 1.0, 4.0, 0.0), ValueError);
  EXPECT_THROW(check_one_cycle(10, 1.5), ValueError);
  EXPECT_EQ(one_cycle_total_steps(std::nullopt, 3, 4), 12);
  EXPECT_EQ(one_cycle_total_steps(7, std::nullopt, std::nullopt), 7);
  EXPECT_THROW(one_cycle_total_steps(std::nullopt, 3, std::nullopt), ValueError);
  EXPECT_THROW(one_cycle_total_steps(0, std::nullopt, std::nullopt), ValueError);
  EXPECT_THROW(anneal_strategy_from_name("step"), ValueError);
}

TEST(PlateauTracker, ReducesAfterPatienceThenCoolsDown) {
  PlateauTracker tracker("min", 0.1, "rel", 1, 1);
  EXPECT_FALSE(tracker.step(10.0));  // best 10
  EXPECT_FALSE(tracker.step(9.5));   // not below 9: bad 1
  EXPECT_TRUE(tracker.step(9.5));    // bad 2 > patience: reduce, cooldown 1
  EXPECT_EQ(tracker.cooldown_counter, 1);
  EXPECT_FALSE(tracker.step(9.5));  // in cooldown: bad epochs reset
  EXPECT_EQ(tracker.num_bad_epochs, 0);
  EXPECT_FALSE(tracker.step(9.5));
  EXPECT_TRUE(tracker.step(9.5));
  EXPECT_DOUBLE_EQ(tracker.best, 10.0);
}

TEST(PlateauTracker, ModesAndThresholds) {
  EXPECT_TRUE(PlateauTracker("max", 0.5, "abs", 0, 0).is_better(1.6, 1.0));
  EXPECT_FALSE(PlateauTracker("max", 0.5, "abs", 0, 0).is_better(1.5, 1.0));
  EXPECT_TRUE(PlateauTracker("max", 0.5, "rel", 0, 0).is_better(1.6, 1.0));
  EXPECT_FALSE(PlateauTracker("min", 0.5, "abs", 0, 0).is_better(0.5, 1.0));
  EXPECT_EQ(PlateauTracker("max", 0.1, "rel", 0, 0).best, -INFINITY);
  EXPECT_THROW(PlateauTracker("median", 0.1, "rel", 0, 0), ValueError);
  EXPECT_THROW(PlateauTracker("min", 0.1, "ratio", 0, 0), ValueError);
  EXPECT_DOUBLE_EQ(plateau_reduced_lr(1.0, 0.1, 0.0, 1e-8), 0.1);
  EXPECT_THROW(check_plateau_factor(1.0), ValueError);
  EXPECT_DOUBLE_EQ(plateau_reduced_lr(1.0, 0.1, 0.5, 1e-8), 0.5);
  EXPECT_DOUBLE_EQ(plateau_reduced_lr(1e-9, 0.1, 0.0, 1e-8), 1e-9);  // change below eps
}

}  // namespace
}  // namespace ember::optim::schedule
