// Gathering and scattering as a libtorch user writes them: torch::gather, scatter_ with a tensor
// or a value, scatter_add, scatter_reduce, index_add_ with alpha, index_fill_, take, put_,
// nonzero as a tuple, argwhere and one-argument torch::where, and gather's gradient.
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
}  // namespace

int main() {
  auto x = torch::arange(6, torch::dtype(torch::kFloat)).reshape({2, 3});
  auto index = torch::tensor({2, 0, 1, 1}, torch::dtype(torch::kLong)).reshape({2, 2});
  CHECK(values(torch::gather(x, 1, index)) == (std::vector<double>{2, 0, 4, 4}));

  auto target = torch::zeros({2, 3});
  target.scatter_(1, index, torch::ones({2, 2}));
  CHECK(values(target) == (std::vector<double>{1, 0, 1, 0, 1, 0}));
  target.scatter_(1, index, 5.0);
  CHECK(values(target) == (std::vector<double>{5, 0, 5, 0, 5, 0}));
  auto summed = torch::zeros({2, 3}).scatter_add(1, index, torch::ones({2, 2}));
  CHECK(values(summed) == (std::vector<double>{1, 0, 1, 0, 2, 0}));
  auto largest = x.scatter_reduce(1, index, torch::full({2, 2}, 10.0), "amax", true);
  CHECK(values(largest) == (std::vector<double>{10, 1, 10, 3, 10, 5}));

  auto rows = torch::tensor({1, 1}, torch::dtype(torch::kLong));
  auto added = torch::zeros({2, 3});
  added.index_add_(0, rows, torch::ones({2, 3}), 0.5);
  CHECK(values(added) == (std::vector<double>{0, 0, 0, 1, 1, 1}));
  added.index_fill_(1, torch::tensor({0}, torch::dtype(torch::kLong)), -1);
  CHECK(values(added) == (std::vector<double>{-1, 0, 0, -1, 1, 1}));

  CHECK(values(x.take(torch::tensor({5, -6}, torch::dtype(torch::kLong)))) ==
        (std::vector<double>{5, 0}));
  x.put_(torch::tensor({0}, torch::dtype(torch::kLong)), torch::tensor({7.0f}),
         /*accumulate=*/true);
  CHECK(values(x)[0] == 7);

  auto mask = torch::tensor({0, 3, 0, 4}, torch::dtype(torch::kLong)).reshape({2, 2});
  auto coordinates = torch::where(mask);
  CHECK(coordinates.size() == 2);
  CHECK(values(coordinates[0]) == (std::vector<double>{0, 1}));
  CHECK(values(coordinates[1]) == (std::vector<double>{1, 1}));
  CHECK(torch::argwhere(mask).size(0) == 2);
  CHECK(mask.nonzero_numpy().size() == 2);

  // gather's gradient scatters back, adding at repeated positions.
  auto w = torch::ones({2, 3}, torch::dtype(torch::kDouble).requires_grad(true));
  torch::gather(w, 1, index).sum().backward();
  CHECK(values(w.grad()) == (std::vector<double>{1, 0, 1, 0, 2, 0}));

  try {
    torch::gather(x, 1, torch::tensor({3}, torch::dtype(torch::kLong)).reshape({1, 1}));
    CHECK(false);
  } catch (const torch::IndexError& error) {
    CHECK(std::string(error.what()).find("index 3 is out of bounds for dimension 1 with size 3") !=
          std::string::npos);
  }
  return 0;
}
