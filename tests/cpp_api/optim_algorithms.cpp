// The optimizers beyond SGD and Adam as a libtorch program uses them: RMSprop and Adagrad with
// their Options fit a linear model; the others take one step over the same parameters; options
// of a group are changed through param_groups().
#include <ember/ember.h>

#include <memory>
#include <vector>

#include "check.h"

namespace torch = ember;

namespace {

// Mean squared error of a linear model on y = 3x - 1 after `steps` steps of `optimizer`.
double fit(torch::nn::Linear& model, torch::optim::Optimizer& optimizer, int steps) {
  const torch::Tensor x = torch::linspace(-1, 1, 32).reshape({32, 1});
  const torch::Tensor y = x * 3 - 1;
  double loss_value = 0;
  for (int step = 0; step < steps; ++step) {
    optimizer.zero_grad();
    torch::Tensor loss = torch::nn::functional::mse_loss(model->forward(x), y);
    loss.backward();
    optimizer.step();
    loss_value = loss.item<double>();
  }
  return loss_value;
}

}  // namespace

int main() {
  torch::manual_seed(0);
  torch::nn::Linear rmsprop_model(1, 1);
  torch::optim::RMSprop rmsprop(rmsprop_model->parameters(),
                                torch::optim::RMSpropOptions(0.05).momentum(0.5));
  CHECK(fit(rmsprop_model, rmsprop, 200) < 1e-2);

  torch::nn::Linear adagrad_model(1, 1);
  torch::optim::Adagrad adagrad(adagrad_model->parameters(), torch::optim::AdagradOptions(0.5));
  CHECK(fit(adagrad_model, adagrad, 200) < 1e-2);
  adagrad.param_groups()[0].options().set_lr(0.1);
  CHECK(static_cast<torch::optim::AdagradOptions&>(adagrad.param_groups()[0].options()).lr() ==
        0.1);

  std::vector<std::unique_ptr<torch::optim::Optimizer>> others;
  torch::nn::Linear model(1, 1);
  others.push_back(std::make_unique<torch::optim::Adamax>(model->parameters()));
  others.push_back(std::make_unique<torch::optim::NAdam>(model->parameters()));
  others.push_back(std::make_unique<torch::optim::RAdam>(model->parameters()));
  others.push_back(std::make_unique<torch::optim::Adadelta>(model->parameters()));
  others.push_back(std::make_unique<torch::optim::Rprop>(model->parameters()));
  others.push_back(std::make_unique<torch::optim::ASGD>(model->parameters()));
  for (auto& optimizer : others) {
    const double before = fit(model, *optimizer, 1);
    CHECK(fit(model, *optimizer, 30) < before);
  }
  return 0;
}
