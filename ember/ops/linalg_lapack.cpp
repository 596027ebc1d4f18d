// The LAPACK-backed ops of ember::linalg: argument checks, broadcasting and the column-major
// results around one Lapack primitive call each (primitives_linalg.h), and torch.linalg's errors
// for singular or indefinite input (the *_ex variants return the info instead).
#include <algorithm>
#include <sstream>

#include "ember/base/linalg_error.h"
#include "ember/ops/dispatch.h"
#include "ember/ops/linalg.h"
#include "ember/ops/linalg_util.h"
#include "ember/ops/ops.h"
#include "ember/ops/primitives.h"

namespace ember::linalg {
namespace {

using linalg_detail::check_matrix;
using linalg_detail::empty_column_major;
using linalg_detail::mT;

Shape batch_shape(const Tensor& A, int64_t matrix_dims = 2) {
  return Shape(A.shape().begin(), A.shape().end() - matrix_dims);
}

Shape with_matrix(Shape batch, int64_t rows, int64_t columns) {
  batch.push_back(rows);
  batch.push_back(columns);
  return batch;
}

// The first failing matrix of a batch, for the error: -1 when every info is 0. A CUDA info is
// read from a host copy (the error check synchronises, as PyTorch's does).
int64_t first_failure(const Tensor& info, int32_t* code) {
  const Tensor flat = (info.device().is_cuda() ? info.to(kCPU) : info).contiguous();
  const int32_t* data = flat.data_ptr<int32_t>();
  for (int64_t i = 0; i < flat.numel(); ++i) {
    if (data[i] != 0) {
      *code = data[i];
      return i;
    }
  }
  return -1;
}

// "(Batch element 3): " for a batch, nothing for a single matrix, as torch.linalg's errors.
std::string batch_prefix(const Tensor& info, int64_t item) {
  if (info.dim() == 0) return "";
  std::ostringstream text;
  text << "(Batch element " << item << "): ";
  return text.str();
}

void check_singular(std::string_view op, const Tensor& info) {
  int32_t code = 0;
  const int64_t item = first_failure(info, &code);
  if (item < 0) return;
  if (op == "linalg.inv") {
    detail::raise<LinAlgError>("[", op, "] ", batch_prefix(info, item), "The diagonal element ",
                               code,
                               " is zero, the inversion could not be completed because the "
                               "input matrix is singular.");
  }
  detail::raise<LinAlgError>("[", op, "] ", batch_prefix(info, item),
                             "The solver failed because the input matrix is singular.");
}

void check_positive_definite(std::string_view op, const Tensor& info) {
  int32_t code = 0;
  const int64_t item = first_failure(info, &code);
  if (item < 0) return;
  detail::raise<LinAlgError>("[", op, "] ", batch_prefix(info, item),
                             "The factorization could not be completed because the input is not "
                             "positive-definite (the leading minor of order ",
                             code, " is not positive-definite).");
}

// gels's zero diagonal element of the triangle, or gelsd/gelss's SVD not converging.
void check_least_squares(const Tensor& info) {
  int32_t code = 0;
  const int64_t item = first_failure(info, &code);
  if (item < 0) return;
  detail::raise<LinAlgError>("[linalg.lstsq] ", batch_prefix(info, item),
                             "The least squares solution could not be computed because the input "
                             "matrix does not have full rank (error code: ",
                             code, ").");
}

// The default is 'gelsy' on the CPU and 'gels' on CUDA, the only driver there (as in PyTorch:
// cuSOLVER has no rank-revealing least squares).
LstsqDriver parse_driver(std::optional<std::string_view> driver, Device device) {
  if (device.is_cuda()) {
    EMBER_CHECK(driver.value_or("gels") == "gels",
                "[linalg.lstsq] `driver` other than `gels` is not supported on CUDA; got '",
                *driver, "'");
    return LstsqDriver::Gels;
  }
  const std::string_view name = driver.value_or("gelsy");
  if (name == "gels") return LstsqDriver::Gels;
  if (name == "gelsy") return LstsqDriver::Gelsy;
  if (name == "gelsd") return LstsqDriver::Gelsd;
  EMBER_CHECK_VALUE(name == "gelss",
                    "[linalg.lstsq] parameter `driver` should be one of (gels, gelsy, gelsd, ",
                    "gelss); got '", name, "'");
  return LstsqDriver::Gelss;
}

// A (batch_a, n, n) and B (batch_b, n, k) expanded to one batch (no copy).
std::pair<Tensor, Tensor> broadcast_system(std::string_view op, const Tensor& A, const Tensor& B) {
  EMBER_CHECK(B.size(-2) == A.size(-1), "[", op,
              "] Incompatible shapes of A and B for the equation AX = B (", A.size(-2), "x",
              A.size(-1), " and ", B.size(-2), "x", B.size(-1), "); got A of shape ", A.shape(),
              " and B of shape ", B.shape());
  const Shape batch = broadcast_shapes(batch_shape(A), batch_shape(B), op);
  return {A.expand(with_matrix(batch, A.size(-2), A.size(-1))),
          B.expand(with_matrix(batch, B.size(-2), B.size(-1)))};
}

}  // namespace

std::tuple<Tensor, Tensor> cholesky_ex(const Tensor& A, bool upper, bool check_errors) {
  check_matrix("linalg.cholesky", A, /*square=*/true);
  Tensor L = empty_column_major(A.shape(), A.dtype(), A.device());
  Tensor info = zeros(batch_shape(A), TensorOptions(kInt32).device(A.device()));
  run_unless_empty(Lapack("linalg_cholesky_ex", LapackOp::Cholesky), {A}, {L, info});
  if (check_errors) check_positive_definite("linalg.cholesky_ex", info);
  return {upper ? mT(L) : L, info};
}

Tensor cholesky(const Tensor& A, bool upper) {
  auto [L, info] = cholesky_ex(A, upper);
  check_positive_definite("linalg.cholesky", info);
  return L;
}

std::tuple<Tensor, Tensor> solve_ex(const Tensor& A, const Tensor& B, bool left,
                                    bool check_errors) {
  check_matrix("linalg.solve", A, /*square=*/true);
  linalg_detail::check_same_dtype("linalg.solve", A, B);
  // B is a vector (or batch of vectors) when it is 1-D or has A's shape without the last dim.
  const bool vector = B.dim() == 1 || (B.dim() == A.dim() - 1 &&
                                       Shape(A.shape().begin(), A.shape().end() - 1) == B.shape());
  if (!left) {
    EMBER_CHECK(!vector, "[linalg.solve] left=False needs B to be a matrix; got B of shape ",
                B.shape());
    auto [X, info] = solve_ex(mT(A), mT(B), true, check_errors);
    return {mT(X), info};
  }
  const Tensor B_matrix = vector ? B.unsqueeze(-1) : B;
  EMBER_CHECK(B_matrix.dim() >= 2, "[linalg.solve] B must have at least 1 dimension; got ",
              B.shape());
  auto [a, b] = broadcast_system("linalg.solve", A, B_matrix);
  Tensor X = empty_column_major(b.shape(), A.dtype(), A.device());
  Tensor info = zeros(batch_shape(a), TensorOptions(kInt32).device(A.device()));
  run_unless_empty(Lapack("linalg_solve_ex", LapackOp::Solve), {a, b}, {X, info});
  if (check_errors) check_singular("linalg.solve_ex", info);
  return {vector ? X.squeeze(-1) : X, info};
}

Tensor solve(const Tensor& A, const Tensor& B, bool left) {
  auto [X, info] = solve_ex(A, B, left);
  check_singular("linalg.solve", info);
  return X;
}

std::tuple<Tensor, Tensor> inv_ex(const Tensor& A, bool check_errors) {
  check_matrix("linalg.inv", A, /*square=*/true);
  // As in PyTorch: the solution of A X = I, so the gradient is solve's.
  auto [X, info] = solve_ex(A, linalg_detail::eye_like(A).expand(A.shape()));
  if (check_errors) check_singular("linalg.inv", info);
  return {X, info};
}

Tensor inv(const Tensor& A) {
  auto [X, info] = inv_ex(A);
  check_singular("linalg.inv", info);
  return X;
}

std::tuple<Tensor, Tensor> slogdet(const Tensor& A) {
  check_matrix("linalg.slogdet", A, /*square=*/true);
  Tensor sign = empty(batch_shape(A), TensorOptions(A.dtype()).device(A.device()));
  Tensor logabsdet = empty(batch_shape(A), TensorOptions(A.dtype()).device(A.device()));
  run_unless_empty(Lapack("linalg_slogdet", LapackOp::Slogdet), {A}, {sign, logabsdet});
  return {sign, logabsdet};
}

Tensor det(const Tensor& A) {
  check_matrix("linalg.det", A, /*square=*/true);
  Tensor result = empty(batch_shape(A), TensorOptions(A.dtype()).device(A.device()));
  run_unless_empty(Lapack("linalg_det", LapackOp::Det), {A}, {result});
  return result;
}

Tensor solve_triangular(const Tensor& A, const Tensor& B, bool upper, bool left,
                        bool unitriangular) {
  check_matrix("linalg.solve_triangular", A, /*square=*/true);
  check_matrix("linalg.solve_triangular", B, /*square=*/false, "B");
  linalg_detail::check_same_dtype("linalg.solve_triangular", A, B);
  // X A = B is A^T X^T = B^T, with the other triangle.
  if (!left) return mT(solve_triangular(mT(A), mT(B), !upper, true, unitriangular));
  auto [a, b] = broadcast_system("linalg.solve_triangular", A, B);
  Tensor X = empty_column_major(b.shape(), A.dtype(), A.device());
  run_unless_empty(
      Lapack("linalg_solve_triangular", LapackOp::SolveTriangular, upper, unitriangular), {a, b},
      {X});
  return X;
}

std::tuple<Tensor, Tensor> qr(const Tensor& A, std::string_view mode) {
  check_matrix("linalg.qr", A, /*square=*/false);
  EMBER_CHECK_VALUE(mode == "reduced" || mode == "complete" || mode == "r",
                    "[linalg.qr] qr received unrecognized mode '", mode,
                    "' but expected one of 'reduced' (default), 'r', or 'complete'");
  const int64_t m = A.size(-2), n = A.size(-1), k = std::min(m, n);
  const bool complete = mode == "complete";
  const Shape batch = batch_shape(A);
  Tensor Q = empty_column_major(with_matrix(batch, m, complete ? m : k), A.dtype(), A.device());
  Tensor R = empty_column_major(with_matrix(batch, complete ? m : k, n), A.dtype(), A.device());
  run_unless_empty(Lapack("linalg_qr", LapackOp::Qr, false, false, complete), {A}, {Q, R});
  if (mode == "r") return {empty({0}, TensorOptions(A.dtype()).device(A.device())), R};
  return {Q, R};
}

std::tuple<Tensor, Tensor> eigh(const Tensor& A, std::string_view UPLO) {
  check_matrix("linalg.eigh", A, /*square=*/true);
  EMBER_CHECK_VALUE(UPLO == "L" || UPLO == "U", "[linalg.eigh] UPLO argument must be 'L' or 'U', ",
                    "but got '", UPLO, "'");
  const int64_t n = A.size(-1);
  Shape value_shape = batch_shape(A);
  value_shape.push_back(n);
  Tensor values = empty(value_shape, TensorOptions(A.dtype()).device(A.device()));
  Tensor vectors = empty_column_major(A.shape(), A.dtype(), A.device());
  run_unless_empty(Lapack("linalg_eigh", LapackOp::Eigh, UPLO == "U"), {A}, {values, vectors});
  return {values, vectors};
}

Tensor eigvalsh(const Tensor& A, std::string_view UPLO) { return std::get<0>(eigh(A, UPLO)); }

std::tuple<Tensor, Tensor, Tensor> svd(const Tensor& A, bool full_matrices) {
  check_matrix("linalg.svd", A, /*square=*/false);
  const int64_t m = A.size(-2), n = A.size(-1), k = std::min(m, n);
  const Shape batch = batch_shape(A);
  Shape s_shape = batch;
  s_shape.push_back(k);
  Tensor U =
      empty_column_major(with_matrix(batch, m, full_matrices ? m : k), A.dtype(), A.device());
  Tensor S = empty(s_shape, TensorOptions(A.dtype()).device(A.device()));
  Tensor Vh =
      empty_column_major(with_matrix(batch, full_matrices ? n : k, n), A.dtype(), A.device());
  run_unless_empty(Lapack("linalg_svd", LapackOp::Svd, false, false, full_matrices), {A},
                   {U, S, Vh});
  return {U, S, Vh};
}

Tensor svdvals(const Tensor& A) {
  check_matrix("linalg.svdvals", A, /*square=*/false);
  // The gradient needs the singular vectors: compute them only then.
  if (A.requires_grad()) return std::get<1>(linalg::svd(A, false));
  Shape s_shape = batch_shape(A);
  s_shape.push_back(std::min(A.size(-2), A.size(-1)));
  Tensor S = empty(s_shape, TensorOptions(A.dtype()).device(A.device()));
  run_unless_empty(Lapack("linalg_svdvals", LapackOp::Svdvals), {A}, {S});
  return S;
}

std::tuple<Tensor, Tensor, Tensor, Tensor> lstsq(const Tensor& A, const Tensor& B,
                                                 std::optional<double> rcond,
                                                 std::optional<std::string_view> driver) {
  check_matrix("linalg.lstsq", A, /*square=*/false);
  linalg_detail::check_same_dtype("linalg.lstsq", A, B);
  const LstsqDriver which = parse_driver(driver, A.device());
  const int64_t dims_apart = A.dim() - B.dim();
  EMBER_CHECK(dims_apart == 0 || dims_apart == 1,
              "[linalg.lstsq] input.dim() must be greater or equal to other.dim() and ",
              "(input.dim() - other.dim()) <= 1; got A of shape ", A.shape(), " and B of shape ",
              B.shape());
  // B is a (batch of) vector(s) when it has one dim fewer than A.
  const bool vector = dims_apart == 1;
  const Tensor B_matrix = vector ? B.unsqueeze(-1) : B;
  EMBER_CHECK(B_matrix.size(-2) == A.size(-2), "[linalg.lstsq] input.size(-2) should match ",
              vector ? "other.size(-1)" : "other.size(-2)", "; got A of shape ", A.shape(),
              " and B of shape ", B.shape());
  const int64_t m = A.size(-2), n = A.size(-1), k = B_matrix.size(-1);
  const Shape batch = broadcast_shapes(batch_shape(A), batch_shape(B_matrix), "linalg.lstsq");
  const Tensor a = A.expand(with_matrix(batch, m, n)),
               b = B_matrix.expand(with_matrix(batch, m, k));
  // PyTorch's default: the dtype's epsilon times max(m, n).
  const double tolerance =
      rcond.value_or(linalg_detail::epsilon(A.dtype()) * static_cast<double>(std::max(m, n)));
  const bool svd_driver = which == LstsqDriver::Gelsd || which == LstsqDriver::Gelss;
  Shape s_shape = batch;
  s_shape.push_back(svd_driver ? std::min(m, n) : 0);
  const TensorOptions real = TensorOptions(A.dtype()).device(A.device());
  const TensorOptions int64 = TensorOptions(kInt64).device(A.device());
  Tensor solution = empty_column_major(with_matrix(batch, n, k), A.dtype(), A.device());
  Tensor rank = empty(batch, int64);
  Tensor singular_values = empty(s_shape, real);
  Tensor info = empty(batch, TensorOptions(kInt32).device(A.device()));
  run_unless_empty(Lapack("linalg_lstsq", which, tolerance), {a, b},
                   {solution, rank, singular_values, info});
  check_least_squares(info);
  // As PyTorch: residuals only for tall A solved by gels, or by gelsd/gelss at full rank.
  Tensor residuals = empty({0}, real);
  if (m > n && which != LstsqDriver::Gelsy) {
    const bool full_rank = which == LstsqDriver::Gels || all(rank == n).item<bool>();
    if (full_rank) residuals = sum(square(matmul(a, solution) - b), {-2});
  }
  if (which == LstsqDriver::Gels) rank = empty({0}, int64);
  // Only the solution (and the residuals computed from it) are differentiable, as in PyTorch.
  singular_values = svd_driver ? singular_values.detach() : empty({0}, real);
  return {vector ? solution.squeeze(-1) : solution, residuals, rank, singular_values};
}

}  // namespace ember::linalg
