// The seed's two-layer network with hand-written backprop, in C++: the same program as
// examples/python/two_layer_tensor.py, printing the same losses for the same (seeded) inputs.
// Usage: two_layer_tensor [steps]
#include <cstdlib>
#include <iostream>

#include "ember/ember.h"

int main(int argc, char** argv) {
  const int steps = argc > 1 ? std::atoi(argv[1]) : 500;
  const auto dtype = ember::kFloat32;

  // N is batch size; D_in is input dimension; H is hidden dimension; D_out is output dimension.
  const int64_t N = 64, D_in = 1000, H = 100, D_out = 10;

  // Each process starts from its own seed, as PyTorch's does; the test seeds the Python script
  // (which must stay as written) with the same number.
  ember::manual_seed(0);
  ember::Tensor x = ember::randn({N, D_in}).to(dtype);
  ember::Tensor y = ember::randn({N, D_out}).to(dtype);
  ember::Tensor w1 = ember::randn({D_in, H}).to(dtype);
  ember::Tensor w2 = ember::randn({H, D_out}).to(dtype);

  const double learning_rate = 1e-6;
  for (int t = 0; t < steps; ++t) {
    ember::Tensor h = x.mm(w1);
    ember::Tensor h_relu = h.clamp(0);
    ember::Tensor y_pred = h_relu.mm(w2);

    ember::Tensor loss = (y_pred - y).pow(2).sum();
    std::cout << t << " " << loss << "\n";

    ember::Tensor grad_y_pred = 2.0 * (y_pred - y);
    ember::Tensor grad_w2 = h_relu.t().mm(grad_y_pred);
    ember::Tensor grad_h_relu = grad_y_pred.mm(w2.t());
    ember::Tensor grad_h = grad_h_relu.clone();
    grad_h.masked_fill_(h < 0, 0);
    ember::Tensor grad_w1 = x.t().mm(grad_h);

    w1 -= learning_rate * grad_w1;
    w2 -= learning_rate * grad_w2;
  }
  return EXIT_SUCCESS;
}
