// The Lapack CUDA kernel through cuSOLVER (cusolver_lapack.cpp) against the CPU's LAPACK: the
// Cholesky factor, solve (batched, broadcast B, a singular matrix's info) and eigh (eigenvalues,
// and eigenvectors through the reconstruction A = V diag(w) V^T, since their signs are free), in
// float32 and float64; QR and SVD by reconstruction; det and slogdet (batched, transposed,
// singular, empty), solve_triangular (every triangle, side and diagonal, broadcast batch dims,
// transposed operands) and lstsq by 'gels' (tall, wide, batched, a vector B) against the CPU
// (their gradients: python/tests/test_cuda_ops.py, since this binary has no autograd). Needs a
// CUDA device (skipped otherwise).
#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <vector>

#include "ember/base/error.h"
#include "ember/base/linalg_error.h"
#include "ember/ops/linalg.h"
#include "ember/ops/ops.h"
#include "ember/ops/shape.h"
#include "ember/tensor/cuda_runtime.h"

namespace ember {
namespace {

constexpr const char* kNoDevice = "needs a CUDA device";

void expect_close(const Tensor& on_device, const Tensor& expected, const std::string& what) {
  ASSERT_TRUE(on_device.device().is_cuda()) << what;
  ASSERT_EQ(on_device.sizes(), expected.sizes()) << what;
  const double tolerance = expected.dtype() == kFloat64 ? 1e-9 : 1e-3;
  EXPECT_TRUE(allclose(on_device.cpu().to(kFloat64), expected.to(kFloat64), tolerance, tolerance))
      << what;
}

// A batch (3) of well-conditioned symmetric positive definite 5 x 5 matrices.
Tensor spd(ScalarType dtype) {
  const Tensor m = randn({3, 5, 5}, TensorOptions(kFloat64));
  return matmul(m, m.transpose(-2, -1)).add(eye(5, TensorOptions(kFloat64)).mul(5.0)).to(dtype);
}

TEST(CudaLapack, CholeskySolveAndEighMatchTheCpu) {
  if (!cuda::is_available()) GTEST_SKIP() << kNoDevice;
  for (ScalarType dtype : {kFloat32, kFloat64}) {
    manual_seed(3);
    const std::string name(dtype_name(dtype));
    const Tensor A = spd(dtype);
    const Tensor A_d = A.cuda();
    expect_close(linalg::cholesky(A_d), linalg::cholesky(A), name + " cholesky");
    expect_close(linalg::cholesky(A_d, true), linalg::cholesky(A, true), name + " upper");
    const Tensor B = randn({5, 2}, TensorOptions(dtype));
    expect_close(linalg::solve(A_d, B.cuda()), linalg::solve(A, B), name + " solve");
    expect_close(linalg::solve(A_d.transpose(-2, -1), B.cuda()),
                 linalg::solve(A.transpose(-2, -1), B), name + " solve of a transposed A");
    const auto [values_d, vectors_d] = linalg::eigh(A_d);
    const auto [values, vectors] = linalg::eigh(A);
    expect_close(values_d, values, name + " eigenvalues");
    expect_close(matmul(vectors_d.mul(values_d.unsqueeze(-2)), vectors_d.transpose(-2, -1)), A,
                 name + " eigenvectors");
  }
}

// QR and SVD of wide, tall and batched matrices, checked by reconstruction (the factors' signs
// are free) and by R's triangle and the singular values against the CPU.
TEST(CudaLapack, QrAndSvdReconstructTheMatrix) {
  if (!cuda::is_available()) GTEST_SKIP() << kNoDevice;
  for (ScalarType dtype : {kFloat32, kFloat64}) {
    manual_seed(4);
    for (const Shape& shape : {Shape{4, 6}, Shape{6, 4}, Shape{2, 3, 5, 5}}) {
      const std::string name = std::string(dtype_name(dtype)) + " " + std::to_string(shape[0]);
      const Tensor A = randn(shape, TensorOptions(dtype));
      const Tensor A_d = A.cuda();
      for (std::string_view mode : {"reduced", "complete"}) {
        const auto [Q, R] = linalg::qr(A_d, mode);
        expect_close(matmul(Q, R), A, name + " Q R " + std::string(mode));
        expect_close(R.abs(), std::get<1>(linalg::qr(A, mode)).abs(), name + " |R|");
      }
      for (bool full : {false, true}) {
        const auto [U, S, Vh] = linalg::svd(A_d, full);
        expect_close(S, std::get<1>(linalg::svd(A, full)), name + " S");
        const int64_t k = S.size(-1);
        expect_close(matmul(U.narrow(-1, 0, k).mul(S.unsqueeze(-2)), Vh.narrow(-2, 0, k)), A,
                     name + " U S Vh");
      }
      expect_close(linalg::svdvals(A_d), linalg::svdvals(A), name + " svdvals");
    }
  }
}

// Random well-conditioned matrices: a diagonal of 2..3 in magnitude over small entries, with
// negative diagonal entries so that signs vary.
Tensor well_conditioned(const Shape& shape, ScalarType dtype) {
  const int64_t n = shape.back();
  const Tensor noise = rand(shape, TensorOptions(kFloat64)).sub(0.5).mul(0.5);
  const Tensor diagonal =
      rand({n}, TensorOptions(kFloat64))
          .add(2.0)
          .mul(tensor({-1.0, 1.0}, TensorOptions(kFloat64)).repeat({n}).narrow(0, 0, n));
  return noise.add(diag_embed(diagonal)).to(dtype);
}

TEST(CudaLapack, DetAndSlogdetMatchTheCpu) {
  if (!cuda::is_available()) GTEST_SKIP() << kNoDevice;
  for (ScalarType dtype : {kFloat32, kFloat64}) {
    manual_seed(5);
    const std::string name(dtype_name(dtype));
    // A singular matrix whose LU has an exact zero pivot (two equal rows), the zero matrix, a
    // batch, its transpose (a non-contiguous operand), 1 x 1 and 0 x 0 matrices.
    const Tensor twin_rows =
        tensor({{1.0, 2.0, 3.0}, {1.0, 2.0, 3.0}, {0.5, -1.0, 4.0}}, TensorOptions(dtype));
    const std::vector<std::pair<std::string, Tensor>> cases = {
        {"batch", well_conditioned({2, 3, 4, 4}, dtype)},
        {"transposed", well_conditioned({3, 5, 5}, dtype).transpose(-2, -1)},
        {"random", randn({4, 6, 6}, TensorOptions(dtype))},
        {"singular", twin_rows},
        {"zero", zeros({2, 3, 3}, TensorOptions(dtype))},
        {"1x1", randn({3, 1, 1}, TensorOptions(dtype))},
        {"0x0", zeros({2, 0, 0}, TensorOptions(dtype))}};
    for (const auto& [label, A] : cases) {
      const std::string what = name + " " + label;
      expect_close(linalg::det(A.cuda()), linalg::det(A), what + " det");
      const auto [sign_d, log_d] = linalg::slogdet(A.cuda());
      const auto [sign, log] = linalg::slogdet(A);
      expect_close(sign_d, sign, what + " sign");
      expect_close(log_d, log, what + " logabsdet");
    }
  }
}

TEST(CudaLapack, SolveTriangularMatchesTheCpu) {
  if (!cuda::is_available()) GTEST_SKIP() << kNoDevice;
  for (ScalarType dtype : {kFloat32, kFloat64}) {
    manual_seed(6);
    const std::string name(dtype_name(dtype));
    const Tensor A = well_conditioned({2, 4, 4}, dtype);
    for (bool upper : {false, true}) {
      for (bool left : {true, false}) {
        for (bool unit : {false, true}) {
          const std::string what = name + (upper ? " upper" : " lower") +
                                   (left ? " left" : " right") + (unit ? " unit" : "");
          const Tensor B = randn(left ? Shape{2, 4, 3} : Shape{2, 3, 4}, TensorOptions(dtype));
          expect_close(linalg::solve_triangular(A.cuda(), B.cuda(), upper, left, unit),
                       linalg::solve_triangular(A, B, upper, left, unit), what);
          // A transposed operand and one matrix A broadcast over B's batch.
          const Tensor At = A.transpose(-2, -1);
          expect_close(linalg::solve_triangular(At.cuda(), B.cuda(), upper, left, unit),
                       linalg::solve_triangular(At, B, upper, left, unit), what + " A^T");
          const Tensor A0 = A.select(0, 0);
          const Tensor wide =
              randn(left ? Shape{3, 2, 4, 5} : Shape{3, 2, 5, 4}, TensorOptions(dtype));
          expect_close(linalg::solve_triangular(A0.cuda(), wide.cuda(), upper, left, unit),
                       linalg::solve_triangular(A0, wide, upper, left, unit), what + " broadcast");
        }
      }
    }
    const Tensor empty_b = zeros({4, 0}, TensorOptions(dtype));
    EXPECT_EQ(linalg::solve_triangular(A.select(0, 0).cuda(), empty_b.cuda(), true).sizes(),
              (Shape{4, 0}));
  }
}

// lstsq on CUDA is driver 'gels' (QR, full rank), as in PyTorch: the default there, and the
// only driver; tall systems get residuals, rank and singular values are empty.
TEST(CudaLapack, LstsqByGelsMatchesTheCpu) {
  if (!cuda::is_available()) GTEST_SKIP() << kNoDevice;
  for (ScalarType dtype : {kFloat32, kFloat64}) {
    manual_seed(7);
    const std::string name(dtype_name(dtype));
    const std::vector<std::tuple<std::string, Tensor, Tensor>> cases = {
        {"tall", randn({6, 3}, TensorOptions(dtype)), randn({6, 2}, TensorOptions(dtype))},
        {"wide", randn({3, 5}, TensorOptions(dtype)), randn({3, 2}, TensorOptions(dtype))},
        {"square", well_conditioned({4, 4}, dtype), randn({4, 1}, TensorOptions(dtype))},
        {"batch", randn({2, 7, 4}, TensorOptions(dtype)), randn({1, 7, 3}, TensorOptions(dtype))},
        {"sliced", randn({2, 2, 7}, TensorOptions(dtype)).narrow(-1, 1, 5),
         randn({2, 2, 3}, TensorOptions(dtype))},
        {"transposed", randn({3, 6}, TensorOptions(dtype)).transpose(-2, -1),
         randn({2, 6}, TensorOptions(dtype)).transpose(-2, -1)},
        {"vector", randn({2, 5, 3}, TensorOptions(dtype)), randn({2, 5}, TensorOptions(dtype))}};
    for (const auto& [label, A, B] : cases) {
      const std::string what = name + " " + label;
      const auto [X_d, residuals_d, rank_d, values_d] = linalg::lstsq(A.cuda(), B.cuda());
      const auto [X, residuals, rank, values] =
          linalg::lstsq(A, B, std::nullopt, std::string_view("gels"));
      expect_close(X_d, X, what + " solution");
      EXPECT_EQ(residuals_d.sizes(), residuals.sizes()) << what;
      if (residuals.numel() > 0) expect_close(residuals_d, residuals, what + " residuals");
      EXPECT_EQ(rank_d.numel(), 0) << what;
      EXPECT_EQ(values_d.numel(), 0) << what;
    }
    const Tensor A = randn({4, 3}, TensorOptions(dtype)).cuda();
    const Tensor B = randn({4, 2}, TensorOptions(dtype)).cuda();
    expect_close(std::get<0>(linalg::lstsq(A, B, std::nullopt, std::string_view("gels"))),
                 std::get<0>(linalg::lstsq(A.cpu(), B.cpu())), name + " explicit gels");
    EXPECT_THROW(linalg::lstsq(A, B, std::nullopt, std::string_view("gelsd")), RuntimeError);
    // A zero column: R has a zero on its diagonal, which gels reports.
    const Tensor deficient = A.mul(tensor({1.0, 0.0, 1.0}, TensorOptions(dtype)).cuda());
    EXPECT_THROW(linalg::lstsq(deficient, B), LinAlgError);
    const Tensor no_columns = zeros({4, 0}, TensorOptions(dtype)).cuda();
    EXPECT_EQ(std::get<0>(linalg::lstsq(A, no_columns)).sizes(), (Shape{3, 0}));
  }
}

TEST(CudaLapack, SingularAndNonPositiveDefiniteMatricesReportInfo) {
  if (!cuda::is_available()) GTEST_SKIP() << kNoDevice;
  const Tensor singular = zeros({2, 3, 3}, TensorOptions(kFloat64)).cuda();
  EXPECT_THROW(linalg::solve(singular, ones({2, 3, 1}, TensorOptions(kFloat64)).cuda()),
               LinAlgError);
  EXPECT_THROW(linalg::cholesky(eye(3, TensorOptions(kFloat64)).mul(-1.0).cuda()), LinAlgError);
}

}  // namespace
}  // namespace ember
