// The LAPACK interface of lapack.h over the Fortran symbols of the system LAPACK (OpenBLAS on
// Debian exports them from libopenblas, which ember already links for CBLAS). Fortran passes
// everything by reference (trsm is BLAS's, through CBLAS) and character arguments with a hidden
// length (gfortran's convention: trailing size_t values), declared here so that the calls match the
// ABI exactly.
#include "ember/backend/cpu/lapack.h"

#include <cblas.h>

#include <algorithm>
#include <climits>
#include <cstddef>
#include <type_traits>
#include <vector>

#include "ember/backend/cpu/gemm.h"
#include "ember/base/error.h"

using lapack_int = int32_t;

extern "C" {
void sgetrf_(const lapack_int* m, const lapack_int* n, float* a, const lapack_int* lda,
             lapack_int* ipiv, lapack_int* info);
void dgetrf_(const lapack_int* m, const lapack_int* n, double* a, const lapack_int* lda,
             lapack_int* ipiv, lapack_int* info);
void sgetrs_(const char* trans, const lapack_int* n, const lapack_int* nrhs, const float* a,
             const lapack_int* lda, const lapack_int* ipiv, float* b, const lapack_int* ldb,
             lapack_int* info, size_t);
void dgetrs_(const char* trans, const lapack_int* n, const lapack_int* nrhs, const double* a,
             const lapack_int* lda, const lapack_int* ipiv, double* b, const lapack_int* ldb,
             lapack_int* info, size_t);
void sgesv_(const lapack_int* n, const lapack_int* nrhs, float* a, const lapack_int* lda,
            lapack_int* ipiv, float* b, const lapack_int* ldb, lapack_int* info);
void dgesv_(const lapack_int* n, const lapack_int* nrhs, double* a, const lapack_int* lda,
            lapack_int* ipiv, double* b, const lapack_int* ldb, lapack_int* info);
void spotrf_(const char* uplo, const lapack_int* n, float* a, const lapack_int* lda,
             lapack_int* info, size_t);
void dpotrf_(const char* uplo, const lapack_int* n, double* a, const lapack_int* lda,
             lapack_int* info, size_t);
void sgeqrf_(const lapack_int* m, const lapack_int* n, float* a, const lapack_int* lda, float* tau,
             float* work, const lapack_int* lwork, lapack_int* info);
void dgeqrf_(const lapack_int* m, const lapack_int* n, double* a, const lapack_int* lda,
             double* tau, double* work, const lapack_int* lwork, lapack_int* info);
void sorgqr_(const lapack_int* m, const lapack_int* n, const lapack_int* k, float* a,
             const lapack_int* lda, const float* tau, float* work, const lapack_int* lwork,
             lapack_int* info);
void dorgqr_(const lapack_int* m, const lapack_int* n, const lapack_int* k, double* a,
             const lapack_int* lda, const double* tau, double* work, const lapack_int* lwork,
             lapack_int* info);
void ssyevd_(const char* jobz, const char* uplo, const lapack_int* n, float* a,
             const lapack_int* lda, float* w, float* work, const lapack_int* lwork,
             lapack_int* iwork, const lapack_int* liwork, lapack_int* info, size_t, size_t);
void dsyevd_(const char* jobz, const char* uplo, const lapack_int* n, double* a,
             const lapack_int* lda, double* w, double* work, const lapack_int* lwork,
             lapack_int* iwork, const lapack_int* liwork, lapack_int* info, size_t, size_t);
void sgesdd_(const char* jobz, const lapack_int* m, const lapack_int* n, float* a,
             const lapack_int* lda, float* s, float* u, const lapack_int* ldu, float* vt,
             const lapack_int* ldvt, float* work, const lapack_int* lwork, lapack_int* iwork,
             lapack_int* info, size_t);
void dgesdd_(const char* jobz, const lapack_int* m, const lapack_int* n, double* a,
             const lapack_int* lda, double* s, double* u, const lapack_int* ldu, double* vt,
             const lapack_int* ldvt, double* work, const lapack_int* lwork, lapack_int* iwork,
             lapack_int* info, size_t);
void sgels_(const char* trans, const lapack_int* m, const lapack_int* n, const lapack_int* nrhs,
            float* a, const lapack_int* lda, float* b, const lapack_int* ldb, float* work,
            const lapack_int* lwork, lapack_int* info, size_t);
void dgels_(const char* trans, const lapack_int* m, const lapack_int* n, const lapack_int* nrhs,
            double* a, const lapack_int* lda, double* b, const lapack_int* ldb, double* work,
            const lapack_int* lwork, lapack_int* info, size_t);
void sgelsy_(const lapack_int* m, const lapack_int* n, const lapack_int* nrhs, float* a,
             const lapack_int* lda, float* b, const lapack_int* ldb, lapack_int* jpvt,
             const float* rcond, lapack_int* rank, float* work, const lapack_int* lwork,
             lapack_int* info);
void dgelsy_(const lapack_int* m, const lapack_int* n, const lapack_int* nrhs, double* a,
             const lapack_int* lda, double* b, const lapack_int* ldb, lapack_int* jpvt,
             const double* rcond, lapack_int* rank, double* work, const lapack_int* lwork,
             lapack_int* info);
void sgelsd_(const lapack_int* m, const lapack_int* n, const lapack_int* nrhs, float* a,
             const lapack_int* lda, float* b, const lapack_int* ldb, float* s, const float* rcond,
             lapack_int* rank, float* work, const lapack_int* lwork, lapack_int* iwork,
             lapack_int* info);
void dgelsd_(const lapack_int* m, const lapack_int* n, const lapack_int* nrhs, double* a,
             const lapack_int* lda, double* b, const lapack_int* ldb, double* s,
             const double* rcond, lapack_int* rank, double* work, const lapack_int* lwork,
             lapack_int* iwork, lapack_int* info);
void sgelss_(const lapack_int* m, const lapack_int* n, const lapack_int* nrhs, float* a,
             const lapack_int* lda, float* b, const lapack_int* ldb, float* s, const float* rcond,
             lapack_int* rank, float* work, const lapack_int* lwork, lapack_int* info);
void dgelss_(const lapack_int* m, const lapack_int* n, const lapack_int* nrhs, double* a,
             const lapack_int* lda, double* b, const lapack_int* ldb, double* s,
             const double* rcond, lapack_int* rank, double* work, const lapack_int* lwork,
             lapack_int* info);
}

