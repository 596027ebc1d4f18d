// An MLP whose depth grows at run time when its loss plateaus (the C++ twin of
// examples/python/growing_mlp.py). It fits y = sin(3 x0) cos(2 x1) with hand-written SGD; when the
// loss has not improved by 1% for `patience` steps, a residual hidden block joins a ModuleList,
// initialised near zero, and from then on parameters() trains it like any other layer.
// Usage: growing_mlp [steps]; the exit code says whether it learned (the last 50 losses below 40%
// of the first 50) and grew.
#include <cstdlib>
#include <iostream>
#include <limits>
#include <vector>

#include "ember/ember.h"

namespace nn = ember::nn;

struct GrowingMLP : nn::Module {
  GrowingMLP(int64_t in_features, int64_t hidden, int64_t out_features) : hidden_(hidden) {
    inp = register_module("inp", nn::Linear(in_features, hidden));
    blocks = register_module("blocks", nn::ModuleList());
    out = register_module("out", nn::Linear(hidden, out_features));
  }

  void grow() {
    nn::Linear block(hidden_, hidden_);
    {
      ember::autograd::NoGradGuard no_grad;
      block->weight.mul_(0.01);
      block->bias.zero_();
    }
    blocks->push_back(block);
  }

  ember::Tensor forward(const ember::Tensor& x) {
    ember::Tensor h = ember::tanh(inp(x));
    for (size_t i = 0; i < blocks->size(); ++i) {
      h = h + ember::tanh(blocks->ptr<nn::LinearImpl>(i)->forward(h));
    }
    return out(h);
  }

  nn::Linear inp{nullptr}, out{nullptr};
  nn::ModuleList blocks{nullptr};

 private:
  int64_t hidden_;
};

int main(int argc, char** argv) {
  const int steps = argc > 1 ? std::atoi(argv[1]) : 1200;
  const double learning_rate = 0.1;
  const int patience = 40;
  const size_t max_blocks = 4;
  ember::manual_seed(0);
  const ember::Tensor x = ember::rand({256, 2}) * 4 - 2;
  const ember::Tensor y = ember::sin(x.narrow(1, 0, 1) * 3) * ember::cos(x.narrow(1, 1, 1) * 2);
  auto model = std::make_shared<GrowingMLP>(2, 16, 1);

  std::vector<double> losses;
  std::vector<int> grown_at;
  double best = std::numeric_limits<double>::infinity();
  int since_best = 0;
  for (int step = 0; step < steps; ++step) {
    const ember::Tensor loss = (model->forward(x) - y).pow(2).mean();
    model->zero_grad();
    loss.backward();
    {
      ember::autograd::NoGradGuard no_grad;
      for (ember::Tensor& parameter : model->parameters()) {
        parameter.sub_(parameter.grad() * learning_rate);
      }
    }
    losses.push_back(loss.item<double>());
    if (losses.back() < best * 0.99) {
      best = losses.back();
      since_best = 0;
      continue;
    }
    if (++since_best >= patience && model->blocks->size() < max_blocks) {
      model->grow();
      grown_at.push_back(step);
      best = losses.back();
      since_best = 0;
      std::cout << "step " << step << ": loss plateaued at " << losses.back() << "; "
                << model->blocks->size() << " hidden block(s) now\n";
    }
  }
  std::cout << *model << "\n";
  const size_t window = std::min<size_t>(50, losses.size());
  double first = 0, last = 0;
  for (size_t i = 0; i < window; ++i) {
    first += losses[i];
    last += losses[losses.size() - 1 - i];
  }
  std::cout << "loss " << losses.front() << " -> " << losses.back() << "; grew " << grown_at.size()
            << " time(s); parameters:";
  for (const auto& item : model->named_parameters()) std::cout << " " << item.key();
  std::cout << "\n";
  return last < 0.4 * first && !grown_at.empty() ? EXIT_SUCCESS : EXIT_FAILURE;
}
