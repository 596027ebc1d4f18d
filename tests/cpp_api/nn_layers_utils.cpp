// libtorch's frontend layers and nn::utils as a libtorch program uses them: a model of
// activation, dropout and normalization holders, its buffers, eval mode, printing, gradient
// clipping by norm and value, and the parameters as one vector and back.
#include <ember/ember.h>

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "check.h"

namespace torch = ember;

struct Block : torch::nn::Module {
  Block() {
    fc = register_module("fc", torch::nn::Linear(4, 6));
    norm = register_module("norm", torch::nn::BatchNorm1d(6));
    act = register_module("act",
                          torch::nn::LeakyReLU(torch::nn::LeakyReLUOptions().negative_slope(0.1)));
    prelu = register_module("prelu", torch::nn::PReLU(torch::nn::PReLUOptions().num_parameters(6)));
    drop = register_module("drop", torch::nn::Dropout(0.25));
    out = register_module("out", torch::nn::Linear(6, 2));
  }
  torch::Tensor forward(torch::Tensor x) {
    x = drop(prelu(act(norm(fc(x)))));
    return torch::nn::LogSoftmax(1)(out(x));
  }
  torch::nn::Linear fc{nullptr}, out{nullptr};
  torch::nn::BatchNorm1d norm{nullptr};
  torch::nn::LeakyReLU act{nullptr};
  torch::nn::PReLU prelu{nullptr};
  torch::nn::Dropout drop{nullptr};
};

int main() {
  torch::manual_seed(0);
  auto block = std::make_shared<Block>();
  std::vector<std::string> buffers;
  for (const auto& item : block->named_buffers()) buffers.push_back(item.key());
  CHECK((buffers == std::vector<std::string>{"norm.running_mean", "norm.running_var",
                                             "norm.num_batches_tracked"}));
  CHECK(block->named_parameters().contains("prelu.weight"));

  const torch::Tensor x = torch::randn({8, 4});
  const torch::Tensor y = block->forward(x);
  CHECK(y.sizes() == std::vector<int64_t>({8, 2}));
  CHECK(block->norm->num_batches_tracked.item<int64_t>() == 1);
  block->eval();
  CHECK(torch::equal(block->forward(x), block->forward(x)));  // no dropout, running statistics

  std::ostringstream printed;
  printed << *block;
  CHECK(printed.str().find("(norm): ember::nn::BatchNorm1d(6, eps=1e-05, momentum=0.1") !=
        std::string::npos);
  CHECK(printed.str().find("(drop): ember::nn::Dropout(p=0.25, inplace=false)") !=
        std::string::npos);

  namespace F = torch::nn::functional;
  CHECK(torch::equal(F::relu(x), torch::nn::ReLU()(x)));
  const torch::Tensor normalized = F::batch_norm(x, torch::zeros({4}), torch::ones({4}),
                                                 F::BatchNormFuncOptions().training(true));
  CHECK(normalized.mean({0}).abs().max().item<double>() < 1e-5);
  CHECK(torch::allclose(F::layer_norm(x, F::LayerNormFuncOptions({4})),
                        torch::nn::LayerNorm(std::vector<int64_t>{4})(x)));

  block->train();
  torch::nn::functional::nll_loss(block->forward(x), torch::zeros({8}, torch::kLong)).backward();
  const double total = torch::nn::utils::clip_grad_norm_(block->parameters(), 0.01);
  CHECK(total > 0.01);
  double squares = 0;
  for (const auto& parameter : block->parameters()) {
    if (parameter.grad().defined()) squares += parameter.grad().pow(2).sum().item<double>();
  }
  CHECK(std::abs(std::sqrt(squares) - 0.01) < 1e-4);
  torch::nn::utils::clip_grad_value_(block->parameters(), 1e-3);
  CHECK(block->fc->weight.grad().abs().max().item<double>() <= 1e-3 + 1e-9);

  const torch::Tensor flat = torch::nn::utils::parameters_to_vector(block->parameters());
  torch::nn::utils::vector_to_parameters(torch::zeros_like(flat), block->parameters());
  CHECK(block->out->bias.abs().sum().item<double>() == 0.0);
  torch::nn::utils::vector_to_parameters(flat.detach(), block->parameters());
  CHECK(torch::equal(torch::nn::utils::parameters_to_vector(block->parameters()), flat));
  return 0;
}
