// The CUDA kernel of the Lapack primitive through cuSOLVER's dense API for the most used
// routines: Cholesky (potrf), Solve (getrf + getrs) and Eigh (syevd), float32 and float64, one
// library call per matrix of the batch. The primitive's matrix outputs are column-major with the
// batch outermost (primitives_linalg.h), cuSOLVER's own layout: each routine works in place on its
// output, filled first by a strided Copy from the (possibly expanded) input. Handles are one per
// (device, thread) on the current stream (thread_handles.h); workspaces come from the caching
// allocator as tensors. The other Lapack ops raise "has no CUDA kernel". Eigh has no info output:
// a matrix on which syevd does not converge is not reported (its values are cuSOLVER's).
#include <cublas_v2.h>
#include <cuda_runtime_api.h>
#include <cusolverDn.h>

#include <cstdint>
#include <string_view>

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
    default:
      break;
  }
  raise_no_kernel(op.name(), "CUDA");
}

void lapack_kernel(const Primitive& primitive, TensorSpan inputs, TensorSpan outputs) {
  const auto& op = dynamic_cast<const Lapack&>(primitive);
  const ScalarType dtype = inputs[0].dtype();
  const bool covered =
      op.op() == LapackOp::Cholesky || op.op() == LapackOp::Solve || op.op() == LapackOp::Eigh;
  if (!covered || (dtype != kFloat32 && dtype != kFloat64)) raise_no_kernel(op.name(), "CUDA");
  // An empty matrix: nothing to factor (info stays the op layer's zeros).
  if (inputs[0].size(-1) == 0 || outputs[0].numel() == 0) return;
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
