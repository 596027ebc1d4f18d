// The CPU GEMM backend: which library computes each dtype, and the glue that library contracts
// need (degenerate sizes, leading dimensions, 16-bit storage, integer wrap-around). Swapping in
// MKL or BLIS means editing this file only.
//
// float32 and bfloat16 go through oneDNN, whose JIT kernels run at 93-100% of peak whatever
// OPENBLAS_CORETYPE says (docs: PERFORMANCE.md, trap 2); float64 goes through CBLAS.
#include "ember/backend/cpu/gemm.h"

#include <cblas.h>
#include <omp.h>
#include <oneapi/dnnl/dnnl.h>
#include <oneapi/dnnl/dnnl_debug.h>

#include <algorithm>
#include <climits>
#include <cstddef>
#include <type_traits>
#include <vector>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include "ember/base/error.h"

// oneDNN 2.x exports this row-major bfloat16 GEMM (same contract as dnnl_sgemm, float32 C) but
// leaves it out of its public headers. A weak reference under a private C++ name binds to it when
// the library has it (also when ember is loaded RTLD_LOCAL, as Python loads extensions) and is
// null otherwise, and cannot clash with a declaration a later dnnl.h may add.
extern "C" dnnl_status_t ember_dnnl_gemm_bf16bf16f32(
    char transa, char transb, dnnl_dim_t m, dnnl_dim_t n, dnnl_dim_t k, float alpha,
    const ember::BFloat16* a, dnnl_dim_t lda, const ember::BFloat16* b, dnnl_dim_t ldb, float beta,
    float* c, dnnl_dim_t ldc) __asm__("dnnl_gemm_bf16bf16f32") __attribute__((weak));

namespace ember::cpu {
namespace {

// Validates sizes and returns the row stride to hand the library for a stored rows x cols matrix.
// Libraries demand ld >= max(1, cols) even where ld is never used (one row, or no elements), and
// callers legitimately pass anything there (a [1, n] view of a column has stride 1).
int64_t leading_dim(const char* op, const char* name, int64_t rows, int64_t cols, int64_t ld) {
  if (rows <= 1 || cols == 0) return std::max<int64_t>(1, cols);
  EMBER_CHECK(ld >= cols, "[", op, "] expected ", name, " >= ", cols,
              " (the column count of the stored ", rows, "x", cols, " matrix); got ", ld);
  return ld;
}

struct Operands {
  int64_t lda, ldb, ldc;
};

Operands check_operands(const char* op, bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k,
                        int64_t lda, int64_t ldb, int64_t ldc) {
  EMBER_CHECK(m >= 0 && n >= 0 && k >= 0, "[", op, "] expected non-negative sizes; got m=", m,
              ", n=", n, ", k=", k);
  return {leading_dim(op, "lda", trans_a ? k : m, trans_a ? m : k, lda),
          leading_dim(op, "ldb", trans_b ? n : k, trans_b ? k : n, ldb),
          leading_dim(op, "ldc", m, n, ldc)};
}

// Handles the sizes libraries treat inconsistently; returns true when C is final. k == 0 leaves
// C = beta * C, and beta == 0 must not read C, which may hold NaN or uninitialized memory.
template <typename T, typename Scalar>
bool finish_degenerate(int64_t m, int64_t n, int64_t k, Scalar beta, T* c, int64_t ldc) {
  if (m == 0 || n == 0) return true;
  if (k != 0) return false;
  for (int64_t i = 0; i < m; ++i) {
    T* row = c + i * ldc;
    for (int64_t j = 0; j < n; ++j) {
      row[j] = beta == Scalar(0) ? T(Scalar(0)) : T(beta * static_cast<Scalar>(row[j]));
    }
  }
  return true;
}

void check_dnnl(const char* op, dnnl_status_t status, int64_t m, int64_t n, int64_t k) {
  EMBER_CHECK(status == dnnl_success, "[", op, "] oneDNN GEMM failed with status ",
              dnnl_status2str(status), " for m=", m, ", n=", n, ", k=", k);
}

char trans_flag(bool trans) { return trans ? 'T' : 'N'; }

// A matrix in memory, seen through op(): element (row, col) of op(X).
template <typename T>
struct View {
  const T* data;
  int64_t ld;
  bool trans;
  const T* at(int64_t row, int64_t col) const {
    return trans ? data + col * ld + row : data + row * ld + col;
  }
};

// F16C converts eight halves per instruction; half.h's portable bit manipulation costs ~1 ns per
// element, which would rival the arithmetic of the blocked float16 product.
#if defined(__x86_64__)
__attribute__((target("avx,f16c"))) void half_to_float_f16c(const Half* src, float* dst,
                                                            int64_t count) {
  int64_t i = 0;
  for (; i + 8 <= count; i += 8) {
    const __m128i halves = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src + i));
    _mm256_storeu_ps(dst + i, _mm256_cvtph_ps(halves));
  }
  for (; i < count; ++i) dst[i] = src[i];
}
#endif

