// The C++ schedulers' learning-rate sequences on an SGD optimizer with two param groups, against
// closed forms written here from PyTorch's definitions (the same sequences the Python tests check).
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <memory>
#include <numbers>
#include <vector>

#include "ember/base/error.h"
#include "ember/ops/ops.h"
#include "ember/optim/adam.h"
#include "ember/optim/schedulers/schedulers.h"
#include "ember/optim/sgd.h"

namespace ember::optim {
namespace {

constexpr double kPi = std::numbers::pi;
const std::vector<double> kBaseLrs{0.1, 0.25};

std::unique_ptr<SGD> make_sgd() {
  std::vector<OptimizerParamGroup> groups;
  groups.emplace_back(std::vector<Tensor>{ones({2}).requires_grad_(true)});
  groups.emplace_back(std::vector<Tensor>{ones({3}).requires_grad_(true)},
                      std::make_unique<SGDOptions>(0.25));
  return std::make_unique<SGD>(std::move(groups), SGDOptions(0.1).momentum(0.9));
}

std::vector<double> group_lrs(const Optimizer& optimizer) {
  std::vector<double> lrs;
  for (const auto& group : optimizer.param_groups()) lrs.push_back(group.options().get_lr());
  return lrs;
}

// Steps `epochs` times, checking each epoch's lrs (epoch 0: after the constructor).
template <typename Scheduler>
void expect_sequence(Optimizer& optimizer, Scheduler& scheduler, int64_t epochs,
                     const std::function<double(double, int64_t)>& closed_form) {
  for (int64_t epoch = 0; epoch < epochs; ++epoch) {
    const auto lrs = group_lrs(optimizer);
    EXPECT_EQ(lrs, scheduler.get_last_lr());
    for (size_t g = 0; g < lrs.size(); ++g)
      EXPECT_NEAR(lrs[g], closed_form(kBaseLrs[g], epoch), 1e-12) << "epoch " << epoch;
    scheduler.step();
  }
}

TEST(Schedulers, EpochSchedulersFollowTheirClosedForms) {
  {
    auto sgd = make_sgd();
    StepLR scheduler(*sgd, 3, 0.5);
    EXPECT_EQ(scheduler.last_epoch(), 0);
    expect_sequence(*sgd, scheduler, 40,
                    [](double b, int64_t e) { return b * std::pow(0.5, e / 3); });
  }
  {
    auto sgd = make_sgd();
    MultiStepLR scheduler(*sgd, {2, 5, 5}, 0.3);
    expect_sequence(*sgd, scheduler, 20,
                    [](double b, int64_t e) { return b * std::pow(0.3, (e >= 2) + 2 * (e >= 5)); });
  }
  {
    auto sgd = make_sgd();
    LambdaLR scheduler(*sgd, [](int64_t e) { return 1.0 / static_cast<double>(e + 1); });
    expect_sequence(*sgd, scheduler, 20,
                    [](double b, int64_t e) { return b / static_cast<double>(e + 1); });
  }
  {
    auto sgd = make_sgd();
    MultiplicativeLR scheduler(*sgd, [](int64_t) { return 0.95; });
    expect_sequence(*sgd, scheduler, 30, [](double b, int64_t e) { return b * std::pow(0.95, e); });
  }
  {
    auto sgd = make_sgd();
    ConstantLR scheduler(*sgd, 0.25, 7);
    expect_sequence(*sgd, scheduler, 20,
                    [](double b, int64_t e) { return b * (e < 7 ? 0.25 : 1.0); });
  }
  {
    auto sgd = make_sgd();
    LinearLR scheduler(*sgd, 0.1, 0.8, 9);
    expect_sequence(*sgd, scheduler, 20, [](double b, int64_t e) {
      return b * (0.1 + 0.7 * static_cast<double>(std::min<int64_t>(e, 9)) / 9.0);
    });
  }
  {
    auto sgd = make_sgd();
    ExponentialLR scheduler(*sgd, 0.93);
    expect_sequence(*sgd, scheduler, 40, [](double b, int64_t e) { return b * std::pow(0.93, e); });
  }
  {
    auto sgd = make_sgd();
    PolynomialLR scheduler(*sgd, 13, 2.0);
    expect_sequence(*sgd, scheduler, 20, [](double b, int64_t e) {
      return b * std::pow(1.0 - static_cast<double>(std::min<int64_t>(e, 13)) / 13.0, 2.0);
    });
  }
  {
    auto sgd = make_sgd();
    CosineAnnealingLR scheduler(*sgd, 7, 0.001);
    expect_sequence(*sgd, scheduler, 40, [](double b, int64_t e) {
      return 0.001 + (b - 0.001) * (1 + std::cos(kPi * static_cast<double>(e) / 7)) / 2;
    });
  }
}

TEST(Schedulers, StepWithAnEpochUsesTheClosedForm) {
  auto sgd = make_sgd();
  StepLR scheduler(*sgd, 3, 0.5);
  scheduler.step(7.0);
  EXPECT_EQ(scheduler.last_epoch(), 7);
  EXPECT_NEAR(group_lrs(*sgd)[1], 0.25 * 0.25, 1e-15);
}

TEST(Schedulers, WarmRestarts) {
  auto sgd = make_sgd();
  CosineAnnealingWarmRestarts scheduler(*sgd, 3, 2, 0.01);
  expect_sequence(*sgd, scheduler, 30, [](double b, int64_t e) {
    int64_t t_i = 3;
    int64_t t_cur = e;
    while (t_cur >= t_i) {
      t_cur -= t_i;
      t_i *= 2;
    }
    return 0.01 + (b - 0.01) *
                      (1 + std::cos(kPi * static_cast<double>(t_cur) / static_cast<double>(t_i))) /
                      2;
  });
  scheduler.step(4.5);  // 1.5 epochs into the second cycle, of 6
  EXPECT_NEAR(group_lrs(*sgd)[0], 0.01 + 0.09 * (1 + std::cos(kPi * 1.5 / 6)) / 2, 1e-12);
  EXPECT_THROW(CosineAnnealingWarmRestarts(*sgd, 0), ValueError);
}

TEST(Schedulers, CyclicLRMovesLrAndMomentum) {
  auto sgd = make_sgd();
  CyclicLR scheduler(*sgd, CyclicLROptions(0.01, 0.1).step_size_up(2).mode("triangular2"));
  // up 2, down 2; triangular2 halves the amplitude each cycle.
  const std::vector<double> lrs{0.01, 0.055, 0.1, 0.055, 0.01, 0.0325, 0.055};
  const std::vector<double> momenta{0.9, 0.85, 0.8, 0.85, 0.9, 0.875, 0.85};
  for (size_t i = 0; i < lrs.size(); ++i) {
    for (const auto& group : sgd->param_groups()) {
      EXPECT_NEAR(group.options().get_lr(), lrs[i], 1e-12) << i;
      EXPECT_NEAR(static_cast<const SGDOptions&>(group.options()).momentum(), momenta[i], 1e-12);
    }
    scheduler.step();
  }
  EXPECT_THROW(CyclicLR(*sgd, CyclicLROptions(0.01, 0.1).mode("square")), ValueError);
}

TEST(Schedulers, OneCycleLR) {
  auto sgd = make_sgd();
  OneCycleLR scheduler(
      *sgd,
      OneCycleLROptions(1.0, 10).anneal_strategy("linear").div_factor(4.0).final_div_factor(1e9));
  // Up from 0.25 to 1 over steps 0..2, then down to ~0 at step 9.
  const std::vector<double> lrs{0.25, 0.625, 1.0, 1.0 - 1.0 / 7};
  for (double lr : lrs) {
    EXPECT_NEAR(group_lrs(*sgd)[0], lr, 1e-9);
    scheduler.step();
  }
  EXPECT_NEAR(static_cast<const SGDOptions&>(sgd->param_groups()[0].options()).momentum(),
              0.85 + 0.2 / 7, 1e-12);  // step 4: 2/7 of the way back up
  EXPECT_THROW(OneCycleLR(*sgd, OneCycleLROptions(1.0, 10).pct_start(2.0)), ValueError);
}

TEST(Schedulers, OneCycleLRCyclesAdamsBeta1) {
  Adam adam(std::vector<Tensor>{ones({2}).requires_grad_(true)},
            AdamOptions(0.1).betas({0.9, 0.99}));
  OneCycleLR scheduler(adam, OneCycleLROptions(1.0, 10).anneal_strategy("linear"));
  const auto betas = [&] {
    return static_cast<const AdamOptions&>(adam.param_groups()[0].options()).betas();
  };
  EXPECT_NEAR(std::get<0>(betas()), 0.95, 1e-12);  // max_momentum at the start
  EXPECT_NEAR(std::get<1>(betas()), 0.99, 1e-12);  // beta2 untouched
  scheduler.step();
  EXPECT_NEAR(std::get<0>(betas()), 0.9, 1e-12);  // halfway down to base_momentum
}

TEST(Schedulers, ReduceLROnPlateau) {
  auto sgd = make_sgd();
  ReduceLROnPlateauScheduler scheduler(*sgd, ReduceLROnPlateauScheduler::min, 0.5, 2, 1e-4,
                                       ReduceLROnPlateauScheduler::rel, 1, {0.0, 0.09});
  const std::vector<double> metrics{5, 4, 4, 4, 4, 4, 4, 3.9999, 4, 4, 1, 1, 1, 1};
  const std::vector<std::vector<double>> expected{
      {0.1, 0.25},   {0.1, 0.25},   {0.1, 0.25},   {0.1, 0.25},   {0.05, 0.125},
      {0.05, 0.125}, {0.05, 0.125}, {0.05, 0.125}, {0.025, 0.09}, {0.025, 0.09},
      {0.025, 0.09}, {0.025, 0.09}, {0.025, 0.09}, {0.0125, 0.09}};
  for (size_t i = 0; i < metrics.size(); ++i) {
    scheduler.step(metrics[i]);
    EXPECT_NEAR(scheduler.get_last_lr()[0], expected[i][0], 1e-15) << i;
    EXPECT_NEAR(scheduler.get_last_lr()[1], expected[i][1], 1e-15) << i;
  }
  EXPECT_THROW(ReduceLROnPlateauScheduler(*sgd, ReduceLROnPlateauScheduler::min, 1.0), ValueError);
  EXPECT_THROW(ReduceLROnPlateauScheduler(*sgd, ReduceLROnPlateauScheduler::min, 0.1, 10, 1e-4,
                                          ReduceLROnPlateauScheduler::rel, 0, {0.1, 0.2, 0.3}),
               ValueError);
}

TEST(Schedulers, SequentialWarmupThenCosineAndChained) {
  auto sgd = make_sgd();
  auto warmup = std::make_shared<LinearLR>(*sgd, 0.1, 1.0, 5);
  auto cosine = std::make_shared<CosineAnnealingLR>(*sgd, 20);
  SequentialLR scheduler(*sgd, {warmup, cosine}, {5});
  expect_sequence(*sgd, scheduler, 30, [](double b, int64_t e) {
    if (e < 5) return b * (0.1 + 0.9 * static_cast<double>(e) / 5);
    return b * (1 + std::cos(kPi * static_cast<double>(e - 5) / 20)) / 2;
  });
  EXPECT_THROW(SequentialLR(*sgd, {warmup, cosine}, {}), ValueError);

  auto sgd2 = make_sgd();
  auto constant = std::make_shared<ConstantLR>(*sgd2, 0.1, 4);
  auto exponential = std::make_shared<ExponentialLR>(*sgd2, 0.9);
  ChainedScheduler chained({constant, exponential});
  expect_sequence(*sgd2, chained, 20,
                  [](double b, int64_t e) { return b * (e < 4 ? 0.1 : 1.0) * std::pow(0.9, e); });
  auto other = make_sgd();
  EXPECT_THROW(ChainedScheduler({constant, std::make_shared<StepLR>(*other, 2)}), ValueError);
}

}  // namespace
}  // namespace ember::optim
