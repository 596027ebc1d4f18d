// eval_cpu of the Lapack primitive: one LAPACK call per matrix of the batch (lapack.h), on
// column-major copies, since LAPACK overwrites its input. Batches of small matrices run in
// parallel over the batch, each call then single-threaded; one large matrix gets the library's
// own threads instead (Note [linalg backend]).
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "ember/backend/cpu/lapack.h"
#include "ember/base/linalg_error.h"
#include "ember/base/parallel.h"
#include "ember/ops/primitives.h"

namespace ember {
namespace {

// The number of matrices: the product of all but the last `matrix_dims` dims.
int64_t batch_of(const Tensor& t, int64_t matrix_dims) {
  int64_t batch = 1;
  for (int64_t d = 0; d < t.dim() - matrix_dims; ++d) batch *= t.size(d);
  return batch;
}

// Calls body(item) for every matrix; in parallel when the batch's work (cost per item, in
// flops) passes the grain, so that tiny batches stay on the calling thread.
template <typename Body>
void for_each_matrix(int64_t batch, int64_t cost, const Body& body) {
  const int64_t grain = std::max<int64_t>(1, kGrain / std::max<int64_t>(cost, 1));
  parallel_for(0, batch, grain, [&](int64_t begin, int64_t end) {
    for (int64_t item = begin; item < end; ++item) body(item);
  });
}

// Copies matrix `item` of t (any strides; the batch in row-major order) into dst as a
// column-major matrix: LAPACK overwrites its operands, so every input is read through this copy,
// and reading any layout here saves the op a transposing copy of its own.
// transposed: copies the matrix's transpose instead.
template <typename T>
void gather(const Tensor& t, int64_t item, T* dst, bool transposed = false) {
  const int64_t rows = t.size(transposed ? -1 : -2), columns = t.size(transposed ? -2 : -1);
  const T* src = t.data_ptr<T>();
  for (int64_t d = t.dim() - 3; d >= 0; --d) {
    src += (item % t.size(d)) * t.stride(d);
    item /= t.size(d);
  }
  const int64_t row_stride = t.stride(transposed ? -1 : -2);
  const int64_t column_stride = t.stride(transposed ? -2 : -1);
  if (row_stride == 1 || rows == 1) {
    for (int64_t j = 0; j < columns; ++j) {
      std::copy(src + j * column_stride, src + j * column_stride + rows, dst + j * rows);
    }
    return;
  }
  // A transpose in tiles, so that both sides stay in cache.
  constexpr int64_t kTile = 32;
  for (int64_t i0 = 0; i0 < rows; i0 += kTile) {
    for (int64_t j0 = 0; j0 < columns; j0 += kTile) {
      const int64_t i1 = std::min(rows, i0 + kTile), j1 = std::min(columns, j0 + kTile);
      for (int64_t i = i0; i < i1; ++i) {
        for (int64_t j = j0; j < j1; ++j)
          dst[j * rows + i] = src[i * row_stride + j * column_stride];
      }
    }
  }
}

template <typename T>
void set_identity(T* matrix, int64_t rows, int64_t columns) {
  std::fill(matrix, matrix + rows * columns, T(0));
  for (int64_t i = 0; i < std::min(rows, columns); ++i) matrix[i * rows + i] = T(1);
}

// LAPACK's eigen and singular value drivers may loop forever on NaN or inf: such a matrix is
// reported (as PyTorch does) instead of factored. kNonFinite marks it among the infos.
constexpr int kNonFinite = -1;

template <typename T>
bool all_finite(const T* data, int64_t count) {
  return std::all_of(data, data + count, [](T value) { return std::isfinite(value); });
}

// The user-facing name ("linalg.eigh" for the primitive's "linalg_eigh"), as PyTorch's errors.
std::string public_name(std::string_view name) {
  std::string text(name);
  if (text.rfind("linalg_", 0) == 0) text[6] = '.';
  return text;
}

// Raises torch.linalg's error for the first matrix whose info is not 0, if any; "(Batch element
// i): " names it when the input is a batch.
void check_convergence(const Lapack& primitive, const std::vector<int>& infos, bool batched) {
  const auto failed = std::find_if(infos.begin(), infos.end(), [](int info) { return info != 0; });
  if (failed == infos.end()) return;
  std::string where;
  if (batched) where = detail::concat("(Batch element ", failed - infos.begin(), "): ");
  if (*failed == kNonFinite) {
    detail::raise<LinAlgError>("[", public_name(primitive.name()), "] ", where,
                               "The algorithm failed to converge because the input matrix "
                               "contained non-finite values.");
  }
  detail::raise<LinAlgError>(
      "[", public_name(primitive.name()), "] ", where,
      "The algorithm failed to converge because the input matrix is ill-conditioned or has too "
      "many repeated ",
      primitive.op() == LapackOp::Eigh ? "eigen" : "singular ", "values (error code: ", *failed,
      ").");
}

template <typename T>
void cholesky(const Tensor& a, const Tensor& l, const Tensor& info) {
  const int64_t n = a.size(-1), batch = batch_of(a, 2);
  T* target = l.data_ptr<T>();
  int32_t* infos = info.data_ptr<int32_t>();
  for_each_matrix(batch, n * n * n / 3, [&](int64_t item) {
    T* matrix = target + item * n * n;
    gather(a, item, matrix);
    infos[item] = cpu::lapack::potrf('L', n, matrix, n);
    for (int64_t j = 1; j < n; ++j) std::fill(matrix + j * n, matrix + j * n + j, T(0));
  });
}

template <typename T>
void solve(const Tensor& a, const Tensor& b, const Tensor& x, const Tensor& info) {
  const int64_t n = a.size(-1), k = b.size(-1), batch = batch_of(a, 2);
  T* target = x.data_ptr<T>();
  int32_t* infos = info.data_ptr<int32_t>();
  const bool row_major = n > 1 && a.stride(-1) == 1;
  for_each_matrix(batch, n * n * (n + k), [&](int64_t item) {
    thread_local std::vector<T> lu;
    thread_local std::vector<int32_t> pivots;
    lu.resize(static_cast<size_t>(n * n));
    pivots.resize(static_cast<size_t>(n));
    T* solution = target + item * n * k;
    gather(b, item, solution);
    if (!row_major) {
      gather(a, item, lu.data());
      infos[item] = cpu::lapack::gesv(n, k, lu.data(), n, pivots.data(), solution, n);
      return;
    }
    // A row-major A is A^T column-major: factor A^T from a plain copy and solve with its
    // transpose (getrs 'T'), saving the transposing copy (PyTorch's inputs are mostly row-major).
    gather(a, item, lu.data(), /*transposed=*/true);
    infos[item] = cpu::lapack::getrf(n, n, lu.data(), n, pivots.data());
    if (infos[item] == 0) cpu::lapack::getrs('T', n, k, lu.data(), n, pivots.data(), solution, n);
  });
}

template <typename T>
void slogdet(const Tensor& a, const Tensor& sign, const Tensor& logabsdet) {
  const int64_t n = a.size(-1), batch = batch_of(a, 2);
  T* signs = sign.data_ptr<T>();
  T* logs = logabsdet.data_ptr<T>();
  for_each_matrix(batch, n * n * n, [&](int64_t item) {
    thread_local std::vector<T> lu;
    thread_local std::vector<int32_t> pivots;
    lu.resize(static_cast<size_t>(n * n));
    gather(a, item, lu.data());
    pivots.resize(static_cast<size_t>(n));
    if (cpu::lapack::getrf(n, n, lu.data(), n, pivots.data()) > 0) {
      signs[item] = T(0);
      logs[item] = -std::numeric_limits<T>::infinity();
      return;
    }
    T product_sign = T(1), log_sum = T(0);
    for (int64_t i = 0; i < n; ++i) {
      const T pivot = lu[static_cast<size_t>(i * n + i)];
      if ((pivot < 0) != (pivots[static_cast<size_t>(i)] != i + 1)) product_sign = -product_sign;
      log_sum += std::log(std::abs(pivot));
    }
    signs[item] = product_sign;
    logs[item] = log_sum;
  });
}

// The product of the LU factorization's pivots, negated for each row swap; 0 for a zero pivot.
template <typename T>
void determinant(const Tensor& a, const Tensor& det) {
  const int64_t n = a.size(-1), batch = batch_of(a, 2);
  T* dets = det.data_ptr<T>();
  for_each_matrix(batch, n * n * n, [&](int64_t item) {
    thread_local std::vector<T> lu;
    thread_local std::vector<int32_t> pivots;
    lu.resize(static_cast<size_t>(n * n));
    gather(a, item, lu.data());
    pivots.resize(static_cast<size_t>(n));
    cpu::lapack::getrf(n, n, lu.data(), n, pivots.data());
    T product = T(1);
    for (int64_t i = 0; i < n; ++i) {
      product *= lu[static_cast<size_t>(i * n + i)];
      if (pivots[static_cast<size_t>(i)] != i + 1) product = -product;
    }
    dets[item] = product;
  });
}

template <typename T>
void solve_triangular(const Lapack& primitive, const Tensor& a, const Tensor& b, const Tensor& x) {
  const int64_t n = a.size(-1), k = b.size(-1), batch = batch_of(a, 2);
  T* target = x.data_ptr<T>();
  const char uplo = primitive.upper() ? 'U' : 'L', diag = primitive.unitriangular() ? 'U' : 'N';
  for_each_matrix(batch, n * n * k, [&](int64_t item) {
    thread_local std::vector<T> triangle;
    triangle.resize(static_cast<size_t>(n * n));
    gather(a, item, triangle.data());
    T* solution = target + item * n * k;
    gather(b, item, solution);
    cpu::lapack::trsm(uplo, 'N', diag, n, k, triangle.data(), n, solution, n);
  });
}

template <typename T>
void qr(const Lapack& primitive, const Tensor& a, const Tensor& q, const Tensor& r) {
  const int64_t m = a.size(-2), n = a.size(-1), k = std::min(m, n), batch = batch_of(a, 2);
  const int64_t q_columns = q.size(-1), r_rows = r.size(-2);
  T* q_data = q.data_ptr<T>();
  T* r_data = r.data_ptr<T>();
  (void)primitive;
  for_each_matrix(batch, m * n * k, [&](int64_t item) {
    thread_local std::vector<T> work, tau;
    work.resize(static_cast<size_t>(m * n));
    gather(a, item, work.data());
    tau.resize(static_cast<size_t>(k));
    if (k > 0) cpu::lapack::geqrf(m, n, work.data(), m, tau.data());
    T* r_matrix = r_data + item * r_rows * n;
    for (int64_t j = 0; j < n; ++j) {
      for (int64_t i = 0; i < r_rows; ++i) {
        r_matrix[j * r_rows + i] = i <= j ? work[static_cast<size_t>(j * m + i)] : T(0);
      }
    }
    T* q_matrix = q_data + item * m * q_columns;
    if (k == 0) return set_identity(q_matrix, m, q_columns);
    std::memcpy(q_matrix, work.data(), sizeof(T) * m * std::min(n, q_columns));
    cpu::lapack::orgqr(m, q_columns, k, q_matrix, m, tau.data());
  });
}

template <typename T>
void eigh(const Lapack& primitive, const Tensor& a, const Tensor& values, const Tensor& vectors) {
  const int64_t n = a.size(-1), batch = batch_of(a, 2);
  T* value_data = values.data_ptr<T>();
  T* vector_data = vectors.data_ptr<T>();
  std::vector<int> infos(static_cast<size_t>(batch));
  for_each_matrix(batch, 4 * n * n * n, [&](int64_t item) {
    T* matrix = vector_data + item * n * n;
    gather(a, item, matrix);
    if (!all_finite(matrix, n * n)) {
      infos[static_cast<size_t>(item)] = kNonFinite;
      return;
    }
    infos[static_cast<size_t>(item)] =
        cpu::lapack::syevd('V', primitive.upper() ? 'U' : 'L', n, matrix, n, value_data + item * n);
  });
  check_convergence(primitive, infos, a.dim() > 2);
}

// U, Vh null: singular values only.
template <typename T>
void svd(const Lapack& primitive, const Tensor& a, const Tensor* u, const Tensor& s,
         const Tensor* vh) {
  const int64_t m = a.size(-2), n = a.size(-1), k = std::min(m, n), batch = batch_of(a, 2);
  const int64_t u_columns = u ? u->size(-1) : 0, vh_rows = vh ? vh->size(-2) : 0;
  const char jobz = u == nullptr ? 'N' : (primitive.complete() ? 'A' : 'S');
  T* s_data = s.data_ptr<T>();
  T* u_data = u ? u->data_ptr<T>() : nullptr;
  T* vh_data = vh ? vh->data_ptr<T>() : nullptr;
  std::vector<int> infos(static_cast<size_t>(batch));
  for_each_matrix(batch, 8 * m * n * k, [&](int64_t item) {
    T* u_matrix = u ? u_data + item * m * u_columns : nullptr;
    T* vh_matrix = vh ? vh_data + item * vh_rows * n : nullptr;
    if (k == 0) {
      if (u_matrix) set_identity(u_matrix, m, u_columns);
      if (vh_matrix) set_identity(vh_matrix, vh_rows, n);
      return;
    }
    thread_local std::vector<T> work;
    work.resize(static_cast<size_t>(m * n));
    gather(a, item, work.data());
    if (!all_finite(work.data(), m * n)) {
      infos[static_cast<size_t>(item)] = kNonFinite;
      return;
    }
    T scratch{};  // LAPACK may touch U/VT with jobz 'N'; they are never read then
    infos[static_cast<size_t>(item)] = cpu::lapack::gesdd(
        jobz, m, n, work.data(), m, s_data + item * k, u_matrix ? u_matrix : &scratch, m,
        vh_matrix ? vh_matrix : &scratch, std::max<int64_t>(vh_rows, 1));
  });
  check_convergence(primitive, infos, a.dim() > 2);
}

// One LAPACK least-squares driver per matrix: B goes into a max(m, n)-row workspace, where the
// driver leaves X in the first n rows.
template <typename T>
void least_squares(const Lapack& primitive, const Tensor& a, const Tensor& b, const Tensor& x,
                   const Tensor& rank, const Tensor& s, const Tensor& info) {
  const int64_t m = a.size(-2), n = a.size(-1), k = b.size(-1), batch = batch_of(a, 2);
  const int64_t rows = std::max(m, n), s_size = s.size(-1);
  T* x_data = x.data_ptr<T>();
  T* s_data = s_size > 0 ? s.data_ptr<T>() : nullptr;
  int64_t* ranks = rank.data_ptr<int64_t>();
  int32_t* infos = info.data_ptr<int32_t>();
  const T rcond = static_cast<T>(primitive.rcond());
  for_each_matrix(batch, m * n * std::min(m, n) + rows * rows * k, [&](int64_t item) {
    T* solution = x_data + item * n * k;
    T* values = s_data ? s_data + item * s_size : nullptr;
    ranks[item] = 0;
    infos[item] = 0;
    if (m == 0 || n == 0) return std::fill(solution, solution + n * k, T(0));
    thread_local std::vector<T> matrix, given, workspace;
    matrix.resize(static_cast<size_t>(m * n));
    given.resize(static_cast<size_t>(m * k));
    gather(a, item, matrix.data());
    gather(b, item, given.data());
    // NaN or inf: NaN results (the SVD drivers may not return on them), as PyTorch's.
    if (!all_finite(matrix.data(), m * n) || !all_finite(given.data(), m * k)) {
      std::fill(solution, solution + n * k, std::numeric_limits<T>::quiet_NaN());
      if (values) std::fill(values, values + s_size, std::numeric_limits<T>::quiet_NaN());
      return;
    }
    workspace.assign(static_cast<size_t>(rows * k), T(0));
    for (int64_t j = 0; j < k; ++j) {
      std::copy(given.data() + j * m, given.data() + (j + 1) * m, workspace.data() + j * rows);
    }
    T* A = matrix.data();
    T* B = workspace.data();
    switch (primitive.driver()) {
      case LstsqDriver::Gels:
        infos[item] = cpu::lapack::gels(m, n, k, A, m, B, rows);
        break;
      case LstsqDriver::Gelsy:
        infos[item] = cpu::lapack::gelsy(m, n, k, A, m, B, rows, rcond, &ranks[item]);
        break;
      case LstsqDriver::Gelsd:
        infos[item] = cpu::lapack::gelsd(m, n, k, A, m, B, rows, values, rcond, &ranks[item]);
        break;
      case LstsqDriver::Gelss:
        infos[item] = cpu::lapack::gelss(m, n, k, A, m, B, rows, values, rcond, &ranks[item]);
        break;
    }
    for (int64_t j = 0; j < k; ++j) {
      std::copy(B + j * rows, B + j * rows + n, solution + j * n);
    }
  });
}

template <typename T>
void dispatch(const Lapack& primitive, TensorSpan inputs, TensorSpan outputs) {
  switch (primitive.op()) {
    case LapackOp::Cholesky:
      return cholesky<T>(inputs[0], outputs[0], outputs[1]);
    case LapackOp::Solve:
      return solve<T>(inputs[0], inputs[1], outputs[0], outputs[1]);
    case LapackOp::Slogdet:
      return slogdet<T>(inputs[0], outputs[0], outputs[1]);
    case LapackOp::SolveTriangular:
      return solve_triangular<T>(primitive, inputs[0], inputs[1], outputs[0]);
    case LapackOp::Qr:
      return qr<T>(primitive, inputs[0], outputs[0], outputs[1]);
    case LapackOp::Eigh:
      return eigh<T>(primitive, inputs[0], outputs[0], outputs[1]);
    case LapackOp::Svd:
      return svd<T>(primitive, inputs[0], &outputs[0], outputs[1], &outputs[2]);
    case LapackOp::Svdvals:
      return svd<T>(primitive, inputs[0], nullptr, outputs[0], nullptr);
    case LapackOp::Det:
      return determinant<T>(inputs[0], outputs[0]);
    case LapackOp::Lstsq:
      return least_squares<T>(primitive, inputs[0], inputs[1], outputs[0], outputs[1], outputs[2],
                              outputs[3]);
  }
}

}  // namespace

void Lapack::eval_cpu(TensorSpan inputs, TensorSpan outputs) const {
  switch (inputs[0].dtype()) {
    case ScalarType::Float32:
      return dispatch<float>(*this, inputs, outputs);
    case ScalarType::Float64:
      return dispatch<double>(*this, inputs, outputs);
    default:
      break;
  }
  detail::raise<RuntimeError>("[", name(), "] internal: no LAPACK kernel for ", inputs[0].dtype());
}

}  // namespace ember
