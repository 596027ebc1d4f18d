// Indexing and broadcasting as libtorch's "Tensor Indexing API" note writes them: Python's
// x[key] spelled x.index({...}) with torch::indexing's Slice, None and Ellipsis, masks and
// integer tensors, x.index_put_({...}, value), then arithmetic between (3, 1) and (1, 4) tensors,
// expand, a gradient through an index, and a shape mismatch caught as std::exception.
#include <ember/ember.h>

#include <cstdint>
#include <exception>
#include <iostream>
#include <vector>

#include "check.h"

namespace torch = ember;
using namespace torch::indexing;

namespace {

bool has_sizes(const torch::Tensor& t, const std::vector<int64_t>& sizes) {
  if (t.dim() != static_cast<int64_t>(sizes.size())) return false;
  for (int64_t d = 0; d < t.dim(); ++d) {
    if (t.size(d) != sizes[d]) return false;
  }
  return true;
}

bool has_values(const torch::Tensor& t, const std::vector<float>& expected) {
  torch::Tensor flat = t.to(torch::kFloat).contiguous();
  if (flat.numel() != static_cast<int64_t>(expected.size())) return false;
  const float* data = flat.data_ptr<float>();
  for (size_t i = 0; i < expected.size(); ++i) {
    if (data[i] != expected[i]) return false;
  }
  return true;
}

void indexing() {
  // [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]
  torch::Tensor x = torch::arange(12, torch::kFloat).reshape({3, 4});
  CHECK(has_values(x.index({1}), {4, 5, 6, 7}));                                  // x[1]
  CHECK(x.index({1, 2}).item<float>() == 6);                                      // x[1, 2]
  CHECK(x[2][3].item<float>() == 11);                                             // x[2][3]
  CHECK(has_values(x.index({Slice(), 0}), {0, 4, 8}));                            // x[:, 0]
  CHECK(has_values(x.index({Slice(None, 2), Slice(1, None, 2)}), {1, 3, 5, 7}));  // x[:2, 1::2]
  CHECK(has_values(x.index({-1, Slice(-2)}), {10, 11}));                          // x[-1, -2:]
  CHECK(has_values(x.index({Ellipsis, 1}), {1, 5, 9}));                           // x[..., 1]
  CHECK(has_values(x.index({"...", 1}), {1, 5, 9}));                              // x[..., 1]
  CHECK(has_sizes(x.index({None}), {1, 3, 4}));                                   // x[None]
  CHECK(has_sizes(x.index({Slice(), None, 0}), {3, 1}));                          // x[:, None, 0]
  CHECK(has_sizes(x.index({true}), {1, 3, 4}));                                   // x[True]
  CHECK(has_sizes(x.index({false}), {0, 3, 4}));                                  // x[False]

  torch::Tensor rows = torch::tensor({2, 0}, torch::kLong);
  CHECK(has_values(x.index({rows}), {8, 9, 10, 11, 0, 1, 2, 3}));  // x[[2, 0]]
  CHECK(has_values(x.index({rows, torch::tensor({1, 3}, torch::kLong)}), {9, 3}));
  CHECK(has_values(x.index({Slice(), rows}), {2, 0, 6, 4, 10, 8}));  // x[:, [2, 0]]
  CHECK(has_values(x.index({x > 8}), {9, 10, 11}));                  // x[x > 8]
  CHECK(has_values(x.index({x.index({Slice(), 0}) > 0, 0}), {4, 8}));

  // Basic keys give views, advanced keys copies.
  torch::Tensor row = x.index({0});
  torch::Tensor picked = x.index({rows});
  row.fill_(-1);
  picked.fill_(-2);
  CHECK(has_values(x.index({0}), {-1, -1, -1, -1}));
  CHECK(has_values(x.index({2}), {8, 9, 10, 11}));

  // x[:2] = 0; x[:, 1] = [10, 20, 30]; x[x > 8] = 100; x[[2], [0]] = -5; x[..., -1] += 1
  x.index_put_({Slice(None, 2)}, 0);
  x.index_put_({Slice(), 1}, torch::tensor({10.0, 20.0, 30.0}, torch::kFloat));
  x.index_put_({x > 25}, 100);
  x.index_put_({torch::tensor({2}, torch::kLong), torch::tensor({0}, torch::kLong)}, -5);
  x.index({Ellipsis, -1}) += 1;
  CHECK(has_values(x, {0, 10, 0, 1, 0, 20, 0, 1, -5, 100, 10, 12}));
  // A row broadcast into two rows; a braced list of tensors picks the TensorIndex overload.
  x.index_put_({Slice(1)}, torch::tensor({1.0, 2.0, 3.0, 4.0}, torch::kFloat));
  CHECK(has_values(x.index({Slice(1)}), {1, 2, 3, 4, 1, 2, 3, 4}));
  // The optional-tensor overload with accumulate, libtorch's index_put_(indices, values, true).
  x.index_put_({torch::tensor({0, 0}, torch::kLong)}, torch::ones({2, 4}), true);
  CHECK(has_values(x.index({0}), {2, 12, 2, 3}));
}

void broadcasting() {
  torch::Tensor column = torch::arange(3, torch::kFloat).reshape({3, 1});  // [[0], [1], [2]]
  torch::Tensor row = torch::arange(4, torch::kFloat).reshape({1, 4});     // [[0, 1, 2, 3]]
  torch::Tensor sum = column + row;
  CHECK(has_sizes(sum, {3, 4}));
  CHECK(has_values(sum, {0, 1, 2, 3, 1, 2, 3, 4, 2, 3, 4, 5}));
  CHECK(has_values(column * row, {0, 0, 0, 0, 0, 1, 2, 3, 0, 2, 4, 6}));
  CHECK(has_values(2 * column - row.index({0}), {0, -1, -2, -3, 2, 1, 0, -1, 4, 3, 2, 1}));
  CHECK(has_values(column.expand({3, 4}).index({Slice(), 3}), {0, 1, 2}));
  CHECK(column.expand_as(sum).stride(1) == 0);
  torch::Tensor grid = torch::zeros({3, 4});
  grid += row;  // (1, 4) into (3, 4) in place
  grid.index({Slice(), Slice(None, 2)}) *= column;
  CHECK(has_values(grid, {0, 0, 2, 3, 0, 1, 2, 3, 0, 2, 2, 3}));
  try {
    (void)(column + torch::ones({2, 1}));  // (3, 1) and (2, 1) do not broadcast
    CHECK(false);
  } catch (const std::exception& error) {
    std::cout << "caught: " << error.what() << "\n";
  }
  try {
    grid.index_put_({Slice(), 0}, torch::ones({4}));  // a value of 4 for 3 elements
    CHECK(false);
  } catch (const std::exception& error) {
    std::cout << "caught: " << error.what() << "\n";
  }
}

void gradient_through_an_index() {
  torch::Tensor w = torch::ones({2, 3}).requires_grad_();
  torch::Tensor loss = (w.index({Slice(), 1}) * 3).sum() + w.index({w > 0}).sum();
  loss.backward();
  CHECK(has_values(w.grad(), {1, 4, 1, 1, 4, 1}));
}

}  // namespace

int main() {
  indexing();
  broadcasting();
  gradient_through_an_index();
  std::cout << "indexing and broadcasting: ok\n";
  return 0;
}
