// The libtorch frontend tutorial's shape: a user module written as a struct deriving from
// torch::nn::Module, registering submodules and a parameter; a Sequential of Linear layers; the
// dotted parameter names; and a few steps of a tiny regression trained with hand-written SGD.
#include <ember/ember.h>

#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "check.h"

namespace torch = ember;

struct Net : torch::nn::Module {
  Net(int64_t in, int64_t hidden) {
    fc1 = register_module("fc1", torch::nn::Linear(in, hidden));
    fc2 = register_module("fc2", torch::nn::Linear(torch::nn::LinearOptions(hidden, 1)));
    scale = register_parameter("scale", torch::ones({1}));
  }
  torch::Tensor forward(torch::Tensor x) {
    x = torch::tanh(fc1->forward(x));
    return fc2->forward(x) * scale;
  }
  torch::nn::Linear fc1{nullptr}, fc2{nullptr};
  torch::Tensor scale;
};

int main() {
  torch::manual_seed(1);
  auto net = std::make_shared<Net>(3, 8);

  std::vector<std::string> names;
  for (const auto& item : net->named_parameters()) names.push_back(item.key());
  CHECK((names ==
         std::vector<std::string>{"scale", "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"}));
  CHECK(net->fc1->weight.sizes() == std::vector<int64_t>({8, 3}));
  CHECK(net->parameters().size() == 5);

  torch::nn::Sequential sequential(torch::nn::Linear(3, 4), torch::nn::Linear(4, 1));
  CHECK(sequential->named_parameters().keys().front() == "0.weight");
  CHECK(sequential->forward(torch::randn({2, 3})).sizes() == std::vector<int64_t>({2, 1}));
  std::ostringstream printed;
  printed << *sequential;
  CHECK(printed.str().find("(1): ember::nn::Linear(in_features=4, out_features=1, bias=true)") !=
        std::string::npos);

  // y = x . (1, -2, 0.5) + 0.3, learned by SGD on the mean squared error.
  const torch::Tensor x = torch::randn({64, 3});
  const torch::Tensor y = x.matmul(torch::tensor({1.0f, -2.0f, 0.5f})).unsqueeze(1) + 0.3;
  const double learning_rate = 0.1;
  float first_loss = 0, loss = 0;
  for (int step = 0; step < 100; ++step) {
    net->zero_grad();
    torch::Tensor error = net->forward(x) - y;
    torch::Tensor mse = (error * error).mean();
    mse.backward();
    loss = mse.item<float>();
    if (step == 0) first_loss = loss;
    torch::NoGradGuard no_grad;
    for (auto& parameter : net->parameters()) parameter -= learning_rate * parameter.grad();
  }
  std::cout << "loss " << first_loss << " -> " << loss << "\n";
  CHECK(loss < 0.1 * first_loss);

  net->eval();
  CHECK(!net->fc1->is_training());
  return 0;
}
