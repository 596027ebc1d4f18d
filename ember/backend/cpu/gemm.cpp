// The CPU GEMM backend: which library computes each dtype, and the glue that library contracts
// need (degenerate sizes, leading dimensions, 16-bit storage, integer wrap-around). Swapping in
// MKL or BLIS means editing this file only.
//
// float32 and bfloat16 go through oneDNN, whose JIT kernels run at 93-100% of peak whatever
// OPENBLAS_CORETYPE says (PERFORMANCE.md, trap 2); float64 goes through CBLAS. float16 is
// converted to float32 block by block for oneDNN's sgemm.
#include "ember/backend/cpu/gemm.h"

#include <cblas.h>
#include <omp.h>
#include <oneapi/dnnl/dnnl.h>
#include <oneapi/dnnl/dnnl_debug.h>

#include <algorithm>
#include <climits>
#include <cstddef>
#include <cstdlib>
#include <type_traits>
#include <vector>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include "ember/backend/cpu/kernel_table.h"
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

// oneDNN's GEMM chooses its own thread count and forks even for a 64x2x1 outer product (the
// weight gradient of a linear layer for one sample): 128 multiply-adds behind a fork that costs
// 2-15 us on a quiet machine and milliseconds on a loaded one, where the idle OpenMP threads spin
// against the caller (Note [one thread pool]). A product of at most this many multiply-adds, some
// 5-10 us of one core, runs on the calling thread alone (OpenBLAS draws its line at the same
// size); a DQN's 64x64x64 batch products ran 30x slower forked on a loaded machine.
constexpr double kSerialGemmWork = double(int64_t{1} << 18);

// Runs oneDNN on the calling thread for the scope when m x n x k is at most kSerialGemmWork.
// oneDNN reads OpenMP's thread count on every call, and that count is the calling thread's own
// setting, so no other thread sees the change.
class SerialWhenSmall {
 public:
  SerialWhenSmall(int64_t m, int64_t n, int64_t k)
      : saved_(double(m) * double(n) * double(k) <= kSerialGemmWork ? omp_get_max_threads() : 1) {
    if (saved_ > 1) omp_set_num_threads(1);
  }
  ~SerialWhenSmall() {
    if (saved_ > 1) omp_set_num_threads(saved_);
  }
  SerialWhenSmall(const SerialWhenSmall&) = delete;
  SerialWhenSmall& operator=(const SerialWhenSmall&) = delete;

 private:
  int saved_;  // the thread count to restore; 1 when there is nothing to restore
};

// oneDNN's JIT kernels follow the capability of the kernel tables (EMBER_CPU_CAPABILITY forces a
// narrower one, Note [SIMD dispatch]) unless oneDNN's own ONEDNN_MAX_CPU_ISA (or its older name
// DNNL_MAX_CPU_ISA) says otherwise. The cap only takes before oneDNN's first call, so every
// oneDNN entry calls this first.
void follow_cpu_capability() {
  static const bool once = [] {
    if (std::getenv("ONEDNN_MAX_CPU_ISA") != nullptr ||
        std::getenv("DNNL_MAX_CPU_ISA") != nullptr) {
      return true;
    }
    switch (kernels().capability) {
      case CpuCapability::Default:
        dnnl_set_max_cpu_isa(dnnl_cpu_isa_sse41);
        break;
      case CpuCapability::Avx2:
        dnnl_set_max_cpu_isa(dnnl_cpu_isa_avx2);
        break;
      case CpuCapability::Avx512:
        break;
    }
    return true;
  }();
  (void)once;
}

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

// Conversions between the 16-bit types and float32, vectorized where the CPU allows: half.h's
// portable bit manipulation costs 0.5-2 ns per element, as much as the arithmetic a 512-deep
// bfloat16 tile spends on each element of C.

// out = T(acc + beta * out), or T(acc) without reading out when beta == 0.
template <typename T>
void store_scalar(const float* acc, float beta, T* out, int64_t count) {
  if (beta == 0.0f) {
    for (int64_t j = 0; j < count; ++j) out[j] = T(acc[j]);
    return;
  }
  for (int64_t j = 0; j < count; ++j) out[j] = T(acc[j] + beta * static_cast<float>(out[j]));
}

#if defined(__x86_64__)
// Every AVX2 CPU has F16C, which clang's __builtin_cpu_supports cannot name. Both follow the
// kernel tables' capability, so that EMBER_CPU_CAPABILITY narrows these paths too.
bool has_f16c() {
  static const bool supported = kernels().capability >= CpuCapability::Avx2;
  return supported;
}

bool has_avx512() {
  static const bool supported = kernels().capability == CpuCapability::Avx512;
  return supported;
}

__attribute__((target("avx,f16c"))) void half_to_float_f16c(const Half* src, float* dst,
                                                            int64_t count) {
  int64_t i = 0;
  for (; i + 8 <= count; i += 8) {
    const __m128i halves = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src + i));
    _mm256_storeu_ps(dst + i, _mm256_cvtph_ps(halves));
  }
  for (; i < count; ++i) dst[i] = src[i];
}

