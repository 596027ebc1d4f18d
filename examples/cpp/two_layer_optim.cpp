// The seed's two-layer network written with ember::nn and trained by ember::optim (SGD or Adam):
// the same program as examples/python/two_layer_optim.py, printing the same losses.
// Usage: two_layer_optim [sgd|adam] [steps]
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>

#include "ember/ember.h"

int main(int argc, char** argv) {
  const std::string name = argc > 1 ? argv[1] : "sgd";
  const int steps = argc > 2 ? std::atoi(argv[2]) : 500;

  ember::manual_seed(0);
  // N is batch size; D_in is input dimension; H is hidden dimension; D_out is output dimension.
  const int64_t N = 64, D_in = 1000, H = 100, D_out = 10;
  ember::Tensor x = ember::randn({N, D_in});
  ember::Tensor y = ember::randn({N, D_out});
  // The layers one statement each: the arguments of one call may be evaluated in any order, and
  // each draws its initial weights from the generator.
  ember::nn::Linear hidden(D_in, H);
  ember::nn::Linear output(H, D_out);
  ember::nn::Sequential model(hidden, ember::nn::ReLU(), output);
  ember::nn::MSELoss loss_fn(ember::nn::MSELossOptions().reduction(ember::kSum));
  std::unique_ptr<ember::optim::Optimizer> optimizer;
  if (name == "sgd") {
    optimizer =
        std::make_unique<ember::optim::SGD>(model->parameters(), ember::optim::SGDOptions(1e-4));
  } else if (name == "adam") {
    optimizer =
        std::make_unique<ember::optim::Adam>(model->parameters(), ember::optim::AdamOptions(1e-4));
  } else {
    std::cerr << "unknown optimizer '" << name << "': expected sgd or adam\n";
    return EXIT_FAILURE;
  }
  for (int t = 0; t < steps; ++t) {
    ember::Tensor loss = loss_fn(model->forward(x), y);
    std::cout << t << " " << loss.item<float>() << "\n";
    optimizer->zero_grad();
    loss.backward();
    optimizer->step();
  }
  return EXIT_SUCCESS;
}
