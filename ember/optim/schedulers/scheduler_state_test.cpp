// Scheduler state dicts in Python's layout (round trips that continue the same lr sequence), the
// groups' initial_lr, and the base lrs of SequentialLR and ChainedScheduler against PyTorch's
// sequences (torch 1.13, parts built in the other order than they run).
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "ember/base/error.h"
#include "ember/ops/ops.h"
#include "ember/optim/schedulers/schedulers.h"
#include "ember/optim/sgd.h"

namespace ember::optim {
namespace {

std::unique_ptr<SGD> make_sgd(double lr) {
  return std::make_unique<SGD>(std::vector<Tensor>{zeros({1}).requires_grad_()}, SGDOptions(lr));
}

double lr_of(const Optimizer& optimizer) { return optimizer.param_groups()[0].options().get_lr(); }

// The lr now and after each of `steps` steps.
template <typename Scheduler>
std::vector<double> lrs(Optimizer& optimizer, Scheduler& scheduler, int steps) {
  std::vector<double> result{lr_of(optimizer)};
  for (int i = 0; i < steps; ++i) {
    scheduler.step();
    result.push_back(lr_of(optimizer));
  }
  return result;
}

void expect_near(const std::vector<double>& actual, const std::vector<double>& expected) {
  ASSERT_EQ(actual.size(), expected.size());
  for (size_t i = 0; i < actual.size(); ++i) EXPECT_NEAR(actual[i], expected[i], 1e-12) << i;
}

TEST(CompositeBaseLrs, SequentialLRPartsShareTheInitialLr) {
  auto sgd = make_sgd(1.0);
  auto linear = std::make_shared<LinearLR>(*sgd, 0.5, 1.0, 2);  // built first: lr 0.5
  auto exponential = std::make_shared<ExponentialLR>(*sgd, 0.9);
  SequentialLR sequential(*sgd, {exponential, linear}, {2});
  // torch: SequentialLR(o, [ExponentialLR(o, 0.9), LinearLR(o, 0.5, total_iters=2)], [2]).
  expect_near(lrs(*sgd, sequential, 4), {1.0, 0.9, 0.5, 0.75, 1.0});
  EXPECT_EQ(exponential->base_lrs(), std::vector<double>{1.0});
}

TEST(CompositeBaseLrs, ChainedSchedulerPartsShareTheInitialLr) {
  auto sgd = make_sgd(1.0);
  auto linear = std::make_shared<LinearLR>(*sgd, 0.5, 1.0, 2);
  auto exponential = std::make_shared<ExponentialLR>(*sgd, 0.9);
  ChainedScheduler chained({exponential, linear});
  expect_near(lrs(*sgd, chained, 4), {0.5, 0.675, 0.81, 0.729, 0.6561});
  EXPECT_EQ(linear->base_lrs(), std::vector<double>{1.0});
  EXPECT_EQ(exponential->base_lrs(), std::vector<double>{1.0});
}

TEST(InitialLr, InTheOptimizerStateDictAndRestored) {
  auto sgd = make_sgd(0.4);
  EXPECT_EQ(sgd->state_dict().param_groups[0].count("initial_lr"), 0u);
  StepLR step(*sgd, 1, 0.5);
  step.step();
  const OptimizerStateDict saved = sgd->state_dict();
  EXPECT_DOUBLE_EQ(std::get<double>(saved.param_groups[0].at("initial_lr")), 0.4);
  auto other = make_sgd(0.9);
  other->load_state_dict(saved);
  EXPECT_EQ(other->param_groups()[0].options().initial_lr(), 0.4);
  StepLR later(*other, 1, 0.5);  // a scheduler built after loading takes the saved initial lr
  EXPECT_EQ(later.base_lrs(), std::vector<double>{0.4});
}

TEST(SchedulerStateDict, PythonsKeys) {
  auto sgd = make_sgd(1.0);
  StepLR step(*sgd, 2, 0.5);
  const LRSchedulerStateDict state = step.state_dict();
  for (const char* key : {"base_lrs", "last_epoch", "_step_count", "_last_lr", "verbose",
                          "_get_lr_called_within_step"}) {
    EXPECT_EQ(state.values.count(key), 1u) << key;
  }
  EXPECT_EQ(std::get<int64_t>(state.values.at("last_epoch")), 0);
  EXPECT_EQ(std::get<int64_t>(state.values.at("_step_count")), 1);
}

// Runs `make`'s scheduler 5 steps; and 2 steps, a save, a restore into fresh ones and 3 more:
// the same lrs.
template <typename Make>
void expect_round_trip(Make make) {
  auto reference_sgd = make_sgd(1.0);
  auto reference = make(*reference_sgd);
  const std::vector<double> expected = lrs(*reference_sgd, *reference, 5);

  auto sgd = make_sgd(1.0);
  auto scheduler = make(*sgd);
  lrs(*sgd, *scheduler, 2);
  const OptimizerStateDict optimizer_state = sgd->state_dict();
  const LRSchedulerStateDict scheduler_state = scheduler->state_dict();

  auto resumed_sgd = make_sgd(1.0);
  auto resumed = make(*resumed_sgd);
  resumed_sgd->load_state_dict(optimizer_state);
  resumed->load_state_dict(scheduler_state);
  const std::vector<double> rest = lrs(*resumed_sgd, *resumed, 3);
  expect_near(rest, std::vector<double>(expected.begin() + 2, expected.end()));
}

TEST(SchedulerStateDict, RoundTripsContinueTheSequence) {
  expect_round_trip([](Optimizer& o) { return std::make_unique<StepLR>(o, 2, 0.5); });
  expect_round_trip([](Optimizer& o) { return std::make_unique<CosineAnnealingLR>(o, 4); });
  expect_round_trip(
      [](Optimizer& o) { return std::make_unique<CosineAnnealingWarmRestarts>(o, 2, 2); });
  expect_round_trip([](Optimizer& o) {
    auto warmup = std::make_shared<LinearLR>(o, 0.1, 1.0, 2);
    auto decay = std::make_shared<ExponentialLR>(o, 0.5);
    return std::make_unique<SequentialLR>(
        o, std::vector<std::shared_ptr<LRScheduler>>{warmup, decay}, std::vector<int64_t>{2});
  });
  expect_round_trip([](Optimizer& o) {
    auto a = std::make_shared<StepLR>(o, 1, 0.9);
    auto b = std::make_shared<LinearLR>(o, 0.5, 1.0, 3);
    return std::make_unique<ChainedScheduler>(std::vector<std::shared_ptr<LRScheduler>>{a, b});
  });
}

TEST(SchedulerStateDict, ReduceLROnPlateauRoundTrip) {
  auto sgd = make_sgd(1.0);
  ReduceLROnPlateauScheduler plateau(*sgd, ReduceLROnPlateauScheduler::min, 0.5, 1);
  for (double metric : {1.0, 2.0}) plateau.step(metric);
  const LRSchedulerStateDict saved = plateau.state_dict();
  EXPECT_EQ(std::get<int64_t>(saved.values.at("num_bad_epochs")), 1);
  EXPECT_EQ(std::get<std::string>(saved.values.at("mode")), "min");
  auto other_sgd = make_sgd(1.0);
  ReduceLROnPlateauScheduler other(*other_sgd, ReduceLROnPlateauScheduler::min, 0.5, 1);
  other.load_state_dict(saved);
  plateau.step(2.0);
  other.step(2.0);  // the second bad epoch: both reduce
  EXPECT_EQ(lr_of(*sgd), 0.5);
  EXPECT_EQ(lr_of(*other_sgd), 0.5);
  EXPECT_EQ(other.last_epoch(), plateau.last_epoch());
}

TEST(SchedulerStateDict, Errors) {
  auto sgd = make_sgd(1.0);
  StepLR step(*sgd, 2, 0.5);
  LRSchedulerStateDict bad = step.state_dict();
  bad.values["last_epoch"] = std::string("three");
  EXPECT_THROW(step.load_state_dict(bad), TypeError);
  auto part = std::make_shared<ExponentialLR>(*sgd, 0.9);
  ChainedScheduler chained({part});
  LRSchedulerStateDict no_parts = chained.state_dict();
  no_parts.schedulers.clear();
  EXPECT_THROW(chained.load_state_dict(no_parts), ValueError);
}

}  // namespace
}  // namespace ember::optim
