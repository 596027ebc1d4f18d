// Losses as a libtorch program writes them: the top-level ops with torch::Reduction, the
// functional forms with their FuncOptions, and a bad class index caught as a c10::IndexError-like
// exception.
#include <ember/ember.h>

#include <cmath>

#include "check.h"

namespace torch = ember;
namespace F = torch::nn::functional;

int main() {
  torch::Tensor x = torch::tensor({1.0, 2.0, 3.0});
  torch::Tensor y = torch::tensor({0.0, 2.0, 5.0});
  CHECK(std::abs(torch::mse_loss(x, y).item<double>() - 5.0 / 3.0) < 1e-6);
  CHECK(std::abs(torch::l1_loss(x, y, torch::Reduction::Sum).item<double>() - 3.0) < 1e-6);
  CHECK(torch::allclose(F::mse_loss(x, y, F::MSELossFuncOptions().reduction(torch::kNone)),
                        torch::tensor({1.0, 0.0, 4.0})));

  torch::Tensor logits = torch::zeros({2, 4});
  torch::Tensor targets = torch::tensor({1, 3});
  CHECK(std::abs(torch::cross_entropy_loss(logits, targets).item<double>() - std::log(4.0)) < 1e-6);
  CHECK(std::abs(F::cross_entropy(logits, targets, F::CrossEntropyFuncOptions().ignore_index(3))
                     .item<double>() -
                 std::log(4.0)) < 1e-6);
  torch::Tensor log_probs = logits - std::log(4.0);
  CHECK(std::abs(torch::nll_loss(log_probs, targets).item<double>() - std::log(4.0)) < 1e-6);
  bool caught = false;
  try {
    torch::nll_loss(log_probs, torch::tensor({1, 4}));
  } catch (const torch::IndexError&) {
    caught = true;
  }
  CHECK(caught);
  return 0;
}