void to_float(const Half* src, float* dst, int64_t count) {
#if defined(__x86_64__)
  static const bool has_f16c = __builtin_cpu_supports("avx") && __builtin_cpu_supports("f16c");
  if (has_f16c) return half_to_float_f16c(src, dst, count);
#endif
  for (int64_t i = 0; i < count; ++i) dst[i] = src[i];
}

void to_float(const BFloat16* src, float* dst, int64_t count) {
  for (int64_t i = 0; i < count; ++i) dst[i] = src[i];
}

// Copies op(X)[row0 : row0 + rows, col0 : col0 + cols] to float32 in X's own orientation, so the
// sgemm transposition flag stays X's; returns the copy's leading dimension.
template <typename T>
int64_t to_float_block(const View<T>& x, int64_t row0, int64_t rows, int64_t col0, int64_t cols,
                       float* dst) {
  const int64_t stored_rows = x.trans ? cols : rows;
  const int64_t stored_cols = x.trans ? rows : cols;
  const T* src = x.at(row0, col0);
  for (int64_t i = 0; i < stored_rows; ++i) {
    to_float(src + i * x.ld, dst + i * stored_cols, stored_cols);
  }
  return stored_cols;
}

// Tiles of the 16-bit paths. Scratch stays a few MiB (float32 C tile, converted A and B blocks)
// while each library call is big enough to run near peak; operands converted per tile are
// re-read m / kTileM and n / kTileN times, a few percent of the arithmetic.
constexpr int64_t kTileM = 512;
constexpr int64_t kTileN = 512;
constexpr int64_t kTileK = 512;

// Per-thread scratch kept across calls: a fresh page costs ~11 us to fault in on the project's
// VMs (PERFORMANCE.md, trap 1), more than a tile's arithmetic.
float* scratch(std::vector<float>& buffer, int64_t count) {
  if (buffer.size() < static_cast<size_t>(count)) buffer.resize(static_cast<size_t>(count));
  return buffer.data();
}

// tile (rows x cols, ld cols) = alpha * op(A)[row0.., :] @ op(B)[:, col0..] in float32, by
// converting K blocks of both operands and accumulating with sgemm.
template <typename T>
void converted_tile(const char* op, const View<T>& a, const View<T>& b, int64_t row0, int64_t rows,
                    int64_t col0, int64_t cols, int64_t k, float alpha, float* tile) {
  thread_local std::vector<float> buffer;
  const int64_t depth = std::min(k, kTileK);
  float* a_block = scratch(buffer, (rows + cols) * depth);
  float* b_block = a_block + rows * depth;
  for (int64_t p0 = 0; p0 < k; p0 += kTileK) {
    const int64_t kb = std::min(kTileK, k - p0);
    const int64_t lda = to_float_block(a, row0, rows, p0, kb, a_block);
    const int64_t ldb = to_float_block(b, p0, kb, col0, cols, b_block);
    check_dnnl(op,
               dnnl_sgemm(trans_flag(a.trans), trans_flag(b.trans), rows, cols, kb, alpha, a_block,
                          lda, b_block, ldb, p0 == 0 ? 0.0f : 1.0f, tile, cols),
               rows, cols, kb);
  }
}

void product_tile(const char* op, const View<Half>& a, const View<Half>& b, int64_t row0,
                  int64_t rows, int64_t col0, int64_t cols, int64_t k, float alpha, float* tile) {
  converted_tile(op, a, b, row0, rows, col0, cols, k, alpha, tile);
}

