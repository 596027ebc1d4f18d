// libtorch's learning-rate schedulers as a libtorch program uses them: StepLR and
// ReduceLROnPlateauScheduler stepping an SGD optimizer's lr while it trains, then a warm-up +
// cosine schedule. ember's schedulers take PyTorch's first step in their constructor, so the lr
// after n steps is the schedule's value at epoch n.
#include <ember/ember.h>

#include <cmath>
#include <memory>
#include <vector>

#include "check.h"

namespace torch = ember;

int main() {
  torch::manual_seed(0);
  torch::nn::Linear model(3, 1);
  const auto x = torch::randn({16, 3});
  const auto y = x.sum(1, true);
  torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.1));

  torch::optim::StepLR step_lr(optimizer, /*step_size=*/2, /*gamma=*/0.5);
  for (int epoch = 0; epoch < 6; ++epoch) {
    CHECK(std::abs(optimizer.param_groups()[0].options().get_lr() -
                   0.1 * std::pow(0.5, epoch / 2)) < 1e-12);
    optimizer.zero_grad();
    torch::mse_loss(model(x), y).backward();
    optimizer.step();
    step_lr.step();
  }
  CHECK(step_lr.get_last_lr().size() == 1);

  torch::optim::ReduceLROnPlateauScheduler plateau(
      optimizer, torch::optim::ReduceLROnPlateauScheduler::SchedulerMode::min, /*factor=*/0.5,
      /*patience=*/0);
  const double before = optimizer.param_groups()[0].options().get_lr();
  plateau.step(1.0);
  plateau.step(2.0);  // worse: patience 0 reduces at once
  CHECK(std::abs(plateau.get_last_lr()[0] - before * 0.5) < 1e-15);

  torch::optim::SGD fresh(model->parameters(), torch::optim::SGDOptions(1.0));
  auto warmup = std::make_shared<torch::optim::LinearLR>(fresh, 0.25, 1.0, 4);
  auto cosine = std::make_shared<torch::optim::CosineAnnealingLR>(fresh, 8);
  torch::optim::SequentialLR schedule(fresh, {warmup, cosine}, {4});
  std::vector<double> lrs;
  for (int i = 0; i < 12; ++i) {
    lrs.push_back(schedule.get_last_lr()[0]);
    schedule.step();
  }
  CHECK(std::abs(lrs[0] - 0.25) < 1e-12 && std::abs(lrs[2] - 0.625) < 1e-12);
  CHECK(std::abs(lrs[4] - 1.0) < 1e-12 && std::abs(lrs[8] - 0.5) < 1e-12);
  CHECK(lrs[11] < lrs[10] && lrs[11] > 0);
  return 0;
}
