// CPU LAPACK behind one small interface, like GEMM (gemm.h): the few routines the linear-algebra
// kernels call, for float and double, on COLUMN-MAJOR matrices (LAPACK's own layout; the
// callers in backend/cpu/linalg.cpp hold every matrix that way). Swapping OpenBLAS's LAPACK for
// MKL's means editing lapack.cpp alone.
//
// Each entry returns LAPACK's INFO when it is > 0 (a numerical failure the op reports: a zero
// pivot, a non-positive-definite minor, no convergence) and 0 on success; sizes past LAPACK's
// 32-bit integers and argument errors (INFO < 0) throw ember::RuntimeError. Entries allocate their
// own workspace and may be called from several threads at once; inside a parallel region the
// library runs on the calling thread alone (match_blas_threads).
#pragma once

#include <cstdint>

namespace ember::cpu::lapack {

// LU with partial pivoting of the m x n matrix a; ipiv (min(m, n)) gets 1-based row swaps.
template <typename T>
int getrf(int64_t m, int64_t n, T* a, int64_t lda, int32_t* ipiv);
// Solves A X = B (trans == 'N') or A^T X = B (trans == 'T') in place of b, from getrf's output.
template <typename T>
int getrs(char trans, int64_t n, int64_t nrhs, const T* a, int64_t lda, const int32_t* ipiv, T* b,
          int64_t ldb);
// getrf then getrs: a becomes its LU factors, b the solution.
template <typename T>
int gesv(int64_t n, int64_t nrhs, T* a, int64_t lda, int32_t* ipiv, T* b, int64_t ldb);
// Cholesky factor of the triangle `uplo` ('L' or 'U'), in place; the other triangle is left.
template <typename T>
int potrf(char uplo, int64_t n, T* a, int64_t lda);
// B := op(A)^{-1} B with A triangular (uplo), op = trans ('N' or 'T'), diag 'U' for a unit
// diagonal (BLAS trsm: a zero on the diagonal gives inf/nan, as in PyTorch, not an error).
template <typename T>
void trsm(char uplo, char trans, char diag, int64_t n, int64_t nrhs, const T* a, int64_t lda, T* b,
          int64_t ldb);
// Householder QR: R in the upper triangle of a, the reflectors below it and in tau (min(m, n)).
template <typename T>
int geqrf(int64_t m, int64_t n, T* a, int64_t lda, T* tau);
// The first n columns of Q (m x n, m >= n >= k) from geqrf's k reflectors, in place of a.
template <typename T>
int orgqr(int64_t m, int64_t n, int64_t k, T* a, int64_t lda, const T* tau);
// Eigenvalues (ascending, into w) and, for jobz == 'V', eigenvectors (in place of a) of the
// symmetric matrix whose triangle `uplo` a holds.
template <typename T>
int syevd(char jobz, char uplo, int64_t n, T* a, int64_t lda, T* w);
// SVD by divide and conquer: a = U diag(s) VT, jobz 'N' (s only), 'S' (reduced) or 'A' (full).
// a is destroyed.
template <typename T>
int gesdd(char jobz, int64_t m, int64_t n, T* a, int64_t lda, T* s, T* u, int64_t ldu, T* vt,
          int64_t ldvt);

// Least squares: X minimizing ||A X - B||_F for the m x n matrix a, which they destroy. b (ldb >=
// max(m, n) rows, nrhs columns) holds B on entry and X in its first n rows on exit.
// gels: QR or LQ, A of full rank (INFO > 0 names a zero diagonal element of the triangle); for
// m > n, the squared residuals are the column sums of squares of b's rows n..m-1.
template <typename T>
int gels(int64_t m, int64_t n, int64_t nrhs, T* a, int64_t lda, T* b, int64_t ldb);
// gelsy: complete orthogonal factorization with column pivoting, the minimum-norm solution for
// the effective rank (the largest leading triangle whose condition estimate is below 1 / rcond).
template <typename T>
int gelsy(int64_t m, int64_t n, int64_t nrhs, T* a, int64_t lda, T* b, int64_t ldb, T rcond,
          int64_t* rank);
// gelsd (SVD by divide and conquer) and gelss (SVD): the minimum-norm solution counting singular
// values <= rcond * the largest as zero; s (min(m, n)) gets the singular values, descending.
// INFO > 0: the SVD did not converge.
template <typename T>
int gelsd(int64_t m, int64_t n, int64_t nrhs, T* a, int64_t lda, T* b, int64_t ldb, T* s, T rcond,
          int64_t* rank);
template <typename T>
int gelss(int64_t m, int64_t n, int64_t nrhs, T* a, int64_t lda, T* b, int64_t ldb, T* s, T rcond,
          int64_t* rank);

}  // namespace ember::cpu::lapack
