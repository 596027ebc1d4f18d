// A recurrent network unrolled by hand over sequences of varying length (the C++ twin of
// examples/python/rnn_varying_length.py): each sample builds a graph of its own length. The
// task is to output the sum of the sequence. Usage: rnn_varying_length [steps]; the exit code
// says whether it learned (mean loss of the last 100 steps below 40% of the first 100).
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <random>
#include <vector>

#include "ember/ember.h"

int main(int argc, char** argv) {
  const int steps = argc > 1 ? std::atoi(argv[1]) : 2000;
  const int64_t hidden = 16;
  const double learning_rate = 0.01;
  ember::manual_seed(0);
  std::mt19937 rng(0);
  std::uniform_real_distribution<double> value(-1.0, 1.0);
  std::uniform_int_distribution<int> length(2, 8);

  ember::Tensor w_x = (ember::randn({hidden, 1}) * 0.5).requires_grad_();
  ember::Tensor w_h = (ember::randn({hidden, hidden}) * (0.5 / std::sqrt(hidden))).requires_grad_();
  ember::Tensor b = ember::zeros({hidden, 1}).requires_grad_();
  ember::Tensor w_out = (ember::randn({1, hidden}) * 0.1).requires_grad_();
  std::vector<ember::Tensor> parameters = {w_x, w_h, b, w_out};

  std::vector<double> losses;
  for (int step = 0; step < steps; ++step) {
    std::vector<double> sequence(length(rng));
    double target = 0;
    for (double& element : sequence) {
      element = value(rng);
      target += element;
    }
    ember::Tensor h = ember::zeros({hidden, 1});
    for (double element : sequence) {  // the graph's length is the sample's
      h = ember::tanh(w_x * element + w_h.mm(h) + b);
    }
    ember::Tensor loss = (w_out.mm(h).sum() - target).pow(2);
    loss.backward();
    {
      ember::autograd::NoGradGuard no_grad;
      for (ember::Tensor& parameter : parameters) {
        parameter -= learning_rate * parameter.grad();
        parameter.set_grad(ember::Tensor());
      }
    }
    losses.push_back(loss.item<double>());
  }
  auto mean = [&](size_t begin, size_t end) {
    double total = 0;
    for (size_t i = begin; i < end; ++i) total += losses[i];
    return total / static_cast<double>(end - begin);
  };
  const size_t window = std::min<size_t>(100, losses.size());
  const double first = mean(0, window), last = mean(losses.size() - window, losses.size());
  std::cout << "mean loss: first " << window << " steps " << first << ", last " << window
            << " steps " << last << "\n";
  return last < 0.4 * first ? EXIT_SUCCESS : EXIT_FAILURE;
}