void product_tile(const char* op, const View<BFloat16>& a, const View<BFloat16>& b, int64_t row0,
                  int64_t rows, int64_t col0, int64_t cols, int64_t k, float alpha, float* tile) {
  if (ember_dnnl_gemm_bf16bf16f32 != nullptr) {
    // Without AVX-512 oneDNN has no bfloat16 kernel and says so; conversion takes over then.
    const dnnl_status_t status =
        ember_dnnl_gemm_bf16bf16f32(trans_flag(a.trans), trans_flag(b.trans), rows, cols, k, alpha,
                                    a.at(row0, 0), a.ld, b.at(0, col0), b.ld, 0.0f, tile, cols);
    if (status != dnnl_unimplemented) return check_dnnl(op, status, rows, cols, k);
  }
  converted_tile(op, a, b, row0, rows, col0, cols, k, alpha, tile);
}

// float16/bfloat16: the product of each C tile accumulates in float32, and C is rounded once.
template <typename T>
void reduced_gemm(const char* op, bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k,
                  float alpha, const T* a, int64_t lda, const T* b, int64_t ldb, float beta, T* c,
                  int64_t ldc) {
  const Operands ld = check_operands(op, trans_a, trans_b, m, n, k, lda, ldb, ldc);
  if (finish_degenerate(m, n, k, beta, c, ld.ldc)) return;
  const View<T> a_view{a, ld.lda, trans_a};
  const View<T> b_view{b, ld.ldb, trans_b};
  thread_local std::vector<float> buffer;
  float* tile = scratch(buffer, std::min(m, kTileM) * std::min(n, kTileN));
  for (int64_t i0 = 0; i0 < m; i0 += kTileM) {
    const int64_t rows = std::min(kTileM, m - i0);
    for (int64_t j0 = 0; j0 < n; j0 += kTileN) {
      const int64_t cols = std::min(kTileN, n - j0);
      product_tile(op, a_view, b_view, i0, rows, j0, cols, k, alpha, tile);
      for (int64_t i = 0; i < rows; ++i) {
        const float* acc = tile + i * cols;
        T* out = c + (i0 + i) * ld.ldc + j0;
        if (beta == 0.0f) {
          for (int64_t j = 0; j < cols; ++j) out[j] = T(acc[j]);
        } else {
          for (int64_t j = 0; j < cols; ++j) out[j] = T(acc[j] + beta * static_cast<float>(out[j]));
        }
      }
    }
  }
}

// Integer products wrap like PyTorch's: unsigned arithmetic as wide as the accumulator is exact
// modulo 2^bits, and narrowing to T keeps the low bits. 32 bits suffice below int64 and vectorize
// better than 64.
template <typename T>
void integer_gemm(const char* op, bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k,
                  int64_t alpha, const T* a, int64_t lda, const T* b, int64_t ldb, int64_t beta,
                  T* c, int64_t ldc) {
  using Acc = std::conditional_t<sizeof(T) == 8, uint64_t, uint32_t>;
  const Operands ld = check_operands(op, trans_a, trans_b, m, n, k, lda, ldb, ldc);
  if (m == 0 || n == 0) return;
  const View<T> a_view{a, ld.lda, trans_a};
  const View<T> b_view{b, ld.ldb, trans_b};
  const Acc alpha_acc = static_cast<Acc>(alpha);
  const Acc beta_acc = static_cast<Acc>(beta);
  std::vector<Acc> a_row(static_cast<size_t>(k));
  std::vector<Acc> sums(static_cast<size_t>(n));
  for (int64_t i = 0; i < m; ++i) {
    for (int64_t p = 0; p < k; ++p) a_row[p] = static_cast<Acc>(*a_view.at(i, p));
    if (trans_b) {
      // Columns of op(B) are contiguous: dot products.
      for (int64_t j = 0; j < n; ++j) {
        const T* column = b_view.at(0, j);
        Acc sum = 0;
        for (int64_t p = 0; p < k; ++p) sum += a_row[p] * static_cast<Acc>(column[p]);
        sums[j] = sum;
      }
    } else {
      // Rows of op(B) are contiguous: accumulate scaled rows.
      std::fill(sums.begin(), sums.end(), Acc(0));
      for (int64_t p = 0; p < k; ++p) {
        const T* row = b_view.at(p, 0);
        const Acc scale = a_row[p];
        for (int64_t j = 0; j < n; ++j) sums[j] += scale * static_cast<Acc>(row[j]);
      }
    }
    T* out = c + i * ld.ldc;
    for (int64_t j = 0; j < n; ++j) {
      const Acc prior = beta == 0 ? Acc(0) : beta_acc * static_cast<Acc>(out[j]);
      out[j] = static_cast<T>(alpha_acc * sums[j] + prior);
    }
  }
}

