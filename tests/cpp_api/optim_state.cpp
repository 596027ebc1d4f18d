// The optimizer frontend's state as a libtorch user meets it: step hooks with removable handles,
// an LBFGS whose state dict (history included) resumes bit for bit, and a warm-up + decay
// SequentialLR whose state dict resumes the same learning-rate sequence.
#include <ember/ember.h>

#include <memory>
#include <vector>

#include "check.h"

namespace torch = ember;

namespace {

torch::Tensor quadratic(const torch::Tensor& w) { return ((w - 3) * (w - 3) * (w + 1)).sum(); }

double lr_of(torch::optim::Optimizer& optimizer) {
  return optimizer.param_groups()[0].options().get_lr();
}

}  // namespace

int main() {
  // Step hooks.
  torch::Tensor w = torch::ones({3}, torch::requires_grad());
  torch::optim::SGD sgd({w}, torch::optim::SGDOptions(0.01));
  int pre = 0, post = 0;
  auto pre_handle = sgd.register_step_pre_hook(
      [&](torch::optim::Optimizer&, std::function<torch::Tensor()>&) { ++pre; });
  auto post_handle = sgd.register_step_post_hook(
      [&](torch::optim::Optimizer&, const std::function<torch::Tensor()>&) { ++post; });
  for (int i = 0; i < 3; ++i) {
    sgd.zero_grad();
    quadratic(w).backward();
    sgd.step();
  }
  pre_handle.remove();
  sgd.step();
  CHECK(pre == 3 && post == 4);
  post_handle.remove();

  // LBFGS resumed from its state dict.
  torch::Tensor a = torch::full({3}, 0.5, torch::requires_grad());
  torch::optim::LBFGS lbfgs({a}, torch::optim::LBFGSOptions(0.5).max_iter(4));
  auto closure_of = [](torch::optim::LBFGS& optimizer, torch::Tensor& p) {
    return [&optimizer, &p] {
      optimizer.zero_grad();
      torch::Tensor loss = quadratic(p);
      loss.backward();
      return loss;
    };
  };
  lbfgs.step(closure_of(lbfgs, a));
  const auto saved = lbfgs.state_dict();
  CHECK(saved.state_lists.at(0).at("old_dirs").size() > 0);
  torch::Tensor b = a.detach().clone().requires_grad_();
  torch::optim::LBFGS resumed({b}, torch::optim::LBFGSOptions(0.5).max_iter(4));
  resumed.load_state_dict(saved);
  lbfgs.step(closure_of(lbfgs, a));
  resumed.step(closure_of(resumed, b));
  CHECK(a.equal(b));

  // A scheduler resumed from its state dict.
  auto make = [](torch::optim::Optimizer& optimizer) {
    auto warmup = std::make_shared<torch::optim::LinearLR>(optimizer, 0.1, 1.0, 3);
    auto cosine = std::make_shared<torch::optim::CosineAnnealingLR>(optimizer, 5);
    return std::make_unique<torch::optim::SequentialLR>(
        optimizer, std::vector<std::shared_ptr<torch::optim::LRScheduler>>{warmup, cosine},
        std::vector<int64_t>{3});
  };
  torch::optim::SGD first({torch::zeros({1}, torch::requires_grad())},
                          torch::optim::SGDOptions(1.0));
  auto schedule = make(first);
  for (int i = 0; i < 4; ++i) schedule->step();
  torch::optim::SGD second({torch::zeros({1}, torch::requires_grad())},
                           torch::optim::SGDOptions(1.0));
  auto resumed_schedule = make(second);
  second.load_state_dict(first.state_dict());
  resumed_schedule->load_state_dict(schedule->state_dict());
  for (int i = 0; i < 4; ++i) {
    schedule->step();
    resumed_schedule->step();
    CHECK(lr_of(first) == lr_of(second));
  }
  return 0;
}
