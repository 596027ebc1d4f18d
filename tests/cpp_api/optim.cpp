// libtorch's optimizer tutorial shape: a Sequential trained with torch::optim::SGD (momentum) and
// torch::optim::Adam (AdamOptions chained), per-group learning rates set through param_groups(),
// a closure passed to step, a group added mid-training, and the state of each parameter.
#include <ember/ember.h>

#include <iostream>
#include <memory>
#include <vector>

#include "check.h"

namespace torch = ember;

// Trains `model` on y = x . (1, -2, 0.5) + 0.3 for `steps` steps; the first and last loss.
template <typename Optimizer>
std::pair<float, float> train(torch::nn::Sequential& model, Optimizer& optimizer, int steps) {
  const torch::Tensor x = torch::randn({64, 3});
  const torch::Tensor y = x.matmul(torch::tensor({1.0f, -2.0f, 0.5f})).unsqueeze(1) + 0.3;
  float first = 0, last = 0;
  for (int step = 0; step < steps; ++step) {
    torch::Tensor loss = optimizer.step([&] {
      optimizer.zero_grad();
      torch::Tensor mse = torch::mse_loss(model->forward(x), y);
      mse.backward();
      return mse;
    });
    last = loss.template item<float>();
    if (step == 0) first = last;
  }
  return {first, last};
}

int main() {
  torch::manual_seed(0);
  torch::nn::Sequential sgd_model(torch::nn::Linear(3, 8), torch::nn::Tanh(),
                                  torch::nn::Linear(8, 1));
  torch::optim::SGD sgd(sgd_model->parameters(), torch::optim::SGDOptions(0.1).momentum(0.9));
  const auto [sgd_first, sgd_last] = train(sgd_model, sgd, 150);
  std::cout << "SGD loss " << sgd_first << " -> " << sgd_last << "\n";
  CHECK(sgd_last < 0.05 * sgd_first);
  CHECK(sgd.state().size() == 4);

  torch::nn::Sequential adam_model(torch::nn::Linear(3, 8), torch::nn::Tanh(),
                                   torch::nn::Linear(8, 1));
  torch::optim::Adam adam(adam_model->parameters(),
                          torch::optim::AdamOptions(1e-2).betas({0.9, 0.999}).weight_decay(1e-4));
  for (auto& group : adam.param_groups()) {
    static_cast<torch::optim::AdamOptions&>(group.options()).lr(2e-2);
  }
  const auto [adam_first, adam_last] = train(adam_model, adam, 200);
  std::cout << "Adam loss " << adam_first << " -> " << adam_last << "\n";
  CHECK(adam_last < 0.05 * adam_first);

  // A layer grown mid-training joins with its own options and trains at the next step.
  torch::Tensor scale = torch::ones({1}, torch::requires_grad());
  adam.add_param_group(
      torch::optim::OptimizerParamGroup({scale}, std::make_unique<torch::optim::AdamOptions>(0.1)));
  adam.zero_grad();
  (adam_model->forward(torch::randn({4, 3})) * scale).sum().backward();
  adam.step();
  CHECK(scale.item<float>() != 1.0f);
  const auto& state =
      static_cast<torch::optim::AdamParamState&>(*adam.state().at(torch::optim::state_key(scale)));
  CHECK(state.step().item<float>() == 1.0f);
  CHECK(adam.state_dict().param_groups.size() == 2);
  return 0;
}
