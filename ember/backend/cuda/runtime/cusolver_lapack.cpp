// The CUDA kernel of the Lapack primitive through cuSOLVER's dense API for the most used routines:
// Cholesky (potrf), Solve (getrf + getrs), Eigh (syevd), QR (geqrf + orgqr), and SVD and singular
// values (gesvdj, one-sided Jacobi, any shape), float32 and float64, one library call per matrix of
// the batch. The primitive's matrix outputs are column-major with the batch outermost
// (primitives_linalg.h), cuSOLVER's own layout: potrf, syevd and orgqr work in place on their
// output after a strided Copy from the (possibly expanded) input; getrf, geqrf and gesvdj on a
// column-major scratch copy. Handles are one per (device, thread) on the current stream
// (thread_handles.h); workspaces come from the caching allocator as tensors. The other Lapack ops
// raise "has no CUDA kernel". Eigh and SVD have no info output: a matrix on which syevd or gesvdj
// does not converge is not reported (its values are cuSOLVER's).
#include <cublas_v2.h>
#include <cuda_runtime_api.h>
#include <cusolverDn.h>

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "ember/backend/cuda/runtime/runtime.h"
#include "ember/backend/cuda/runtime/thread_handles.h"
#include "ember/base/error.h"
#include "ember/ops/cuda_kernels.h"
#include "ember/ops/ops.h"
#include "ember/ops/primitives_linalg.h"
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
    default:
      break;
  }
  raise_no_kernel(op.name(), "CUDA");
}

void lapack_kernel(const Primitive& primitive, TensorSpan inputs, TensorSpan outputs) {
  const auto& op = dynamic_cast<const Lapack&>(primitive);
  const ScalarType dtype = inputs[0].dtype();
  const bool covered = op.op() == LapackOp::Cholesky || op.op() == LapackOp::Solve ||
                       op.op() == LapackOp::Eigh || op.op() == LapackOp::Qr ||
                       op.op() == LapackOp::Svd || op.op() == LapackOp::Svdvals;
  if (!covered || (dtype != kFloat32 && dtype != kFloat64)) raise_no_kernel(op.name(), "CUDA");
  // An empty matrix: nothing to factor (info stays the op layer's zeros); QR and SVD fill the
  // identities an empty factorization has.
  const bool factors =
      op.op() == LapackOp::Cholesky || op.op() == LapackOp::Solve || op.op() == LapackOp::Eigh;
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
