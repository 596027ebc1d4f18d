// The CUDA kernel of the Lapack primitive through cuSOLVER's dense API and cuBLAS: Cholesky
// (potrf), Solve (getrf + getrs), Eigh (syevd), QR (geqrf + orgqr), SVD and singular values
// (gesvdj, one-sided Jacobi, any shape), determinants (getrf, then the diagonal and the pivots'
// parity as device ops), triangular solves (cuBLAS trsm) and least squares by driver 'gels' only
// (geqrf + ormqr + trsm, as PyTorch's CUDA lstsq), float32 and float64, one library call per
// matrix of the batch. The primitive's matrix outputs are column-major with the batch outermost
// (primitives_linalg.h), cuSOLVER's own layout: potrf, syevd and orgqr work in place on their
// output after a strided Copy from the (possibly expanded) input; getrf, geqrf, gesvdj and trsm's
// triangle on a column-major scratch copy. Handles are one per (device, thread) on the current
// stream (thread_handles.h); workspaces come from the caching allocator as tensors. Nothing here
// reads device memory on the host: what follows a factorization (triangles, signs, infos) is
// device ops. Eigh and SVD have no info output: a matrix on which syevd or gesvdj does not
// converge is not reported (its values are cuSOLVER's).
#include <cublas_v2.h>
#include <cuda_runtime_api.h>
#include <cusolverDn.h>

#include <cstdint>
#include <limits>
#include <string_view>
#include <utility>
#include <vector>

#include "ember/backend/cuda/runtime/cublas_handle.h"
#include "ember/backend/cuda/runtime/runtime.h"
#include "ember/backend/cuda/runtime/thread_handles.h"
#include "ember/base/error.h"
#include "ember/ops/cuda_kernels.h"
#include "ember/ops/ops.h"
#include "ember/ops/primitives_linalg.h"
#include "ember/ops/shape.h"
#include "ember/tensor/tensor.h"