namespace ember::cpu::lapack {
namespace {

lapack_int to_int(int64_t value, const char* routine) {
  if (value < 0 || value > INT_MAX) {
    detail::raise<RuntimeError>("[lapack] ", routine, ": size ", value,
                                " is outside LAPACK's 32-bit integers");
  }
  return static_cast<lapack_int>(value);
}

// Leading dimensions must be at least 1 even for empty matrices.
lapack_int to_ld(int64_t value, const char* routine) {
  return to_int(std::max<int64_t>(value, 1), routine);
}

int finish(lapack_int info, const char* routine) {
  if (info < 0) {
    detail::raise<RuntimeError>("[lapack] internal: argument ", -info, " of ", routine,
                                " is invalid");
  }
  return info;
}

// The size a workspace query (lwork = -1) returned, as a count of elements.
template <typename T>
lapack_int work_size(T query) {
  return std::max<lapack_int>(1, static_cast<lapack_int>(query));
}

}  // namespace

template <>
int getrf<float>(int64_t m, int64_t n, float* a, int64_t lda, int32_t* ipiv) {
  match_blas_threads();
  const lapack_int m_ = to_int(m, "getrf"), n_ = to_int(n, "getrf"), lda_ = to_ld(lda, "getrf");
  lapack_int info = 0;
  sgetrf_(&m_, &n_, a, &lda_, ipiv, &info);
  return finish(info, "sgetrf");
}
template <>
int getrf<double>(int64_t m, int64_t n, double* a, int64_t lda, int32_t* ipiv) {
  match_blas_threads();
  const lapack_int m_ = to_int(m, "getrf"), n_ = to_int(n, "getrf"), lda_ = to_ld(lda, "getrf");
  lapack_int info = 0;
  dgetrf_(&m_, &n_, a, &lda_, ipiv, &info);
  return finish(info, "dgetrf");
}

template <typename T>
int getrs(char trans, int64_t n, int64_t nrhs, const T* a, int64_t lda, const int32_t* ipiv, T* b,
          int64_t ldb) {
  match_blas_threads();
  const lapack_int n_ = to_int(n, "getrs"), nrhs_ = to_int(nrhs, "getrs");
  const lapack_int lda_ = to_ld(lda, "getrs"), ldb_ = to_ld(ldb, "getrs");
  lapack_int info = 0;
  if constexpr (std::is_same_v<T, float>) {
    sgetrs_(&trans, &n_, &nrhs_, a, &lda_, ipiv, b, &ldb_, &info, 1);
  } else {
    dgetrs_(&trans, &n_, &nrhs_, a, &lda_, ipiv, b, &ldb_, &info, 1);
  }
  return finish(info, "getrs");
}

template <typename T>
int gesv(int64_t n, int64_t nrhs, T* a, int64_t lda, int32_t* ipiv, T* b, int64_t ldb) {
  match_blas_threads();
  const lapack_int n_ = to_int(n, "gesv"), nrhs_ = to_int(nrhs, "gesv");
  const lapack_int lda_ = to_ld(lda, "gesv"), ldb_ = to_ld(ldb, "gesv");
  lapack_int info = 0;
  if constexpr (std::is_same_v<T, float>) {
    sgesv_(&n_, &nrhs_, a, &lda_, ipiv, b, &ldb_, &info);
  } else {
    dgesv_(&n_, &nrhs_, a, &lda_, ipiv, b, &ldb_, &info);
  }
  return finish(info, "gesv");
}

template <typename T>
int potrf(char uplo, int64_t n, T* a, int64_t lda) {
  match_blas_threads();
  const lapack_int n_ = to_int(n, "potrf"), lda_ = to_ld(lda, "potrf");
  lapack_int info = 0;
  if constexpr (std::is_same_v<T, float>) {
    spotrf_(&uplo, &n_, a, &lda_, &info, 1);
  } else {
    dpotrf_(&uplo, &n_, a, &lda_, &info, 1);
  }
  return finish(info, "potrf");
}

template <typename T>
void trsm(char uplo, char trans, char diag, int64_t n, int64_t nrhs, const T* a, int64_t lda, T* b,
          int64_t ldb) {
  match_blas_threads();
  const lapack_int n_ = to_int(n, "trsm"), nrhs_ = to_int(nrhs, "trsm");
  const lapack_int lda_ = to_ld(lda, "trsm"), ldb_ = to_ld(ldb, "trsm");
  if (n_ == 0 || nrhs_ == 0) return;
  const auto uplo_ = uplo == 'U' ? CblasUpper : CblasLower;
  const auto trans_ = trans == 'T' ? CblasTrans : CblasNoTrans;
  const auto diag_ = diag == 'U' ? CblasUnit : CblasNonUnit;
  if constexpr (std::is_same_v<T, float>) {
    cblas_strsm(CblasColMajor, CblasLeft, uplo_, trans_, diag_, n_, nrhs_, 1.0f, a, lda_, b, ldb_);
  } else {
    cblas_dtrsm(CblasColMajor, CblasLeft, uplo_, trans_, diag_, n_, nrhs_, 1.0, a, lda_, b, ldb_);
  }
}

template <typename T>
int geqrf(int64_t m, int64_t n, T* a, int64_t lda, T* tau) {
  match_blas_threads();
  const lapack_int m_ = to_int(m, "geqrf"), n_ = to_int(n, "geqrf"), lda_ = to_ld(lda, "geqrf");
  lapack_int info = 0, query = -1;
  T size{};
  const auto call = [&](T* work, const lapack_int* lwork) {
    if constexpr (std::is_same_v<T, float>) {
      sgeqrf_(&m_, &n_, a, &lda_, tau, work, lwork, &info);
    } else {
      dgeqrf_(&m_, &n_, a, &lda_, tau, work, lwork, &info);
    }
  };
  call(&size, &query);
  const lapack_int lwork = work_size(size);
  std::vector<T> work(static_cast<size_t>(lwork));
  call(work.data(), &lwork);
  return finish(info, "geqrf");
}

template <typename T>
int orgqr(int64_t m, int64_t n, int64_t k, T* a, int64_t lda, const T* tau) {
  match_blas_threads();
  const lapack_int m_ = to_int(m, "orgqr"), n_ = to_int(n, "orgqr"), k_ = to_int(k, "orgqr");
  const lapack_int lda_ = to_ld(lda, "orgqr");
  lapack_int info = 0, query = -1;
  T size{};
  const auto call = [&](T* work, const lapack_int* lwork) {
    if constexpr (std::is_same_v<T, float>) {
      sorgqr_(&m_, &n_, &k_, a, &lda_, tau, work, lwork, &info);
    } else {
      dorgqr_(&m_, &n_, &k_, a, &lda_, tau, work, lwork, &info);
    }
  };
  call(&size, &query);
  const lapack_int lwork = work_size(size);
  std::vector<T> work(static_cast<size_t>(lwork));
  call(work.data(), &lwork);
  return finish(info, "orgqr");
}

template <typename T>
int syevd(char jobz, char uplo, int64_t n, T* a, int64_t lda, T* w) {
  match_blas_threads();
  const lapack_int n_ = to_int(n, "syevd"), lda_ = to_ld(lda, "syevd");
  lapack_int info = 0, query = -1, iwork_size = 0;
  T size{};
  const auto call = [&](T* work, const lapack_int* lwork, lapack_int* iwork,
                        const lapack_int* liwork) {
    if constexpr (std::is_same_v<T, float>) {
      ssyevd_(&jobz, &uplo, &n_, a, &lda_, w, work, lwork, iwork, liwork, &info, 1, 1);
    } else {
      dsyevd_(&jobz, &uplo, &n_, a, &lda_, w, work, lwork, iwork, liwork, &info, 1, 1);
    }
  };
  call(&size, &query, &iwork_size, &query);
  const lapack_int lwork = work_size(size), liwork = std::max<lapack_int>(1, iwork_size);
  std::vector<T> work(static_cast<size_t>(lwork));
  std::vector<lapack_int> iwork(static_cast<size_t>(liwork));
  call(work.data(), &lwork, iwork.data(), &liwork);
  return finish(info, "syevd");
}

template <typename T>
int gesdd(char jobz, int64_t m, int64_t n, T* a, int64_t lda, T* s, T* u, int64_t ldu, T* vt,
          int64_t ldvt) {
  match_blas_threads();
  const lapack_int m_ = to_int(m, "gesdd"), n_ = to_int(n, "gesdd"), lda_ = to_ld(lda, "gesdd");
  const lapack_int ldu_ = to_ld(ldu, "gesdd"), ldvt_ = to_ld(ldvt, "gesdd");
  std::vector<lapack_int> iwork(static_cast<size_t>(8 * std::max<int64_t>(1, std::min(m, n))));
  lapack_int info = 0, query = -1;
  T size{};
  const auto call = [&](T* work, const lapack_int* lwork) {
    if constexpr (std::is_same_v<T, float>) {
      sgesdd_(&jobz, &m_, &n_, a, &lda_, s, u, &ldu_, vt, &ldvt_, work, lwork, iwork.data(), &info,
              1);
    } else {
      dgesdd_(&jobz, &m_, &n_, a, &lda_, s, u, &ldu_, vt, &ldvt_, work, lwork, iwork.data(), &info,
              1);
    }
  };
  call(&size, &query);
  const lapack_int lwork = work_size(size);
  std::vector<T> work(static_cast<size_t>(lwork));
  call(work.data(), &lwork);
  return finish(info, "gesdd");
}

template <typename T>
int gels(int64_t m, int64_t n, int64_t nrhs, T* a, int64_t lda, T* b, int64_t ldb) {
  match_blas_threads();
  const lapack_int m_ = to_int(m, "gels"), n_ = to_int(n, "gels"), nrhs_ = to_int(nrhs, "gels");
  const lapack_int lda_ = to_ld(lda, "gels"), ldb_ = to_ld(ldb, "gels");
  const char trans = 'N';
  lapack_int info = 0, query = -1;
  T size{};
  const auto call = [&](T* work, const lapack_int* lwork) {
    if constexpr (std::is_same_v<T, float>) {
      sgels_(&trans, &m_, &n_, &nrhs_, a, &lda_, b, &ldb_, work, lwork, &info, 1);
    } else {
      dgels_(&trans, &m_, &n_, &nrhs_, a, &lda_, b, &ldb_, work, lwork, &info, 1);
    }
  };
  call(&size, &query);
  const lapack_int lwork = work_size(size);
  std::vector<T> work(static_cast<size_t>(lwork));
  call(work.data(), &lwork);
  return finish(info, "gels");
}

template <typename T>
int gelsy(int64_t m, int64_t n, int64_t nrhs, T* a, int64_t lda, T* b, int64_t ldb, T rcond,
          int64_t* rank) {
  match_blas_threads();
  const lapack_int m_ = to_int(m, "gelsy"), n_ = to_int(n, "gelsy");
  const lapack_int nrhs_ = to_int(nrhs, "gelsy");
  const lapack_int lda_ = to_ld(lda, "gelsy"), ldb_ = to_ld(ldb, "gelsy");
  // Zeros: every column is free to move in the pivoting.
  std::vector<lapack_int> pivots(static_cast<size_t>(std::max<int64_t>(n, 1)), 0);
  lapack_int info = 0, query = -1, rank_ = 0;
  T size{};
  const auto call = [&](T* work, const lapack_int* lwork) {
    if constexpr (std::is_same_v<T, float>) {
      sgelsy_(&m_, &n_, &nrhs_, a, &lda_, b, &ldb_, pivots.data(), &rcond, &rank_, work, lwork,
              &info);
    } else {
      dgelsy_(&m_, &n_, &nrhs_, a, &lda_, b, &ldb_, pivots.data(), &rcond, &rank_, work, lwork,
              &info);
    }
  };
  call(&size, &query);
  const lapack_int lwork = work_size(size);
  std::vector<T> work(static_cast<size_t>(lwork));
  call(work.data(), &lwork);
  *rank = rank_;
  return finish(info, "gelsy");
}

template <typename T>
int gelsd(int64_t m, int64_t n, int64_t nrhs, T* a, int64_t lda, T* b, int64_t ldb, T* s, T rcond,
          int64_t* rank) {
  match_blas_threads();
  const lapack_int m_ = to_int(m, "gelsd"), n_ = to_int(n, "gelsd");
  const lapack_int nrhs_ = to_int(nrhs, "gelsd");
  const lapack_int lda_ = to_ld(lda, "gelsd"), ldb_ = to_ld(ldb, "gelsd");
  lapack_int info = 0, query = -1, rank_ = 0, iwork_size = 0;
  T size{};
  const auto call = [&](T* work, const lapack_int* lwork, lapack_int* iwork) {
    if constexpr (std::is_same_v<T, float>) {
      sgelsd_(&m_, &n_, &nrhs_, a, &lda_, b, &ldb_, s, &rcond, &rank_, work, lwork, iwork, &info);
    } else {
      dgelsd_(&m_, &n_, &nrhs_, a, &lda_, b, &ldb_, s, &rcond, &rank_, work, lwork, iwork, &info);
    }
  };
  call(&size, &query, &iwork_size);
  const lapack_int lwork = work_size(size);
  std::vector<T> work(static_cast<size_t>(lwork));
  std::vector<lapack_int> iwork(static_cast<size_t>(std::max<lapack_int>(1, iwork_size)));
  call(work.data(), &lwork, iwork.data());
  *rank = rank_;
  return finish(info, "gelsd");
}

template <typename T>
int gelss(int64_t m, int64_t n, int64_t nrhs, T* a, int64_t lda, T* b, int64_t ldb, T* s, T rcond,
          int64_t* rank) {
  match_blas_threads();
  const lapack_int m_ = to_int(m, "gelss"), n_ = to_int(n, "gelss");
  const lapack_int nrhs_ = to_int(nrhs, "gelss");
  const lapack_int lda_ = to_ld(lda, "gelss"), ldb_ = to_ld(ldb, "gelss");
  lapack_int info = 0, query = -1, rank_ = 0;
  T size{};
  const auto call = [&](T* work, const lapack_int* lwork) {
    if constexpr (std::is_same_v<T, float>) {
      sgelss_(&m_, &n_, &nrhs_, a, &lda_, b, &ldb_, s, &rcond, &rank_, work, lwork, &info);
    } else {
      dgelss_(&m_, &n_, &nrhs_, a, &lda_, b, &ldb_, s, &rcond, &rank_, work, lwork, &info);
    }
  };
  call(&size, &query);
  const lapack_int lwork = work_size(size);
  std::vector<T> work(static_cast<size_t>(lwork));
  call(work.data(), &lwork);
  *rank = rank_;
  return finish(info, "gelss");
}

#define EMBER_LAPACK_INSTANTIATE(T)                                                              \
  template int getrs<T>(char, int64_t, int64_t, const T*, int64_t, const int32_t*, T*, int64_t); \
  template int gesv<T>(int64_t, int64_t, T*, int64_t, int32_t*, T*, int64_t);                    \
  template int potrf<T>(char, int64_t, T*, int64_t);                                             \
  template void trsm<T>(char, char, char, int64_t, int64_t, const T*, int64_t, T*, int64_t);     \
  template int geqrf<T>(int64_t, int64_t, T*, int64_t, T*);                                      \
  template int orgqr<T>(int64_t, int64_t, int64_t, T*, int64_t, const T*);                       \
  template int syevd<T>(char, char, int64_t, T*, int64_t, T*);                                   \
  template int gesdd<T>(char, int64_t, int64_t, T*, int64_t, T*, T*, int64_t, T*, int64_t);      \
  template int gels<T>(int64_t, int64_t, int64_t, T*, int64_t, T*, int64_t);                     \
  template int gelsy<T>(int64_t, int64_t, int64_t, T*, int64_t, T*, int64_t, T, int64_t*);       \
  template int gelsd<T>(int64_t, int64_t, int64_t, T*, int64_t, T*, int64_t, T*, T, int64_t*);   \
  template int gelss<T>(int64_t, int64_t, int64_t, T*, int64_t, T*, int64_t, T*, T, int64_t*);
EMBER_LAPACK_INSTANTIATE(float)
EMBER_LAPACK_INSTANTIATE(double)
#undef EMBER_LAPACK_INSTANTIATE

}  // namespace ember::cpu::lapack