// F16C rounds to nearest even like half.h; only NaN payloads may differ.
__attribute__((target("avx,f16c"))) void store_half_f16c(const float* acc, float beta, Half* out,
                                                         int64_t count) {
  const __m256 scale = _mm256_set1_ps(beta);
  int64_t j = 0;
  for (; j + 8 <= count; j += 8) {
    __m128i* dst = reinterpret_cast<__m128i*>(out + j);
    __m256 value = _mm256_loadu_ps(acc + j);
    if (beta != 0.0f) {
      value = _mm256_add_ps(value, _mm256_mul_ps(scale, _mm256_cvtph_ps(_mm_loadu_si128(dst))));
    }
    _mm_storeu_si128(dst, _mm256_cvtps_ph(value, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
  }
  store_scalar(acc + j, beta, out + j, count - j);
}

// The same rounding as half.h's float_to_bfloat16_bits, NaN included, sixteen lanes at a time.
// GCC 12's AVX-512 intrinsics trip -Wmaybe-uninitialized on their own placeholder operands
// (GCC bug 105593).
#pragma GCC diagnostic push
#if !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
__attribute__((target("avx512f"))) void store_bfloat16_avx512(const float* acc, float beta,
                                                              BFloat16* out, int64_t count) {
  const __m512 scale = _mm512_set1_ps(beta);
  const __m512i one = _mm512_set1_epi32(1);
  const __m512i bias = _mm512_set1_epi32(0x7fff);
  const __m512i quiet = _mm512_set1_epi32(0x40);
  int64_t j = 0;
  for (; j + 16 <= count; j += 16) {
    __m256i* dst = reinterpret_cast<__m256i*>(out + j);
    __m512 value = _mm512_loadu_ps(acc + j);
    if (beta != 0.0f) {
      const __m512i old = _mm512_slli_epi32(_mm512_cvtepu16_epi32(_mm256_loadu_si256(dst)), 16);
      value = _mm512_add_ps(value, _mm512_mul_ps(scale, _mm512_castsi512_ps(old)));
    }
    const __m512i bits = _mm512_castps_si512(value);
    const __m512i high = _mm512_srli_epi32(bits, 16);
    const __m512i rounded = _mm512_srli_epi32(
        _mm512_add_epi32(bits, _mm512_add_epi32(bias, _mm512_and_si512(high, one))), 16);
    const __mmask16 nan = _mm512_cmp_ps_mask(value, value, _CMP_UNORD_Q);
    const __m512i result = _mm512_mask_mov_epi32(rounded, nan, _mm512_or_si512(high, quiet));
    _mm256_storeu_si256(dst, _mm512_cvtepi32_epi16(result));
  }
  store_scalar(acc + j, beta, out + j, count - j);
}
#pragma GCC diagnostic pop
#endif

void to_float(const Half* src, float* dst, int64_t count) {
#if defined(__x86_64__)
  if (has_f16c()) return half_to_float_f16c(src, dst, count);
#endif
  for (int64_t i = 0; i < count; ++i) dst[i] = src[i];
}

// Only used where oneDNN's bfloat16 GEMM is missing or unsupported (no AVX-512), so left scalar.
void to_float(const BFloat16* src, float* dst, int64_t count) {
  for (int64_t i = 0; i < count; ++i) dst[i] = src[i];
}

void store(const float* acc, float beta, Half* out, int64_t count) {
#if defined(__x86_64__)
  if (has_f16c()) return store_half_f16c(acc, beta, out, count);
#endif
  store_scalar(acc, beta, out, count);
}

void store(const float* acc, float beta, BFloat16* out, int64_t count) {
#if defined(__x86_64__)
  if (has_avx512()) return store_bfloat16_avx512(acc, beta, out, count);
#endif
  store_scalar(acc, beta, out, count);
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
// while each library call is big enough to run near peak. Converting per tile converts each A
// block n / kTileN times and each B block m / kTileM times, a few percent of the arithmetic.
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
  follow_cpu_capability();
  const SerialWhenSmall serial(m, n, k);
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
        store(tile + i * cols, beta, c + (i0 + i) * ld.ldc + j0, cols);
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

}  // namespace

void follow_dnnl_capability() { follow_cpu_capability(); }

// OpenBLAS keeps its own thread pool. Following OpenMP's setting lets set_num_threads govern it
// too, and running single-threaded inside a parallel region avoids oversubscribing the cores.
void match_blas_threads() {
#if defined(OPENBLAS_VERSION)
  const int wanted = omp_in_parallel() ? 1 : omp_get_max_threads();
  if (openblas_get_num_threads() != wanted) openblas_set_num_threads(wanted);
#endif
}

void gemm_f32(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, float alpha,
              const float* a, int64_t lda, const float* b, int64_t ldb, float beta, float* c,
              int64_t ldc) {
  const Operands ld = check_operands("gemm_f32", trans_a, trans_b, m, n, k, lda, ldb, ldc);
  if (finish_degenerate(m, n, k, beta, c, ld.ldc)) return;
  follow_cpu_capability();
  const SerialWhenSmall serial(m, n, k);
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
