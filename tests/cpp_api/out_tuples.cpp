// The *_out functions of ops with several results, as a libtorch user writes them: the outs
// first in libtorch's order, the tuple of references returned and unpacked with std::tie, outs
// reused across calls, and the refusals (an int32 index out, one tensor as two outs, an input
// requiring grad).
#include <ember/ember.h>

#include <string>
#include <tuple>

#include "check.h"

namespace torch = ember;

int main() {
  auto x = torch::tensor({3.0, 1.0, 2.0, 6.0, 5.0, 4.0}).reshape({2, 3});

  torch::Tensor values = torch::empty({0});
  torch::Tensor indices = torch::empty({0}, torch::kLong);
  auto result = torch::sort_out(values, indices, x, /*dim=*/1, /*descending=*/false);
  CHECK(&std::get<0>(result) == &values && &std::get<1>(result) == &indices);
  CHECK(values[0][0].item<double>() == 1.0 && indices[0][0].item<int64_t>() == 1);

  torch::topk_out(values, indices, x, /*k=*/1, /*dim=*/1);
  CHECK(values.sizes() == std::vector<int64_t>({2, 1}) && indices[1][0].item<int64_t>() == 0);
  torch::max_out(values, indices, x, /*dim=*/0, /*keepdim=*/false);
  CHECK(values[0].item<double>() == 6.0 && indices[0].item<int64_t>() == 1);
  torch::cummax_out(values, indices, x, /*dim=*/1);
  CHECK(values[0][2].item<double>() == 3.0);

  auto A = torch::tensor({2.0, 1.0, 1.0, 3.0}, torch::kDouble).reshape({2, 2});
  torch::Tensor L = torch::empty({0}, torch::kDouble);
  torch::Tensor info = torch::empty({0}, torch::kInt);
  torch::linalg_cholesky_ex_out(L, info, A);
  CHECK(info.item<int>() == 0 && L[0][1].item<double>() == 0.0);
  torch::Tensor eigenvalues = torch::empty({0}, torch::kDouble);
  torch::Tensor eigenvectors = torch::empty({0}, torch::kDouble);
  std::tie(eigenvalues, eigenvectors) = torch::linalg_eigh_out(eigenvalues, eigenvectors, A);
  CHECK(eigenvalues.numel() == 2 && eigenvalues[0].item<double>() < eigenvalues[1].item<double>());
  torch::Tensor U = torch::empty({0}, torch::kDouble);
  torch::Tensor S = torch::empty({0}, torch::kDouble);
  torch::Tensor Vh = torch::empty({0}, torch::kDouble);
  torch::linalg_svd_out(U, S, Vh, A, /*full_matrices=*/false);
  CHECK(torch::allclose(torch::matmul(U * S, Vh), A));

  torch::Tensor narrow = torch::empty({0}, torch::kInt);
  bool refused = false;
  try {
    torch::sort_out(values, narrow, x);
  } catch (const std::exception& error) {
    refused = std::string(error.what()).find("Expected out tensor 1 to have dtype int64") !=
              std::string::npos;
  }
  CHECK(refused);
  refused = false;
  try {
    torch::aminmax_out(values, values, x);
  } catch (const std::exception& error) {
    refused = std::string(error.what()).find("same tensor") != std::string::npos;
  }
  CHECK(refused);
  refused = false;
  try {  // out= records no graph: an input requiring grad is refused under grad mode
    torch::cummax_out(values, indices, x.clone().requires_grad_(), /*dim=*/1);
  } catch (const std::exception& error) {
    refused = std::string(error.what()).find("automatic differentiation") != std::string::npos;
  }
  CHECK(refused);
  {
    torch::NoGradGuard no_grad;
    torch::cummax_out(values, indices, x.clone().requires_grad_(), /*dim=*/1);
  }
  CHECK(!values.requires_grad());
  return 0;
}
