// CPU matrix multiplication behind one small interface, so the libraries doing the work (oneDNN for
// float32 and bfloat16, a CBLAS such as OpenBLAS for float64) can be swapped for MKL or BLIS by
// editing gemm.cpp alone.
//
// Every entry computes, on row-major matrices,
//   C = alpha * op(A) @ op(B) + beta * C,   op(X) = X^T when trans_x is true, else X,
// with op(A) of shape m x k, op(B) k x n and C m x n. lda/ldb/ldc are row strides in elements of
// the matrices as stored (A is k x m when trans_a is true), as for dnnl_sgemm or cblas with
// CblasRowMajor; the stride of a matrix with one row is ignored. beta == 0 overwrites C without
// reading it, so NaN in C does not propagate. k == 0 gives C = beta * C. Callers make operands
// contiguous or transposed first: there is no general-stride entry.
//
// Threads: the libraries run on OpenMP's thread count (ember::set_num_threads), and on the calling
// thread alone inside a parallel region; integer products and 16-bit conversions run on the calling
// thread. Entries may be called from several threads at once. Errors (negative sizes, a leading
// dimension below the column count, float64 sizes past the BLAS's 32-bit integers, a failing
// library call) throw ember::RuntimeError.
#pragma once

#include <cstdint>

#include "ember/base/half.h"

namespace ember::cpu {

// Gives OpenBLAS's own pool OpenMP's thread count, or one thread inside a parallel region; the
// GEMM entries and the LAPACK interface (lapack.h) call it before each library call.
void match_blas_threads();

// Caps oneDNN's JIT kernels at the kernel tables' capability; every oneDNN entry (the GEMMs,
// conv_dnnl.cpp) calls it before its first oneDNN call.
void follow_dnnl_capability();

void gemm_f32(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, float alpha,
              const float* a, int64_t lda, const float* b, int64_t ldb, float beta, float* c,
              int64_t ldc);

void gemm_f64(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, double alpha,
              const double* a, int64_t lda, const double* b, int64_t ldb, double beta, double* c,
              int64_t ldc);

// float16 and bfloat16 accumulate in float32 and round once, when C is stored.
void gemm_f16(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, float alpha,
              const Half* a, int64_t lda, const Half* b, int64_t ldb, float beta, Half* c,
              int64_t ldc);

void gemm_bf16(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, float alpha,
               const BFloat16* a, int64_t lda, const BFloat16* b, int64_t ldb, float beta,
               BFloat16* c, int64_t ldc);

// Integer products wrap around modulo 2^bits of the element type, as PyTorch's integer matmul
// does; alpha and beta are taken modulo 2^bits too.
void gemm_i64(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, int64_t alpha,
              const int64_t* a, int64_t lda, const int64_t* b, int64_t ldb, int64_t beta,
              int64_t* c, int64_t ldc);

void gemm_i32(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, int64_t alpha,
              const int32_t* a, int64_t lda, const int32_t* b, int64_t ldb, int64_t beta,
              int32_t* c, int64_t ldc);

void gemm_i16(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, int64_t alpha,
              const int16_t* a, int64_t lda, const int16_t* b, int64_t ldb, int64_t beta,
              int16_t* c, int64_t ldc);

void gemm_i8(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, int64_t alpha,
             const int8_t* a, int64_t lda, const int8_t* b, int64_t ldb, int64_t beta, int8_t* c,
             int64_t ldc);

void gemm_u8(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, int64_t alpha,
             const uint8_t* a, int64_t lda, const uint8_t* b, int64_t ldb, int64_t beta, uint8_t* c,
             int64_t ldc);

}  // namespace ember::cpu
