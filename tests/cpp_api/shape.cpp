// Joining, splitting and rearranging as a libtorch user writes them: torch::cat of a braced
// list or a std::vector, torch::stack, split into pieces, chunk, flip/roll/repeat, triangles,
// diagonals and meshgrid with indexing.
#include <ember/ember.h>

#include <vector>

#include "check.h"

namespace torch = ember;

int main() {
  auto a = torch::arange(6, torch::kFloat).reshape({2, 3});
  auto b = torch::ones({2, 1});
  auto joined = torch::cat({a, b}, 1);
  CHECK(joined.sizes() == std::vector<int64_t>({2, 4}));
  std::vector<torch::Tensor> list = {a, a, a};
  CHECK(torch::cat(list).size(0) == 6);
  CHECK(torch::stack(list, 1).sizes() == std::vector<int64_t>({2, 3, 3}));
  CHECK(torch::hstack({a, b}).size(1) == 4 && torch::vstack({a, a}).size(0) == 4);

  std::vector<torch::Tensor> pieces = a.split(1, 1);
  CHECK(pieces.size() == 3 && pieces[2].sizes() == std::vector<int64_t>({2, 1}));
  CHECK(torch::split(a, {1, 2}, 1)[1].size(1) == 2);
  CHECK(a.chunk(2, 0).size() == 2 && a.unbind(1).size() == 3);

  CHECK(a.flip({0, 1})[0][0].item<float>() == 5);
  CHECK(a.roll({1}, {1})[0][0].item<float>() == 2);
  CHECK(a.repeat({2, 2}).sizes() == std::vector<int64_t>({4, 6}));
  CHECK(a.tril(0)[0][1].item<float>() == 0 && a.triu(1)[1][1].item<float>() == 0);
  CHECK(a.diagonal(1, 0, 1).sizes() == std::vector<int64_t>({2}));
  CHECK(torch::diag(torch::ones({3})).sum().item<float>() == 3);
  auto grids = torch::meshgrid({torch::arange(2), torch::arange(3)}, "ij");
  CHECK(grids[1].sizes() == std::vector<int64_t>({2, 3}));
  CHECK(a.new_zeros({4}).scalar_type() == torch::kFloat);
  return 0;
}
