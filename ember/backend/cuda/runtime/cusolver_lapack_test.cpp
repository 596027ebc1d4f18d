// The Lapack CUDA kernel through cuSOLVER (cusolver_lapack.cpp) against the CPU's LAPACK: the
// Cholesky factor, solve (batched, broadcast B, a singular matrix's info) and eigh (eigenvalues,
// and eigenvectors through the reconstruction A = V diag(w) V^T, since their signs are free), in
// float32 and float64; QR and SVD by reconstruction. Needs a CUDA device (skipped otherwise); the
// ops the kernel does not cover raise "has no CUDA kernel".
#include <gtest/gtest.h>

#include <string>

#include "ember/base/error.h"
#include "ember/base/linalg_error.h"
#include "ember/ops/linalg.h"
#include "ember/ops/ops.h"
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

TEST(CudaLapack, SingularAndNonPositiveDefiniteMatricesReportInfo) {
  if (!cuda::is_available()) GTEST_SKIP() << kNoDevice;
  const Tensor singular = zeros({2, 3, 3}, TensorOptions(kFloat64)).cuda();
  EXPECT_THROW(linalg::solve(singular, ones({2, 3, 1}, TensorOptions(kFloat64)).cuda()),
               LinAlgError);
  EXPECT_THROW(linalg::cholesky(eye(3, TensorOptions(kFloat64)).mul(-1.0).cuda()), LinAlgError);
}

}  // namespace
}  // namespace ember
