// The LAPACK-backed ops against properties that define them (A X = B, L L^T = A, Q R = A with
// Q orthogonal, V diag(w) V^T = A, U diag(S) Vh = A), batched, on transposed input, and their
// errors: singular and indefinite input (with the batch element), non-square and integer input.
#include <gtest/gtest.h>

#include <cmath>
#include <type_traits>

#include "ember/ops/linalg.h"
#include "ember/ops/ops.h"
#include "ember/ops/shape.h"
#include "tests/test_support.h"

namespace ember {
namespace {

using testing::message_of;

Tensor random_matrix(IntArrayRef shape, uint64_t seed) {
  manual_seed(seed);
  return rand(shape, TensorOptions(kFloat64)) * 2 - 1;
}

Tensor positive_definite(int64_t n, IntArrayRef batch_shape, uint64_t seed) {
  Shape shape(batch_shape.begin(), batch_shape.end());
  shape.push_back(n);
  shape.push_back(n);
  const Tensor a = random_matrix(shape, seed);
  return matmul(a, a.transpose(-2, -1)) + eye(n, TensorOptions(kFloat64)) * static_cast<double>(n);
}

double max_difference(const Tensor& a, const Tensor& b) { return amax(abs(a - b)).item<double>(); }

TEST(LinalgLapack, SolveSatisfiesTheSystemForBatchesAndTransposedInput) {
  const Tensor a = random_matrix({3, 4, 4}, 1) + eye(4, TensorOptions(kFloat64)) * 4.0;
  const Tensor b = random_matrix({4, 2}, 2);
  const Tensor x = linalg::solve(a, b);
  EXPECT_EQ(x.shape(), Shape({3, 4, 2}));
  EXPECT_LT(max_difference(matmul(a, x), b.expand({3, 4, 2})), 1e-12);
  const Tensor at = a.transpose(-2, -1);
  EXPECT_LT(max_difference(matmul(at, linalg::solve(at, b)), b.expand({3, 4, 2})), 1e-12);
}

TEST(LinalgLapack, InverseAndDeterminant) {
  const Tensor a = random_matrix({2, 3, 3}, 3) + eye(3, TensorOptions(kFloat64)) * 3.0;
  const Tensor inverse = linalg::inv(a);
  EXPECT_LT(max_difference(matmul(a, inverse), eye(3, TensorOptions(kFloat64)).expand({2, 3, 3})),
            1e-12);
  // det(A) det(A^-1) = 1.
  EXPECT_LT(max_difference(linalg::det(a) * linalg::det(inverse), ones({2}, kFloat64)), 1e-12);
  const Tensor diagonal = tensor({{2.0, 0.0}, {0.0, -3.0}});
  EXPECT_DOUBLE_EQ(linalg::det(diagonal).item<double>(), -6.0);
  auto [sign, logabsdet] = linalg::slogdet(diagonal);
  EXPECT_DOUBLE_EQ(sign.item<double>(), -1.0);
  EXPECT_NEAR(logabsdet.item<double>(), std::log(6.0), 1e-6);  // float32
}

TEST(LinalgLapack, CholeskyReconstructsAndIsLower) {
  const Tensor a = positive_definite(5, {4}, 4);
  const Tensor lower = linalg::cholesky(a);
  EXPECT_LT(max_difference(matmul(lower, lower.transpose(-2, -1)), a), 1e-12);
  EXPECT_EQ(lower[0][0][1].item<double>(), 0.0);
  const Tensor upper = linalg::cholesky(a, /*upper=*/true);
  EXPECT_LT(max_difference(matmul(upper.transpose(-2, -1), upper), a), 1e-12);
  EXPECT_TRUE(allclose(ember::cholesky(a), lower));
}

TEST(LinalgLapack, QrEighSvdReconstruct) {
  const Tensor a = random_matrix({2, 5, 3}, 5);
  auto [q, r] = linalg::qr(a);
  EXPECT_LT(max_difference(matmul(q, r), a), 1e-12);
  EXPECT_LT(max_difference(matmul(q.transpose(-2, -1), q),
                           eye(3, TensorOptions(kFloat64)).expand({2, 3, 3})),
            1e-12);
  const Tensor s = positive_definite(4, {}, 6);
  auto [w, v] = linalg::eigh(s);
  EXPECT_LT(max_difference(matmul(v * w.unsqueeze(0), v.t()), s), 1e-11);
  auto [u, sigma, vh] = linalg::svd(a, /*full_matrices=*/false);
  EXPECT_LT(max_difference(matmul(u * sigma.unsqueeze(-2), vh), a), 1e-12);
  EXPECT_LT(max_difference(linalg::svdvals(a), sigma), 1e-12);
}

TEST(LinalgLapack, SolveTriangularLeftAndRight) {
  const Tensor a = linalg::cholesky(positive_definite(3, {}, 7));
  const Tensor b = random_matrix({3, 2}, 8);
  const Tensor x = linalg::solve_triangular(a, b, /*upper=*/false);
  EXPECT_LT(max_difference(matmul(a, x), b), 1e-12);
  const Tensor y = linalg::solve_triangular(a, b.t(), /*upper=*/false, /*left=*/false);
  EXPECT_LT(max_difference(matmul(y, a), b.t()), 1e-12);
}

TEST(LinalgLapack, SingularAndIndefiniteInputRaiseOrReportInfo) {
  const Tensor singular = tensor({{1.0, 2.0}, {2.0, 4.0}});
  EXPECT_NE(message_of([&] { linalg::inv(singular); }).find("The diagonal element 2 is zero"),
            std::string::npos);
  auto [inverse, info] = linalg::inv_ex(singular);
  EXPECT_EQ(info.item<int32_t>(), 2);
  const Tensor indefinite = tensor({{1.0, 2.0}, {2.0, 1.0}});
  EXPECT_NE(message_of([&] {
              linalg::cholesky(indefinite);
            }).find("the leading minor of order 2 is not positive-definite"),
            std::string::npos);
  EXPECT_EQ(std::get<1>(linalg::cholesky_ex(indefinite)).item<int32_t>(), 2);
}

TEST(LinalgLapack, BadShapesAndDtypes) {
  EXPECT_NE(message_of([] {
              linalg::inv(zeros({2, 3}, kFloat64));
            }).find("[linalg.inv] A must be batches of square matrices, but they are 2 by 3"),
            std::string::npos);
  EXPECT_NE(message_of([] {
              linalg::det(zeros({2, 2}, kInt64));
            }).find("Expected a floating point tensor as input. Got int64"),
            std::string::npos);
  EXPECT_THROW(linalg::cholesky(ones({2, 2}, kFloat16)), RuntimeError);
}

// Numerical failures are LinAlgError, a RuntimeError, with torch.linalg's messages.
TEST(LinalgLapack, NumericalFailuresAreLinAlgErrors) {
  const Tensor singular = tensor({{1.0, 2.0}, {2.0, 4.0}}).to(kFloat64);
  EXPECT_THROW(linalg::inv(singular), LinAlgError);
  EXPECT_THROW(linalg::solve(singular, ones({2}, kFloat64)), LinAlgError);
  EXPECT_THROW(linalg::cholesky(-eye(2, TensorOptions(kFloat64))), LinAlgError);
  EXPECT_THROW(linalg::inv_ex(singular, /*check_errors=*/true), LinAlgError);
  EXPECT_EQ(message_of([&] {
              linalg::inv(stack({eye(2, TensorOptions(kFloat64)), singular}));
            }),
            "[linalg.inv] (Batch element 1): The diagonal element 2 is zero, the inversion could "
            "not be completed because the input matrix is singular.");
  const Tensor nan_matrix = full({2, 3, 3}, std::nan(""), TensorOptions(kFloat64));
  EXPECT_EQ(message_of([&] { linalg::eigh(nan_matrix); }),
            "[linalg.eigh] (Batch element 0): The algorithm failed to converge because the input "
            "matrix contained non-finite values.");
  EXPECT_THROW(linalg::svd(nan_matrix[0]), LinAlgError);
  // Existing handlers of RuntimeError still catch it.
  static_assert(std::is_base_of_v<RuntimeError, LinAlgError>);
}

TEST(LinalgEinsum, MatchesMatmulFamily) {
  const Tensor a = random_matrix({2, 3, 4}, 9), b = random_matrix({2, 4, 5}, 10);
  EXPECT_TRUE(equal(einsum("bij,bjk->bik", {a, b}), bmm(a, b)));
  EXPECT_LT(max_difference(einsum("...ij,...jk", {a, b}), matmul(a, b)), 1e-12);
  const Tensor square = random_matrix({3, 3}, 11);
  const double trace =
      square[0][0].item<double>() + square[1][1].item<double>() + square[2][2].item<double>();
  EXPECT_NEAR(einsum("ii", {square}).item<double>(), trace, 1e-15);
  EXPECT_LT(max_difference(tensordot(a, b, {2}, {1}), einsum("bij,cjk->bick", {a, b})), 1e-12);
}

}  // namespace
}  // namespace ember
