// masked_fill with a 0-d tensor value, as a libtorch user writes it: Tensor::masked_fill and
// masked_fill_ taking a tensor (its gradient is the sum over the filled positions) and the error
// for a value with dimensions.
#include <ember/ember.h>

#include <string>
#include <vector>

#include "check.h"

namespace torch = ember;

namespace {
std::vector<double> values(const torch::Tensor& t) {
  torch::Tensor flat = t.to(torch::kDouble).contiguous();
  return std::vector<double>(flat.data_ptr<double>(), flat.data_ptr<double>() + flat.numel());
}

bool message_has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}
}  // namespace

int main() {
  auto x = torch::arange(4, torch::dtype(torch::kDouble));
  auto mask = x > 1;
  auto value = torch::tensor(9.0, torch::dtype(torch::kDouble).requires_grad(true));
  CHECK(values(x.masked_fill(mask, value)) == (std::vector<double>{0, 1, 9, 9}));
  auto filled = x.clone();
  filled.masked_fill_(mask, value);
  CHECK(values(filled) == (std::vector<double>{0, 1, 9, 9}));
  (filled * torch::tensor({1.0, 2.0, 3.0, 4.0}, torch::kDouble)).sum().backward();
  CHECK(values(value.grad()) == (std::vector<double>{7}));
  try {
    filled.masked_fill_(mask, torch::ones({2}, torch::kDouble));
    CHECK(false);
  } catch (const std::exception& error) {
    CHECK(message_has(error.what(), "0-dimensional value tensor"));
  }
  return 0;
}