bool fits_blas_int(int64_t value) { return value <= INT_MAX; }

// OpenBLAS keeps its own thread pool. Following OpenMP's setting lets set_num_threads govern it
// too, and running single-threaded inside a parallel region avoids oversubscribing the cores.
void match_blas_threads() {
#if defined(OPENBLAS_VERSION)
  const int wanted = omp_in_parallel() ? 1 : omp_get_max_threads();
  if (openblas_get_num_threads() != wanted) openblas_set_num_threads(wanted);
#endif
}

}  // namespace

void gemm_f32(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, float alpha,
              const float* a, int64_t lda, const float* b, int64_t ldb, float beta, float* c,
              int64_t ldc) {
  const Operands ld = check_operands("gemm_f32", trans_a, trans_b, m, n, k, lda, ldb, ldc);
  if (finish_degenerate(m, n, k, beta, c, ld.ldc)) return;
  check_dnnl("gemm_f32",
             dnnl_sgemm(trans_flag(trans_a), trans_flag(trans_b), m, n, k, alpha, a, ld.lda, b,
                        ld.ldb, beta, c, ld.ldc),
             m, n, k);
}

void gemm_f64(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, double alpha,
              const double* a, int64_t lda, const double* b, int64_t ldb, double beta, double* c,
              int64_t ldc) {
  const Operands ld = check_operands("gemm_f64", trans_a, trans_b, m, n, k, lda, ldb, ldc);
  if (finish_degenerate(m, n, k, beta, c, ld.ldc)) return;
  EMBER_CHECK(fits_blas_int(m) && fits_blas_int(n) && fits_blas_int(k) && fits_blas_int(ld.lda) &&
                  fits_blas_int(ld.ldb) && fits_blas_int(ld.ldc),
              "[gemm_f64] sizes and leading dimensions must fit BLAS's 32-bit integers; got m=", m,
              ", n=", n, ", k=", k, ", lda=", ld.lda, ", ldb=", ld.ldb, ", ldc=", ld.ldc);
  match_blas_threads();
  cblas_dgemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans,
              trans_b ? CblasTrans : CblasNoTrans, static_cast<int>(m), static_cast<int>(n),
              static_cast<int>(k), alpha, a, static_cast<int>(ld.lda), b, static_cast<int>(ld.ldb),
              beta, c, static_cast<int>(ld.ldc));
}

void gemm_f16(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, float alpha,
              const Half* a, int64_t lda, const Half* b, int64_t ldb, float beta, Half* c,
              int64_t ldc) {
  reduced_gemm("gemm_f16", trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

void gemm_bf16(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, float alpha,
               const BFloat16* a, int64_t lda, const BFloat16* b, int64_t ldb, float beta,
               BFloat16* c, int64_t ldc) {
  reduced_gemm("gemm_bf16", trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

void gemm_i64(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, int64_t alpha,
              const int64_t* a, int64_t lda, const int64_t* b, int64_t ldb, int64_t beta,
              int64_t* c, int64_t ldc) {
  integer_gemm("gemm_i64", trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

void gemm_i32(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, int64_t alpha,
              const int32_t* a, int64_t lda, const int32_t* b, int64_t ldb, int64_t beta,
              int32_t* c, int64_t ldc) {
  integer_gemm("gemm_i32", trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

void gemm_i16(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, int64_t alpha,
              const int16_t* a, int64_t lda, const int16_t* b, int64_t ldb, int64_t beta,
              int16_t* c, int64_t ldc) {
  integer_gemm("gemm_i16", trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

void gemm_i8(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, int64_t alpha,
             const int8_t* a, int64_t lda, const int8_t* b, int64_t ldb, int64_t beta, int8_t* c,
             int64_t ldc) {
  integer_gemm("gemm_i8", trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

void gemm_u8(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, int64_t alpha,
             const uint8_t* a, int64_t lda, const uint8_t* b, int64_t ldb, int64_t beta, uint8_t* c,
             int64_t ldc) {
  integer_gemm("gemm_u8", trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

}  // namespace ember::cpu