namespace ember::cuda {
namespace {

void check_cusolver(cusolverStatus_t status, std::string_view call) {
  if (status == CUSOLVER_STATUS_SUCCESS) return;
  if (status == CUSOLVER_STATUS_ALLOC_FAILED) {
    ::ember::detail::raise<OutOfMemoryError>("[cusolver] ", call, " failed: status ",
                                             static_cast<int>(status));
  }
  ::ember::detail::raise<RuntimeError>("[cusolver] ", call, " failed: status ",
                                       static_cast<int>(status));
}

#define EMBER_CUSOLVER_CHECK(call) check_cusolver((call), #call)

cusolverDnHandle_t create_cusolver_handle() {
  cusolverDnHandle_t handle = nullptr;
  EMBER_CUSOLVER_CHECK(cusolverDnCreate(&handle));
  return handle;
}

// The calling thread's handle on `device` (current), bound to the thread's current stream.
cusolverDnHandle_t cusolver_handle(int device) {
  const cusolverDnHandle_t handle = thread_handle(device, &create_cusolver_handle);
  EMBER_CUSOLVER_CHECK(
      cusolverDnSetStream(handle, static_cast<cudaStream_t>(runtime::current_stream(device))));
  return handle;
}

// The float32 and float64 entry points under one name each.
cusolverStatus_t potrf_size(cusolverDnHandle_t h, int n, float* a, int* lwork) {
  return cusolverDnSpotrf_bufferSize(h, CUBLAS_FILL_MODE_LOWER, n, a, n, lwork);
}
cusolverStatus_t potrf_size(cusolverDnHandle_t h, int n, double* a, int* lwork) {
  return cusolverDnDpotrf_bufferSize(h, CUBLAS_FILL_MODE_LOWER, n, a, n, lwork);
}
cusolverStatus_t potrf(cusolverDnHandle_t h, int n, float* a, float* work, int lwork, int* info) {
  return cusolverDnSpotrf(h, CUBLAS_FILL_MODE_LOWER, n, a, n, work, lwork, info);
}
cusolverStatus_t potrf(cusolverDnHandle_t h, int n, double* a, double* work, int lwork, int* info) {
  return cusolverDnDpotrf(h, CUBLAS_FILL_MODE_LOWER, n, a, n, work, lwork, info);
}
cusolverStatus_t getrf_size(cusolverDnHandle_t h, int n, float* a, int* lwork) {
  return cusolverDnSgetrf_bufferSize(h, n, n, a, n, lwork);
}
cusolverStatus_t getrf_size(cusolverDnHandle_t h, int n, double* a, int* lwork) {
  return cusolverDnDgetrf_bufferSize(h, n, n, a, n, lwork);
}
cusolverStatus_t getrf(cusolverDnHandle_t h, int n, float* a, float* work, int* pivots, int* info) {
  return cusolverDnSgetrf(h, n, n, a, n, work, pivots, info);
}
cusolverStatus_t getrf(cusolverDnHandle_t h, int n, double* a, double* work, int* pivots,
                       int* info) {
  return cusolverDnDgetrf(h, n, n, a, n, work, pivots, info);
}
cusolverStatus_t getrs(cusolverDnHandle_t h, int n, int k, const float* lu, const int* pivots,
                       float* b, int* info) {
  return cusolverDnSgetrs(h, CUBLAS_OP_N, n, k, lu, n, pivots, b, n, info);
}
cusolverStatus_t getrs(cusolverDnHandle_t h, int n, int k, const double* lu, const int* pivots,
                       double* b, int* info) {
  return cusolverDnDgetrs(h, CUBLAS_OP_N, n, k, lu, n, pivots, b, n, info);
}
cusolverStatus_t syevd_size(cusolverDnHandle_t h, cublasFillMode_t uplo, int n, const float* a,
                            const float* w, int* lwork) {
  return cusolverDnSsyevd_bufferSize(h, CUSOLVER_EIG_MODE_VECTOR, uplo, n, a, n, w, lwork);
}
cusolverStatus_t syevd_size(cusolverDnHandle_t h, cublasFillMode_t uplo, int n, const double* a,
                            const double* w, int* lwork) {
  return cusolverDnDsyevd_bufferSize(h, CUSOLVER_EIG_MODE_VECTOR, uplo, n, a, n, w, lwork);
}
cusolverStatus_t syevd(cusolverDnHandle_t h, cublasFillMode_t uplo, int n, float* a, float* w,
                       float* work, int lwork, int* info) {
  return cusolverDnSsyevd(h, CUSOLVER_EIG_MODE_VECTOR, uplo, n, a, n, w, work, lwork, info);
}
cusolverStatus_t syevd(cusolverDnHandle_t h, cublasFillMode_t uplo, int n, double* a, double* w,
                       double* work, int lwork, int* info) {
  return cusolverDnDsyevd(h, CUSOLVER_EIG_MODE_VECTOR, uplo, n, a, n, w, work, lwork, info);
}

cusolverStatus_t geqrf_size(cusolverDnHandle_t h, int m, int n, float* a, int* lwork) {
  return cusolverDnSgeqrf_bufferSize(h, m, n, a, m, lwork);
}
cusolverStatus_t geqrf_size(cusolverDnHandle_t h, int m, int n, double* a, int* lwork) {
  return cusolverDnDgeqrf_bufferSize(h, m, n, a, m, lwork);
}
cusolverStatus_t geqrf(cusolverDnHandle_t h, int m, int n, float* a, float* tau, float* work,
                       int lwork, int* info) {
  return cusolverDnSgeqrf(h, m, n, a, m, tau, work, lwork, info);
}
cusolverStatus_t geqrf(cusolverDnHandle_t h, int m, int n, double* a, double* tau, double* work,
                       int lwork, int* info) {
  return cusolverDnDgeqrf(h, m, n, a, m, tau, work, lwork, info);
}
cusolverStatus_t orgqr_size(cusolverDnHandle_t h, int m, int n, int k, const float* a,
                            const float* tau, int* lwork) {
  return cusolverDnSorgqr_bufferSize(h, m, n, k, a, m, tau, lwork);
}
cusolverStatus_t orgqr_size(cusolverDnHandle_t h, int m, int n, int k, const double* a,
                            const double* tau, int* lwork) {
  return cusolverDnDorgqr_bufferSize(h, m, n, k, a, m, tau, lwork);
}
cusolverStatus_t orgqr(cusolverDnHandle_t h, int m, int n, int k, float* a, const float* tau,
                       float* work, int lwork, int* info) {
  return cusolverDnSorgqr(h, m, n, k, a, m, tau, work, lwork, info);
}
cusolverStatus_t orgqr(cusolverDnHandle_t h, int m, int n, int k, double* a, const double* tau,
                       double* work, int lwork, int* info) {
  return cusolverDnDorgqr(h, m, n, k, a, m, tau, work, lwork, info);
}
cusolverStatus_t gesvdj_size(cusolverDnHandle_t h, cusolverEigMode_t jobz, int econ, int m, int n,
                             const float* a, const float* s, const float* u, const float* v,
                             int* lwork, gesvdjInfo_t params) {
  return cusolverDnSgesvdj_bufferSize(h, jobz, econ, m, n, a, m, s, u, m, v, n, lwork, params);
}
cusolverStatus_t gesvdj_size(cusolverDnHandle_t h, cusolverEigMode_t jobz, int econ, int m, int n,
                             const double* a, const double* s, const double* u, const double* v,
                             int* lwork, gesvdjInfo_t params) {
  return cusolverDnDgesvdj_bufferSize(h, jobz, econ, m, n, a, m, s, u, m, v, n, lwork, params);
}
cusolverStatus_t gesvdj(cusolverDnHandle_t h, cusolverEigMode_t jobz, int econ, int m, int n,
                        float* a, float* s, float* u, float* v, float* work, int lwork, int* info,
                        gesvdjInfo_t params) {
  return cusolverDnSgesvdj(h, jobz, econ, m, n, a, m, s, u, m, v, n, work, lwork, info, params);
}
cusolverStatus_t gesvdj(cusolverDnHandle_t h, cusolverEigMode_t jobz, int econ, int m, int n,
                        double* a, double* s, double* u, double* v, double* work, int lwork,
                        int* info, gesvdjInfo_t params) {
  return cusolverDnDgesvdj(h, jobz, econ, m, n, a, m, s, u, m, v, n, work, lwork, info, params);
}

cusolverStatus_t ormqr_size(cusolverDnHandle_t h, cublasOperation_t trans, int m, int n, int k,
                            const float* a, int lda, const float* tau, const float* c, int ldc,
                            int* lwork) {
  return cusolverDnSormqr_bufferSize(h, CUBLAS_SIDE_LEFT, trans, m, n, k, a, lda, tau, c, ldc,
                                     lwork);
}
cusolverStatus_t ormqr_size(cusolverDnHandle_t h, cublasOperation_t trans, int m, int n, int k,
                            const double* a, int lda, const double* tau, const double* c, int ldc,
                            int* lwork) {
  return cusolverDnDormqr_bufferSize(h, CUBLAS_SIDE_LEFT, trans, m, n, k, a, lda, tau, c, ldc,
                                     lwork);
}
cusolverStatus_t ormqr(cusolverDnHandle_t h, cublasOperation_t trans, int m, int n, int k,
                       const float* a, int lda, const float* tau, float* c, int ldc, float* work,
                       int lwork, int* info) {
  return cusolverDnSormqr(h, CUBLAS_SIDE_LEFT, trans, m, n, k, a, lda, tau, c, ldc, work, lwork,
                          info);
}
cusolverStatus_t ormqr(cusolverDnHandle_t h, cublasOperation_t trans, int m, int n, int k,
                       const double* a, int lda, const double* tau, double* c, int ldc,
                       double* work, int lwork, int* info) {
  return cusolverDnDormqr(h, CUBLAS_SIDE_LEFT, trans, m, n, k, a, lda, tau, c, ldc, work, lwork,
                          info);
}
// B := op(A)^-1 B for a triangular A (n x n, leading dimension lda), B n x k (leading dimension
// ldb), from the left.
cublasStatus_t trsm(cublasHandle_t h, cublasFillMode_t uplo, cublasOperation_t trans,
                    cublasDiagType_t diag, int n, int k, const float* a, int lda, float* b,
                    int ldb) {
  const float one = 1;
  return cublasStrsm(h, CUBLAS_SIDE_LEFT, uplo, trans, diag, n, k, &one, a, lda, b, ldb);
}
cublasStatus_t trsm(cublasHandle_t h, cublasFillMode_t uplo, cublasOperation_t trans,
                    cublasDiagType_t diag, int n, int k, const double* a, int lda, double* b,
                    int ldb) {
  const double one = 1;
  return cublasDtrsm(h, CUBLAS_SIDE_LEFT, uplo, trans, diag, n, k, &one, a, lda, b, ldb);
}

// A device buffer of `count` elements like `like` (at least one, so the pointer is valid).
Tensor workspace(int count, const Tensor& like, ScalarType dtype) {
  return empty({count > 0 ? count : 1}, TensorOptions(dtype).device(like.device()));
}

int as_int(int64_t value, std::string_view op) {
  EMBER_CHECK(value <= INT32_MAX, "[", op, "] matrix too large for cuSOLVER's 32-bit sizes");
  return static_cast<int>(value);
}

// L = the lower Cholesky factor, zeros above; info = potrf's per matrix.
template <typename T>
void cholesky(const Lapack& op, cusolverDnHandle_t handle, const Tensor& A, Tensor L, Tensor info) {
  const int n = as_int(A.size(-1), op.name());
  L.copy_(A);
  const int64_t batch = L.numel() / (int64_t{n} * n);
  T* base = L.data_ptr<T>();
  int lwork = 0;
  EMBER_CUSOLVER_CHECK(potrf_size(handle, n, base, &lwork));
  const Tensor work = workspace(lwork, L, L.dtype());
  for (int64_t i = 0; i < batch; ++i) {
    EMBER_CUSOLVER_CHECK(potrf(handle, n, base + i * n * n, work.data_ptr<T>(), lwork,
                               info.data_ptr<int32_t>() + i));
  }
  // potrf leaves the upper triangle as it was.
  const TensorOptions index = TensorOptions(kInt64).device(L.device());
  const Tensor lower = arange(Scalar(n), index).unsqueeze(1).ge(arange(Scalar(n), index));
  L.copy_(where(lower, L, full({}, Scalar(0), TensorOptions(L.dtype()).device(L.device()))));
}

// X solves A X = B through A's LU factors (a scratch copy); info = getrf's per matrix.
template <typename T>
void solve(const Lapack& op, cusolverDnHandle_t handle, const Tensor& A, const Tensor& B, Tensor X,
           Tensor info) {
  const int n = as_int(A.size(-1), op.name()), k = as_int(B.size(-1), op.name());
  const int64_t batch = info.numel();
  // Row-major A^T is column-major A.
  const Tensor lu = empty({batch, n, n}, TensorOptions(A.dtype()).device(A.device()));
  Tensor(lu).copy_(A.reshape({batch, n, n}).transpose(1, 2));
  X.copy_(B);
  const Tensor pivots = empty({batch, n > 0 ? n : 1}, TensorOptions(kInt32).device(A.device()));
  const Tensor solve_info = empty({batch}, TensorOptions(kInt32).device(A.device()));
  int lwork = 0;
  EMBER_CUSOLVER_CHECK(getrf_size(handle, n, lu.data_ptr<T>(), &lwork));
  const Tensor work = workspace(lwork, lu, lu.dtype());
  for (int64_t i = 0; i < batch; ++i) {
    T* matrix = lu.data_ptr<T>() + i * n * n;
    int* pivot = pivots.data_ptr<int32_t>() + i * (n > 0 ? n : 1);
    EMBER_CUSOLVER_CHECK(
        getrf(handle, n, matrix, work.data_ptr<T>(), pivot, info.data_ptr<int32_t>() + i));
    EMBER_CUSOLVER_CHECK(getrs(handle, n, k, matrix, pivot, X.data_ptr<T>() + i * n * k,
                               solve_info.data_ptr<int32_t>() + i));
  }
}

// Ascending eigenvalues and column eigenvectors of the triangle op.upper() names.
template <typename T>
void eigh(const Lapack& op, cusolverDnHandle_t handle, const Tensor& A, Tensor values,
          Tensor vectors) {
  const int n = as_int(A.size(-1), op.name());
  vectors.copy_(A);
  const int64_t batch = values.numel() / n;
  const cublasFillMode_t uplo = op.upper() ? CUBLAS_FILL_MODE_UPPER : CUBLAS_FILL_MODE_LOWER;
  T* base = vectors.data_ptr<T>();
  int lwork = 0;
  EMBER_CUSOLVER_CHECK(syevd_size(handle, uplo, n, base, values.data_ptr<T>(), &lwork));
  const Tensor work = workspace(lwork, vectors, vectors.dtype());
  const Tensor info = empty({batch}, TensorOptions(kInt32).device(A.device()));
  for (int64_t i = 0; i < batch; ++i) {
    EMBER_CUSOLVER_CHECK(syevd(handle, uplo, n, base + i * n * n, values.data_ptr<T>() + i * n,
                               work.data_ptr<T>(), lwork, info.data_ptr<int32_t>() + i));
  }
}

// The matrices of A's batch (the product of its leading dims).
int64_t batch_count(const Tensor& A) {
  int64_t count = 1;
  for (int64_t d = 0; d + 2 < A.dim(); ++d) count *= A.size(d);
  return count;
}

// A column-major scratch copy of A (storage: A's batch dims, then (cols, rows) row-major, which
// is each matrix column-major) and its logical view, of A's shape.
struct ColumnMajor {
  Tensor storage, view;
};

ColumnMajor column_major_copy(const Tensor& A) {
  std::vector<int64_t> shape(A.sizes().begin(), A.sizes().end());
  std::swap(shape[shape.size() - 1], shape[shape.size() - 2]);
  const Tensor storage = empty(shape, TensorOptions(A.dtype()).device(A.device()));
  Tensor view = storage.transpose(-2, -1);
  view.copy_(A);
  return {storage, view};
}

// Q and R of A = Q R: geqrf on a scratch copy, R its upper triangle (the first rows of R's
// shape), Q from orgqr over Q's own columns, the first k of them the Householder vectors. Q and R
// are the primitive's column-major outputs, each matrix at i * rows * cols.
template <typename T>
void qr(const Lapack& op, cusolverDnHandle_t handle, const Tensor& A, Tensor Q, Tensor R) {
  const int m = as_int(A.size(-2), op.name()), n = as_int(A.size(-1), op.name());
  const int k = m < n ? m : n, q_columns = as_int(Q.size(-1), op.name());
  const int64_t batch = batch_count(A);
  const TensorOptions options = TensorOptions(A.dtype()).device(A.device());
  const Tensor zero = full({}, Scalar(0), options);
  if (k == 0) {
    Q.copy_(eye(m, q_columns, options).expand(Q.sizes()));
    R.copy_(zero.expand(R.sizes()));
    return;
  }
  const ColumnMajor work_matrix = column_major_copy(A);
  const Tensor tau = empty({batch, k}, options);
  const Tensor info = empty({batch}, TensorOptions(kInt32).device(A.device()));
  T* a = work_matrix.storage.data_ptr<T>();
  int lwork = 0;
  EMBER_CUSOLVER_CHECK(geqrf_size(handle, m, n, a, &lwork));
  const Tensor work = workspace(lwork, A, A.dtype());
  for (int64_t i = 0; i < batch; ++i) {
    EMBER_CUSOLVER_CHECK(geqrf(handle, m, n, a + i * m * n, tau.data_ptr<T>() + i * k,
                               work.data_ptr<T>(), lwork, info.data_ptr<int32_t>() + i));
  }
  const int64_t r_rows = R.size(-2);
  const TensorOptions index = TensorOptions(kInt64).device(A.device());
  const Tensor upper = arange(Scalar(r_rows), index).unsqueeze(1).le(arange(Scalar(n), index));
  R.copy_(where(upper, work_matrix.view.narrow(-2, 0, r_rows), zero));
  Q.narrow(-1, 0, k).copy_(work_matrix.view.narrow(-1, 0, k));
  T* q = Q.data_ptr<T>();
  EMBER_CUSOLVER_CHECK(orgqr_size(handle, m, q_columns, k, q, tau.data_ptr<T>(), &lwork));
  const Tensor q_work = workspace(lwork, A, A.dtype());
  for (int64_t i = 0; i < batch; ++i) {
    EMBER_CUSOLVER_CHECK(orgqr(handle, m, q_columns, k, q + i * m * q_columns,
                               tau.data_ptr<T>() + i * k, q_work.data_ptr<T>(), lwork,
                               info.data_ptr<int32_t>() + i));
  }
}

// The gesvdj parameters of one call (cuSOLVER's defaults: tolerance, sweeps, sorted values).
class GesvdjParams {
 public:
  GesvdjParams() { EMBER_CUSOLVER_CHECK(cusolverDnCreateGesvdjInfo(&params_)); }
  GesvdjParams(const GesvdjParams&) = delete;
  GesvdjParams& operator=(const GesvdjParams&) = delete;
  ~GesvdjParams() { cusolverDnDestroyGesvdjInfo(params_); }
  gesvdjInfo_t get() const { return params_; }

