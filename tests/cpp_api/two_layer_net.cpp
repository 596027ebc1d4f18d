// A two-layer ReLU network fitted to random data with hand-written gradients, as in the classic
// libtorch tensor tutorial: forward, backward by the chain rule, and an SGD step, no autograd.
#include <ember/ember.h>

#include <iostream>

#include "check.h"

namespace torch = ember;

int main() {
  torch::manual_seed(0);
  const int64_t batch = 64, in = 100, hidden = 32, out = 10;
  torch::Tensor x = torch::randn({batch, in}, torch::kFloat);
  torch::Tensor y = torch::randn({batch, out}, torch::kFloat);
  torch::Tensor w1 = torch::randn({in, hidden}, torch::kFloat) * 0.1;
  torch::Tensor w2 = torch::randn({hidden, out}, torch::kFloat) * 0.1;

  const double learning_rate = 1e-3;
  float first_loss = 0, loss = 0;
  for (int step = 0; step < 200; ++step) {
    torch::Tensor h = x.mm(w1);
    torch::Tensor h_relu = h.clamp_min(0);
    torch::Tensor y_pred = h_relu.mm(w2);
    loss = (y_pred - y).pow(2).sum().item<float>();
    if (step == 0) first_loss = loss;

    torch::Tensor grad_y_pred = 2.0 * (y_pred - y);
    torch::Tensor grad_w2 = h_relu.t().mm(grad_y_pred);
    torch::Tensor grad_h = grad_y_pred.mm(w2.t());
    grad_h.masked_fill_(h < 0, 0);
    torch::Tensor grad_w1 = x.t().mm(grad_h);

    w1 -= learning_rate * grad_w1;
    w2 -= learning_rate * grad_w2;
  }
  std::cout << "loss " << first_loss << " -> " << loss << "\n";
  CHECK(loss < 0.5 * first_loss);
  return 0;
}
