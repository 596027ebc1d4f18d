// Linear algebra as a libtorch program writes it: torch::linalg::* and the flat torch::linalg_*
// spellings, the legacy names, einsum with an initializer list, and catching a singular matrix.
#include <ember/ember.h>

#include <string>
#include <tuple>

#include "check.h"

namespace torch = ember;

int main() {
  torch::manual_seed(0);
  torch::Tensor a = torch::rand({3, 4, 4}, torch::kDouble) + torch::eye(4, torch::kDouble) * 4;
  torch::Tensor b = torch::rand({3, 4, 2}, torch::kDouble);

  torch::Tensor x = torch::linalg::solve(a, b);
  CHECK(torch::allclose(torch::matmul(a, x), b));
  CHECK(torch::allclose(torch::linalg_solve(a, b), x));
  CHECK(torch::allclose(torch::matmul(torch::linalg::inv(a), b), x));
  CHECK(torch::allclose(torch::linalg_det(a), torch::det(a)));
  CHECK(torch::allclose(a.inverse(), torch::inverse(a)));

  torch::Tensor spd = torch::matmul(a, a.transpose(-2, -1));
  torch::Tensor L = torch::linalg::cholesky(spd);
  CHECK(torch::allclose(torch::matmul(L, L.transpose(-2, -1)), spd));
  torch::Tensor info;
  std::tie(L, info) = torch::linalg_cholesky_ex(spd);
  CHECK(info.sum().item<int>() == 0);

  torch::Tensor Q, R;
  std::tie(Q, R) = torch::linalg::qr(a);
  CHECK(torch::allclose(torch::matmul(Q, R), a));
  torch::Tensor U, S, Vh;
  std::tie(U, S, Vh) = torch::linalg::svd(a, /*full_matrices=*/false);
  CHECK(torch::allclose(torch::matmul(U * S.unsqueeze(-2), Vh), a));
  torch::Tensor eigenvalues, eigenvectors;
  std::tie(eigenvalues, eigenvectors) = torch::linalg::eigh(spd);
  CHECK(torch::allclose(eigenvalues, torch::linalg::eigvalsh(spd)));

  CHECK(torch::allclose(torch::einsum("bij,bjk->bik", {a, b}), torch::bmm(a, b)));
  CHECK(torch::allclose(torch::linalg::vector_norm(b, 2, {-1}),
                        torch::linalg::norm(b, std::nullopt, {-1})));
  CHECK(torch::allclose(torch::linalg::matrix_norm(a), torch::linalg::vector_norm(a, 2, {-2, -1})));
  CHECK(torch::allclose(torch::linalg::matrix_power(a, 2), torch::matmul(a, a)));
  CHECK(torch::allclose(torch::baddbmm(b, a, b, /*beta=*/0.5, /*alpha=*/2),
                        b * 0.5 + torch::bmm(a, b) * 2));

  torch::Tensor leaf = torch::eye(3, torch::kDouble) * 2;
  leaf.requires_grad_();
  torch::linalg::det(leaf).backward();
  CHECK(torch::allclose(leaf.grad(), torch::eye(3, torch::kDouble) * 4));  // det * inv(A)^T

  try {
    torch::linalg::inv(torch::zeros({2, 2}, torch::kDouble));
    CHECK(false);
  } catch (const std::exception& error) {
    CHECK(std::string(error.what()).find("singular") != std::string::npos);
  }
  return 0;
}
