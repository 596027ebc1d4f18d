// A network that grows a layer mid-training and hands it to its optimizer: the same program as
// examples/python/growing_net_optim.py. It fits y = sin(3 x0) cos(2 x1) with Adam; at steps/3
// and 2 steps/3 a near-zero residual block joins the network and add_param_group gives its
// parameters to Adam with fresh state. Checks that the loss fell and the new blocks trained.
// Usage: growing_net_optim [steps]
#include <cstdlib>
#include <iostream>
#include <memory>
#include <vector>

#include "ember/ember.h"

struct GrowingNetImpl : ember::nn::Module {
  GrowingNetImpl(int64_t in_features, int64_t hidden, int64_t out_features)
      : inp(register_module("inp", ember::nn::Linear(in_features, hidden))),
        blocks(register_module("blocks", ember::nn::ModuleList())),
        out(register_module("out", ember::nn::Linear(hidden, out_features))),
        hidden_(hidden) {}

  // Appends a near-zero residual block and returns it.
  ember::nn::Linear grow() {
    ember::nn::Linear block(hidden_, hidden_);
    {
      ember::NoGradGuard no_grad;
      block->weight.mul_(0.01);
      block->bias.zero_();
    }
    blocks->push_back(block);
    grown.push_back(block);
    return block;
  }

  ember::Tensor forward(const ember::Tensor& x) {
    ember::Tensor h = ember::tanh(inp->forward(x));
    for (ember::nn::Linear& block : grown) h = h + ember::tanh(block->forward(h));
    return out->forward(h);
  }

  ember::nn::Linear inp;
  ember::nn::ModuleList blocks;
  ember::nn::Linear out;
  std::vector<ember::nn::Linear> grown;

 private:
  int64_t hidden_;
};

int main(int argc, char** argv) {
  const int steps = argc > 1 ? std::atoi(argv[1]) : 600;
  ember::manual_seed(0);
  const ember::Tensor x = ember::rand({256, 2}) * 4 - 2;
  const ember::Tensor y = ember::sin(x.narrow(1, 0, 1) * 3) * ember::cos(x.narrow(1, 1, 1) * 2);
  auto model = std::make_shared<GrowingNetImpl>(2, 16, 1);
  ember::optim::Adam optimizer(model->parameters(), ember::optim::AdamOptions(1e-2));
  std::vector<float> losses;
  for (int step = 0; step < steps; ++step) {
    if (step == steps / 3 || step == 2 * steps / 3) {
      ember::nn::Linear block = model->grow();
      optimizer.add_param_group(ember::optim::OptimizerParamGroup(
          block->parameters(), std::make_unique<ember::optim::AdamOptions>(1e-2)));
      std::cout << "step " << step << ": loss " << losses.back() << "; " << model->grown.size()
                << " hidden block(s)\n";
    }
    ember::Tensor loss = (model->forward(x) - y).pow(2).mean();
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();
    losses.push_back(loss.item<float>());
  }
  std::cout << "loss " << losses.front() << " -> " << losses.back() << "; "
            << optimizer.param_groups().size() << " groups\n";
  const float moved = model->grown.front()->weight.abs().max().item<float>();
  if (!(losses.back() < 0.3f * losses.front()) || optimizer.param_groups().size() != 3 ||
      !(moved > 0.05f)) {
    std::cerr << "growing_net_optim did not learn (largest weight of the first grown block "
              << moved << ")\n";
    return EXIT_FAILURE;
  }
  return EXIT_SUCCESS;
}