 private:
  gesvdjInfo_t params_ = nullptr;
};

// The singular values (descending) and, when U and Vh are given, the vectors, by one-sided
// Jacobi (gesvdj, any m and n): complete (full_matrices) U (m, m) and V (n, n), else (m, k) and
// (n, k). U is written in place (the primitive's column-major output); V into a scratch whose
// row-major (columns, n) storage is V^T, copied into Vh.
template <typename T>
void svd(const Lapack& op, cusolverDnHandle_t handle, const Tensor& A, Tensor* U, Tensor S,
         Tensor* Vh) {
  const int m = as_int(A.size(-2), op.name()), n = as_int(A.size(-1), op.name());
  const int k = m < n ? m : n;
  const int64_t batch = batch_count(A);
  const TensorOptions options = TensorOptions(A.dtype()).device(A.device());
  const bool vectors = U != nullptr;
  const int econ = vectors && op.complete() ? 0 : 1;
  const int u_columns = econ ? k : m, v_columns = econ ? k : n;
  if (k == 0) {
    if (vectors) {
      U->copy_(eye(m, u_columns, options).expand(U->sizes()));
      Vh->copy_(eye(v_columns, n, options).expand(Vh->sizes()));
    }
    return;
  }
  const ColumnMajor work_matrix = column_major_copy(A);
  const Tensor u = vectors ? *U : empty({batch, m, k}, options);
  std::vector<int64_t> v_shape(A.sizes().begin(), A.sizes().end() - 2);
  v_shape.push_back(v_columns);
  v_shape.push_back(n);
  const Tensor v = empty(v_shape, options);
  const Tensor info = empty({batch}, TensorOptions(kInt32).device(A.device()));
  const cusolverEigMode_t jobz = vectors ? CUSOLVER_EIG_MODE_VECTOR : CUSOLVER_EIG_MODE_NOVECTOR;
  const GesvdjParams params;
  T* a = work_matrix.storage.data_ptr<T>();
  int lwork = 0;
  EMBER_CUSOLVER_CHECK(gesvdj_size(handle, jobz, econ, m, n, a, S.data_ptr<T>(), u.data_ptr<T>(),
                                   v.data_ptr<T>(), &lwork, params.get()));
  const Tensor work = workspace(lwork, A, A.dtype());
  for (int64_t i = 0; i < batch; ++i) {
    EMBER_CUSOLVER_CHECK(gesvdj(handle, jobz, econ, m, n, a + i * m * n, S.data_ptr<T>() + i * k,
                                u.data_ptr<T>() + i * m * u_columns,
                                v.data_ptr<T>() + i * n * v_columns, work.data_ptr<T>(), lwork,
                                info.data_ptr<int32_t>() + i, params.get()));
  }
  if (vectors) Vh->copy_(v);
}

// The batch dims of A (all but the last two).
std::vector<int64_t> batch_shape(const Tensor& A) {
  return std::vector<int64_t>(A.sizes().begin(), A.sizes().end() - 2);
}

// What det and slogdet need of A = P L U (getrf on a scratch copy, n > 0): U's diagonal
// (batch..., n), (-1)^(row swaps) in A's dtype (batch...), and getrf's info (batch...), positive
// when U has an exact zero pivot (the later entries of U then mean nothing).
struct LuDiagonal {
  Tensor diagonal, swap_sign, info;
};

template <typename T>
LuDiagonal lu_diagonal(const Lapack& op, cusolverDnHandle_t handle, const Tensor& A) {
  const int n = as_int(A.size(-1), op.name());
  const int64_t batch = batch_count(A);
  const TensorOptions int32 = TensorOptions(kInt32).device(A.device());
  const ColumnMajor lu = column_major_copy(A);
  const Tensor pivots = empty({batch, n}, int32);
  const Tensor info = empty({batch}, int32);
  T* a = lu.storage.data_ptr<T>();
  int lwork = 0;
  EMBER_CUSOLVER_CHECK(getrf_size(handle, n, a, &lwork));
  const Tensor work = workspace(lwork, A, A.dtype());
  for (int64_t i = 0; i < batch; ++i) {
    EMBER_CUSOLVER_CHECK(getrf(handle, n, a + i * n * n, work.data_ptr<T>(),
                               pivots.data_ptr<int32_t>() + i * n, info.data_ptr<int32_t>() + i));
  }
  // getrf's pivots are 1-based: row i was swapped unless pivots[i] == i + 1.
  const Tensor swaps = sum(pivots != arange(Scalar(1), Scalar(n + 1), int32), {-1});
  const Tensor swap_sign = (1 - 2 * remainder(swaps, Scalar(2))).to(A.dtype());
  const std::vector<int64_t> batch_dims = batch_shape(A);
  return {diagonal(lu.view, 0, -2, -1), swap_sign.reshape(batch_dims), info.reshape(batch_dims)};
}

// det = (-1)^swaps prod(diag U); 0 for a zero pivot, as LAPACK's getrf leaves it on the CPU.
template <typename T>
void determinant(const Lapack& op, cusolverDnHandle_t handle, const Tensor& A, Tensor det) {
  if (A.size(-1) == 0) {
    det.fill_(Scalar(1));
    return;
  }
  const LuDiagonal lu = lu_diagonal<T>(op, handle, A);
  det.copy_(where(lu.info > 0, Scalar(0), prod(lu.diagonal, -1) * lu.swap_sign));
}

// sign = (-1)^swaps prod(sign(diag U)), logabsdet = sum(log|diag U|); (0, -inf) when singular.
template <typename T>
void slogdet(const Lapack& op, cusolverDnHandle_t handle, const Tensor& A, Tensor sign_out,
             Tensor logabsdet) {
  if (A.size(-1) == 0) {
    sign_out.fill_(Scalar(1));
    logabsdet.fill_(Scalar(0));
    return;
  }
  const LuDiagonal lu = lu_diagonal<T>(op, handle, A);
  const Tensor singular = lu.info > 0;
  sign_out.copy_(where(singular, Scalar(0), prod(sign(lu.diagonal), -1) * lu.swap_sign));
  logabsdet.copy_(where(singular, Scalar(-std::numeric_limits<double>::infinity()),
                        sum(log(abs(lu.diagonal)), {-1})));
}

// X solves A X = B for a triangular A (op.upper(), op.unitriangular()): trsm in place on X (a
// copy of B) with A's column-major scratch copy. The op layer skips empty X, so n, k > 0.
template <typename T>
void solve_triangular(const Lapack& op, const Tensor& A, const Tensor& B, Tensor X) {
  const int n = as_int(A.size(-1), op.name()), k = as_int(B.size(-1), op.name());
  const int64_t batch = batch_count(A);
  const ColumnMajor triangle = column_major_copy(A);
  X.copy_(B);
  const cublasHandle_t handle = cublas_handle(X.device().index());
  const cublasFillMode_t uplo = op.upper() ? CUBLAS_FILL_MODE_UPPER : CUBLAS_FILL_MODE_LOWER;
  const cublasDiagType_t diag = op.unitriangular() ? CUBLAS_DIAG_UNIT : CUBLAS_DIAG_NON_UNIT;
  const T* a = triangle.storage.data_ptr<T>();
  T* x = X.data_ptr<T>();
  for (int64_t i = 0; i < batch; ++i) {
    EMBER_CUBLAS_CHECK(
        trsm(handle, uplo, CUBLAS_OP_N, diag, n, k, a + i * n * n, n, x + i * n * k, n));
  }
}

// Least squares by QR, LAPACK gels's method (full rank assumed), as PyTorch's CUDA driver 'gels':
// m >= n: A = Q R, X = R^-1 (Q^T B)_(first n rows); m < n (the minimum-norm solution): A^T = Q R,
// X = Q [R^-T B; 0]. B goes into a (k, max(m, n)) row-major scratch, each right-hand side a
// column of a max(m, n)-row column-major matrix, where X ends in the first n rows. info is
// gels's: the 1-based index of the first exact zero on R's diagonal, else 0. rank stays 0
// (gels does not compute it; the op layer returns it empty).
template <typename T>
void least_squares(const Lapack& op, cusolverDnHandle_t solver, const Tensor& A, const Tensor& B,
                   Tensor X, Tensor rank, Tensor info) {
  const int m = as_int(A.size(-2), op.name()), n = as_int(A.size(-1), op.name());
  const int k = as_int(B.size(-1), op.name());
  rank.zero_();
  info.zero_();
  if (X.numel() > 0) X.zero_();
  if (m == 0 || n == 0 || k == 0) return;
  const bool tall = m >= n;
  const int rows = tall ? m : n, reflectors = tall ? n : m;
  const int64_t batch = batch_count(A);
  const TensorOptions options = TensorOptions(A.dtype()).device(A.device());
  // The matrix QR factors: A (m x n) when tall, else A^T (n x m); rows x reflectors either way.
  const ColumnMajor factors = column_major_copy(tall ? A : A.transpose(-2, -1));
  const Tensor rhs = zeros({batch, k, rows}, options);
  rhs.transpose(1, 2).narrow(1, 0, m).copy_(B.reshape({batch, m, k}));
  const Tensor tau = empty({batch, reflectors}, options);
  const Tensor solver_info = empty({batch}, TensorOptions(kInt32).device(A.device()));
  T* a = factors.storage.data_ptr<T>();
  T* c = rhs.data_ptr<T>();
  int qr_lwork = 0, ormqr_lwork = 0;
  EMBER_CUSOLVER_CHECK(geqrf_size(solver, rows, reflectors, a, &qr_lwork));
  EMBER_CUSOLVER_CHECK(ormqr_size(solver, tall ? CUBLAS_OP_T : CUBLAS_OP_N, rows, k, reflectors, a,
                                  rows, tau.data_ptr<T>(), c, rows, &ormqr_lwork));
  const int lwork = qr_lwork > ormqr_lwork ? qr_lwork : ormqr_lwork;
  const Tensor work = workspace(lwork, A, A.dtype());
  const int64_t a_step = int64_t{rows} * reflectors, c_step = int64_t{rows} * k;
  const cublasHandle_t blas = cublas_handle(A.device().index());
  for (int64_t i = 0; i < batch; ++i) {
    T* matrix = a + i * a_step;
    T* tau_i = tau.data_ptr<T>() + i * reflectors;
    T* b = c + i * c_step;
    int* status = solver_info.data_ptr<int32_t>() + i;
    EMBER_CUSOLVER_CHECK(
        geqrf(solver, rows, reflectors, matrix, tau_i, work.data_ptr<T>(), lwork, status));
    if (tall) {
      EMBER_CUSOLVER_CHECK(ormqr(solver, CUBLAS_OP_T, rows, k, reflectors, matrix, rows, tau_i, b,
                                 rows, work.data_ptr<T>(), lwork, status));
      EMBER_CUBLAS_CHECK(trsm(blas, CUBLAS_FILL_MODE_UPPER, CUBLAS_OP_N, CUBLAS_DIAG_NON_UNIT, n, k,
                              matrix, rows, b, rows));
    } else {
      // R^T Z = B in the first m rows; the rows below stay zero.
      EMBER_CUBLAS_CHECK(trsm(blas, CUBLAS_FILL_MODE_UPPER, CUBLAS_OP_T, CUBLAS_DIAG_NON_UNIT, m, k,
                              matrix, rows, b, rows));
      EMBER_CUSOLVER_CHECK(ormqr(solver, CUBLAS_OP_N, rows, k, reflectors, matrix, rows, tau_i, b,
                                 rows, work.data_ptr<T>(), lwork, status));
    }
  }
  X.copy_(rhs.transpose(1, 2).narrow(1, 0, n).reshape(X.sizes()));
  const Tensor zero_pivot = diagonal(factors.view, 0, -2, -1) == 0;
  const Tensor first = argmax(zero_pivot.to(kInt32), -1) + 1;
  info.copy_(where(any(zero_pivot, -1), first, Scalar(0)).to(kInt32));
}

template <typename T>
void run_lapack(const Lapack& op, cusolverDnHandle_t handle, TensorSpan inputs,
                TensorSpan outputs) {
  // Detached aliases: the inner ops (copies, where) record nothing.
  const Tensor A = inputs[0].detach();
  switch (op.op()) {
    case LapackOp::Cholesky:
      return cholesky<T>(op, handle, A, outputs[0].detach(), outputs[1].detach());
    case LapackOp::Solve:
      return solve<T>(op, handle, A, inputs[1].detach(), outputs[0].detach(), outputs[1].detach());
    case LapackOp::Slogdet:
      return slogdet<T>(op, handle, A, outputs[0].detach(), outputs[1].detach());
    case LapackOp::SolveTriangular:
      return solve_triangular<T>(op, A, inputs[1].detach(), outputs[0].detach());
    case LapackOp::Eigh:
      return eigh<T>(op, handle, A, outputs[0].detach(), outputs[1].detach());
    case LapackOp::Qr:
      return qr<T>(op, handle, A, outputs[0].detach(), outputs[1].detach());
    case LapackOp::Svd: {
      Tensor U = outputs[0].detach(), Vh = outputs[2].detach();
      return svd<T>(op, handle, A, &U, outputs[1].detach(), &Vh);
    }
    case LapackOp::Svdvals:
      return svd<T>(op, handle, A, nullptr, outputs[0].detach(), nullptr);
    case LapackOp::Det:
      return determinant<T>(op, handle, A, outputs[0].detach());
    case LapackOp::Lstsq:
      return least_squares<T>(op, handle, A, inputs[1].detach(), outputs[0].detach(),
                              outputs[1].detach(), outputs[3].detach());
  }
}

void lapack_kernel(const Primitive& primitive, TensorSpan inputs, TensorSpan outputs) {
  const auto& op = dynamic_cast<const Lapack&>(primitive);
  const ScalarType dtype = inputs[0].dtype();
  // lstsq's other drivers (rank-revealing QR, SVD) have no cuSOLVER counterpart: the op layer
  // refuses them on CUDA, as PyTorch does.
  const bool gels = op.op() != LapackOp::Lstsq || op.driver() == LstsqDriver::Gels;
  if (!gels || (dtype != kFloat32 && dtype != kFloat64)) raise_no_kernel(op.name(), "CUDA");
  // An empty matrix: nothing to factor or solve (info stays the op layer's zeros); QR and SVD
  // fill the identities an empty factorization has, det and lstsq their own values.
  const bool factors = op.op() == LapackOp::Cholesky || op.op() == LapackOp::Solve ||
                       op.op() == LapackOp::Eigh || op.op() == LapackOp::SolveTriangular;
  if (factors && (inputs[0].size(-1) == 0 || outputs[0].numel() == 0)) return;
  const int device = outputs[0].device().index();
  runtime::DeviceScope scope(device);
  const cusolverDnHandle_t handle = cusolver_handle(device);
  if (dtype == kFloat64) return run_lapack<double>(op, handle, inputs, outputs);
  run_lapack<float>(op, handle, inputs, outputs);
}

const bool registered = [] {
  register_cuda_kernel(PrimitiveKind::Lapack, &lapack_kernel);
  return true;
}();

}  // namespace
}  // namespace ember::cuda
