// The linear-algebra family beyond matmul: ember::linalg (torch.linalg's functions, batched over
// leading dims, float32/float64 through LAPACK), libtorch's flat spellings of the same
// (ember::linalg_det, ...), the legacy top-level names (ember::det, ember::inverse, ember::svd,
// ...), einsum/tensordot/kron and the BLAS-like composites baddbmm/addbmm/addmv/addr.
// linalg.cross belongs to the reductions family (ember::cross).
#pragma once

#include <optional>
#include <string_view>
#include <tuple>
#include <variant>
#include <vector>

#include "ember/base/linalg_error.h"
#include "ember/tensor/tensor.h"

namespace ember {

namespace linalg {

// A matrix_norm / norm order: a number (1, -1, 2, -2, inf, -inf) or "fro" / "nuc".
using NormOrder = std::variant<double, std::string_view>;

Tensor det(const Tensor& A);
std::tuple<Tensor, Tensor> slogdet(const Tensor& A);
Tensor inv(const Tensor& A);
std::tuple<Tensor, Tensor> inv_ex(const Tensor& A, bool check_errors = false);
Tensor solve(const Tensor& A, const Tensor& B, bool left = true);
std::tuple<Tensor, Tensor> solve_ex(const Tensor& A, const Tensor& B, bool left = true,
                                    bool check_errors = false);
Tensor solve_triangular(const Tensor& A, const Tensor& B, bool upper, bool left = true,
                        bool unitriangular = false);
Tensor cholesky(const Tensor& A, bool upper = false);
std::tuple<Tensor, Tensor> cholesky_ex(const Tensor& A, bool upper = false,
                                       bool check_errors = false);
// mode: "reduced", "complete" or "r" (Q is then empty).
std::tuple<Tensor, Tensor> qr(const Tensor& A, std::string_view mode = "reduced");
// UPLO: "L" or "U", the triangle read.
std::tuple<Tensor, Tensor> eigh(const Tensor& A, std::string_view UPLO = "L");
Tensor eigvalsh(const Tensor& A, std::string_view UPLO = "L");
std::tuple<Tensor, Tensor, Tensor> svd(const Tensor& A, bool full_matrices = true);
Tensor svdvals(const Tensor& A);
// (solution, residuals, rank, singular_values); driver: gelsy (default), gels, gelsd, gelss.
std::tuple<Tensor, Tensor, Tensor, Tensor> lstsq(
    const Tensor& A, const Tensor& B, std::optional<double> rcond = std::nullopt,
    std::optional<std::string_view> driver = std::nullopt);
Tensor pinv(const Tensor& A, std::optional<double> atol = std::nullopt,
            std::optional<double> rtol = std::nullopt, bool hermitian = false);
Tensor matrix_rank(const Tensor& A, std::optional<double> atol = std::nullopt,
                   std::optional<double> rtol = std::nullopt, bool hermitian = false);
Tensor matrix_power(const Tensor& A, int64_t n);
Tensor matrix_exp(const Tensor& A);
Tensor multi_dot(const std::vector<Tensor>& tensors);
Tensor vector_norm(const Tensor& x, double ord = 2, IntArrayRef dim = {}, bool keepdim = false,
                   std::optional<ScalarType> dtype = std::nullopt);
Tensor matrix_norm(const Tensor& A, NormOrder ord = std::string_view("fro"),
                   IntArrayRef dim = {-2, -1}, bool keepdim = false,
                   std::optional<ScalarType> dtype = std::nullopt);
// ord unset: the 2-norm of x flattened (dim unset) or over dim (one dim: vector, two: "fro").
Tensor norm(const Tensor& x, std::optional<NormOrder> ord = std::nullopt, IntArrayRef dim = {},
            bool keepdim = false, std::optional<ScalarType> dtype = std::nullopt);

}  // namespace linalg

// libtorch's flat spellings (torch::linalg_det, ...).
inline Tensor linalg_det(const Tensor& A) { return linalg::det(A); }
inline std::tuple<Tensor, Tensor> linalg_slogdet(const Tensor& A) { return linalg::slogdet(A); }
inline Tensor linalg_inv(const Tensor& A) { return linalg::inv(A); }
inline std::tuple<Tensor, Tensor> linalg_inv_ex(const Tensor& A, bool check_errors = false) {
  return linalg::inv_ex(A, check_errors);
}
inline Tensor linalg_solve(const Tensor& A, const Tensor& B, bool left = true) {
  return linalg::solve(A, B, left);
}
inline Tensor linalg_solve_triangular(const Tensor& A, const Tensor& B, bool upper,
                                      bool left = true, bool unitriangular = false) {
  return linalg::solve_triangular(A, B, upper, left, unitriangular);
}
inline Tensor linalg_cholesky(const Tensor& A, bool upper = false) {
  return linalg::cholesky(A, upper);
}
inline std::tuple<Tensor, Tensor> linalg_cholesky_ex(const Tensor& A, bool upper = false,
                                                     bool check_errors = false) {
  return linalg::cholesky_ex(A, upper, check_errors);
}
inline std::tuple<Tensor, Tensor> linalg_qr(const Tensor& A, std::string_view mode = "reduced") {
  return linalg::qr(A, mode);
}
inline std::tuple<Tensor, Tensor> linalg_eigh(const Tensor& A, std::string_view UPLO = "L") {
  return linalg::eigh(A, UPLO);
}
inline Tensor linalg_eigvalsh(const Tensor& A, std::string_view UPLO = "L") {
  return linalg::eigvalsh(A, UPLO);
}
inline std::tuple<Tensor, Tensor, Tensor> linalg_svd(const Tensor& A, bool full_matrices = true) {
  return linalg::svd(A, full_matrices);
}
inline Tensor linalg_svdvals(const Tensor& A) { return linalg::svdvals(A); }
inline Tensor linalg_pinv(const Tensor& A, std::optional<double> atol = std::nullopt,
                          std::optional<double> rtol = std::nullopt, bool hermitian = false) {
  return linalg::pinv(A, atol, rtol, hermitian);
}
inline Tensor linalg_matrix_rank(const Tensor& A, std::optional<double> atol = std::nullopt,
                                 std::optional<double> rtol = std::nullopt,
                                 bool hermitian = false) {
  return linalg::matrix_rank(A, atol, rtol, hermitian);
}
inline Tensor linalg_matrix_power(const Tensor& A, int64_t n) { return linalg::matrix_power(A, n); }
inline Tensor linalg_matrix_exp(const Tensor& A) { return linalg::matrix_exp(A); }
inline Tensor linalg_multi_dot(const std::vector<Tensor>& tensors) {
  return linalg::multi_dot(tensors);
}
inline Tensor linalg_vector_norm(const Tensor& x, double ord = 2, IntArrayRef dim = {},
                                 bool keepdim = false,
                                 std::optional<ScalarType> dtype = std::nullopt) {
  return linalg::vector_norm(x, ord, dim, keepdim, dtype);
}
inline Tensor linalg_matrix_norm(const Tensor& A, linalg::NormOrder ord = std::string_view("fro"),
                                 IntArrayRef dim = {-2, -1}, bool keepdim = false,
                                 std::optional<ScalarType> dtype = std::nullopt) {
  return linalg::matrix_norm(A, ord, dim, keepdim, dtype);
}
inline std::tuple<Tensor, Tensor, Tensor, Tensor> linalg_lstsq(
    const Tensor& A, const Tensor& B, std::optional<double> rcond = std::nullopt,
    std::optional<std::string_view> driver = std::nullopt) {
  return linalg::lstsq(A, B, rcond, driver);
}

// Legacy top-level names (torch.det, torch.inverse, torch.svd with some=, ...).
Tensor det(const Tensor& A);
Tensor logdet(const Tensor& A);
std::tuple<Tensor, Tensor> slogdet(const Tensor& A);
Tensor inverse(const Tensor& A);
Tensor cholesky(const Tensor& A, bool upper = false);
Tensor cholesky_solve(const Tensor& B, const Tensor& L, bool upper = false);
Tensor cholesky_inverse(const Tensor& L, bool upper = false);
std::tuple<Tensor, Tensor> qr(const Tensor& A, bool some = true);
// U, S, V (not Vh); some=false gives the full U and V; compute_uv=false gives zero U and V.
std::tuple<Tensor, Tensor, Tensor> svd(const Tensor& A, bool some = true, bool compute_uv = true);
Tensor pinverse(const Tensor& A, double rcond = 1e-15);
Tensor matrix_power(const Tensor& A, int64_t n);
Tensor matrix_exp(const Tensor& A);

// Sums products over the indices `equation` names ("bij,bjk->bik", "...ij,...jk", "ii->i");
// pairs of operands contract greedily, the cheapest first, each as one bmm.
Tensor einsum(std::string_view equation, const std::vector<Tensor>& operands);
// Contracts the last `dims` dims of a with the first `dims` of b.
Tensor tensordot(const Tensor& a, const Tensor& b, int64_t dims = 2);
Tensor tensordot(const Tensor& a, const Tensor& b, IntArrayRef dims_a, IntArrayRef dims_b);
Tensor kron(const Tensor& a, const Tensor& b);
Tensor baddbmm(const Tensor& input, const Tensor& batch1, const Tensor& batch2,
               const Scalar& beta = 1, const Scalar& alpha = 1);
Tensor addbmm(const Tensor& input, const Tensor& batch1, const Tensor& batch2,
              const Scalar& beta = 1, const Scalar& alpha = 1);
Tensor addmv(const Tensor& input, const Tensor& mat, const Tensor& vec, const Scalar& beta = 1,
             const Scalar& alpha = 1);
Tensor addr(const Tensor& input, const Tensor& vec1, const Tensor& vec2, const Scalar& beta = 1,
            const Scalar& alpha = 1);

}  // namespace ember
