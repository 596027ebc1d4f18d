// An MLP trained with a linear warm-up then a cosine learning-rate schedule, and gradient
// clipping (the C++ twin of examples/python/warmup_cosine.py). It fits y = sin(3 x0) cos(2 x1)
// with SGD and momentum; LinearLR raises the lr from 1% of its peak over the first tenth of the
// steps, CosineAnnealingLR takes it down to zero over the rest (joined by SequentialLR), and
// clip_grad_norm_ bounds each step's gradient.
// Usage: warmup_cosine [steps]; the exit code says whether it learned (the last 30 losses below
// 30% of the first 30).
#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <vector>

#include "ember/ember.h"

namespace nn = ember::nn;
namespace optim = ember::optim;

int main(int argc, char** argv) {
  const int steps = argc > 1 ? std::atoi(argv[1]) : 600;
  const int warmup = steps / 10;
  ember::manual_seed(0);
  const ember::Tensor x = ember::rand({256, 2}) * 4 - 2;
  const ember::Tensor y = ember::sin(x.narrow(1, 0, 1) * 3) * ember::cos(x.narrow(1, 1, 1) * 2);
  nn::Sequential model(nn::Linear(2, 32), nn::Tanh(), nn::Linear(32, 32), nn::Tanh(),
                       nn::Linear(32, 1));
  optim::SGD optimizer(model->parameters(), optim::SGDOptions(0.2).momentum(0.9));
  auto warm = std::make_shared<optim::LinearLR>(optimizer, 0.01, 1.0, warmup);
  auto cosine = std::make_shared<optim::CosineAnnealingLR>(optimizer, steps - warmup);
  optim::SequentialLR scheduler(optimizer, {warm, cosine}, {warmup});

  std::vector<double> losses;
  for (int step = 0; step < steps; ++step) {
    const ember::Tensor loss = (model->forward(x) - y).pow(2).mean();
    optimizer.zero_grad();
    loss.backward();
    nn::utils::clip_grad_norm_(model->parameters(), 1.0);
    const double lr = scheduler.get_last_lr()[0];
    optimizer.step();
    scheduler.step();
    losses.push_back(loss.item<double>());
    if (step % 100 == 0)
      std::cout << "step " << step << "  lr " << lr << "  loss " << losses.back() << "\n";
  }
  const size_t window = std::min<size_t>(30, losses.size());
  double first = 0, last = 0;
  for (size_t i = 0; i < window; ++i) {
    first += losses[i];
    last += losses[losses.size() - 1 - i];
  }
  std::cout << "loss " << losses.front() << " -> " << losses.back() << "\n";
  return last < 0.3 * first ? EXIT_SUCCESS : EXIT_FAILURE;
}
