// split's pieces under autograd, as a libtorch user meets them: one grad_fn for all pieces, the
// error for an in-place write into a piece while recording, and the same write under
// NoGradGuard, which goes through and leaves the graph alone.
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
  auto w = torch::ones({6}, torch::dtype(torch::kDouble).requires_grad(true));
  auto y = w * 2;
  auto pieces = y.split(2);
  CHECK(pieces.size() == 3);
  CHECK(pieces[0].grad_fn() == pieces[2].grad_fn());
  CHECK(pieces[0].grad_fn()->name() == "SplitBackward0");
  try {
    pieces[1].add_(1);
    CHECK(false);
  } catch (const std::exception& error) {
    CHECK(message_has(error.what(), "Output 1 of SplitBackward0 is a view and is being modified"));
  }
  {
    torch::NoGradGuard no_grad;
    pieces[1].add_(1);
  }
  CHECK(values(y) == (std::vector<double>{2, 2, 3, 3, 2, 2}));
  (pieces[1] * 3).sum().backward();
  CHECK(values(w.grad()) == (std::vector<double>{0, 0, 6, 6, 0, 0}));
  return 0;
}
