// The seed's RNN step (../shared/seed-examples/rnn_autograd.py) in C++: a graph built by
// ordinary code, then backward with an explicit gradient. As in the Python example, the
// parameters require grad and the gradient has next_h's shape (20x1).
#include <cstdlib>
#include <iostream>

#include "ember/ember.h"

int main() {
  ember::Tensor x = ember::randn({1, 10}).requires_grad_();
  ember::Tensor prev_h = ember::randn({1, 20}).requires_grad_();
  ember::Tensor W_h = ember::randn({20, 20}).requires_grad_();
  ember::Tensor W_x = ember::randn({20, 10}).requires_grad_();

  ember::Tensor i2h = ember::mm(W_x, x.t());
  ember::Tensor h2h = ember::mm(W_h, prev_h.t());
  ember::Tensor next_h = (i2h + h2h).tanh();

  next_h.backward(ember::ones({20, 1}));
  std::cout << "next_h.grad_fn: " << next_h.grad_fn()->name() << "\n";
  std::cout << "|dW_h| = " << W_h.grad().norm() << "\n";
  std::cout << "|dW_x| = " << W_x.grad().norm() << "\n";
  std::cout << "|dx| = " << x.grad().norm() << "\n";
  std::cout << "|dprev_h| = " << prev_h.grad().norm() << "\n";
  return EXIT_SUCCESS;
}
