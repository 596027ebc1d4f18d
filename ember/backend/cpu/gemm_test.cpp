// Checks every CPU GEMM entry against a naive triple loop (in double for floating types, in
// wrapping uint64 for integers) over all transpositions, non-square and degenerate shapes, padded
// and ignored leading dimensions, and the alpha/beta cases libraries special-case.
#include "ember/backend/cpu/gemm.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "ember/base/error.h"

namespace ember::cpu {
namespace {

struct Shape {
  int64_t m, n, k;
};

// Degenerate sizes, vectors, and shapes that are neither square nor multiples of SIMD widths.
const Shape kShapes[] = {{0, 3, 4}, {3, 0, 4}, {3, 4, 0}, {0, 0, 0},   {1, 1, 1},   {1, 5, 7},
                         {5, 1, 7}, {5, 7, 1}, {2, 3, 4}, {17, 9, 33}, {64, 70, 65}};

// A matrix as stored: element (r, c) at data[r * ld + c]. Padding between rows holds a sentinel
// so that reading it (A, B) or writing it (C) shows up.
template <typename T>
struct Matrix {
  int64_t ld = 0;
  std::vector<T> data;
  Matrix(int64_t rows, int64_t cols, int64_t ld_in, T fill)
      : ld(ld_in), data(rows == 0 ? 1 : static_cast<size_t>((rows - 1) * ld_in + cols), fill) {}
  T& at(int64_t r, int64_t c) { return data[static_cast<size_t>(r * ld + c)]; }
  const T& at(int64_t r, int64_t c) const { return data[static_cast<size_t>(r * ld + c)]; }
};

template <typename T>
constexpr bool kIsFloating = !std::numeric_limits<T>::is_integer;

// Padding sentinel: NaN poisons any floating result that reads it; integers get a large value.
template <typename T>
T sentinel() {
  if constexpr (kIsFloating<T>) {
    return T(std::numeric_limits<float>::quiet_NaN());
  } else {
    return std::numeric_limits<T>::max();
  }
}

template <typename T>
T random_value(std::mt19937_64& rng) {
  if constexpr (kIsFloating<T>) {
    return T(std::uniform_real_distribution<float>(-1.0f, 1.0f)(rng));
  } else {
    // The full range, so products and sums wrap.
    return static_cast<T>(rng());
  }
}

template <typename T>
Matrix<T> random_matrix(int64_t rows, int64_t cols, int64_t ld, std::mt19937_64& rng) {
  Matrix<T> matrix(rows, cols, ld, sentinel<T>());
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t c = 0; c < cols; ++c) matrix.at(r, c) = random_value<T>(rng);
  }
  return matrix;
}

template <typename T, typename S, auto Gemm>
struct Entry {
  using Elem = T;
  using Scalar = S;
  static void gemm(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, S alpha, const T* a,
                   int64_t lda, const T* b, int64_t ldb, S beta, T* c, int64_t ldc) {
    Gemm(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
  }
};

struct Tolerance {
  double rtol, atol;
};

// float32/float64 results are bounded relative to |alpha| sum |a b| + |beta c| (the classic GEMM
// error bound, so cancellation cannot make the test flaky); float16/bfloat16 relative to the
// result, since rounding the output dominates.
template <typename T>
Tolerance tolerance(int64_t k) {
  const double kd = static_cast<double>(k);
  if constexpr (std::is_same_v<T, float>) return {std::max(1.3e-6, kd * 0x1p-24), 1e-5};
  if constexpr (std::is_same_v<T, double>) return {std::max(1e-13, kd * 0x1p-53), 1e-12};
  if constexpr (std::is_same_v<T, Half>) return {1e-2, 1e-2};
  return {1.6e-2, 1e-2};
}

struct Case {
  bool trans_a, trans_b;
  Shape shape;
  int64_t pad;  // extra elements between rows
  double alpha, beta;
  bool edge_rows_only = false;  // checks the rows around the 512-row tile edges, for speed
};

std::vector<int64_t> checked_rows(int64_t m, bool edge_rows_only) {
  std::vector<int64_t> rows;
  for (int64_t i = 0; i < m; ++i) {
    if (!edge_rows_only || i <= 1 || (i >= 510 && i <= 513) || i == m - 1) rows.push_back(i);
  }
  return rows;
}

// Runs one case and compares with the naive loop; C starts as NaN (or garbage) when beta == 0.
template <typename E>
void check(const Case& tc, uint64_t seed) {
  using T = typename E::Elem;
  using S = typename E::Scalar;
  const auto [m, n, k] = tc.shape;
  SCOPED_TRACE(testing::Message() << "trans_a=" << tc.trans_a << " trans_b=" << tc.trans_b
                                  << " m=" << m << " n=" << n << " k=" << k << " pad=" << tc.pad
                                  << " alpha=" << tc.alpha << " beta=" << tc.beta);
  std::mt19937_64 rng(seed);
  const int64_t a_rows = tc.trans_a ? k : m, a_cols = tc.trans_a ? m : k;
  const int64_t b_rows = tc.trans_b ? n : k, b_cols = tc.trans_b ? k : n;
  auto a = random_matrix<T>(a_rows, a_cols, a_cols + tc.pad, rng);
  auto b = random_matrix<T>(b_rows, b_cols, b_cols + tc.pad, rng);
  auto c = random_matrix<T>(m, n, n + tc.pad, rng);
  if (tc.beta == 0) {
    for (int64_t i = 0; i < m; ++i) {
      for (int64_t j = 0; j < n; ++j) c.at(i, j) = sentinel<T>();
    }
  }
  const Matrix<T> c_before = c;
  const S alpha = static_cast<S>(tc.alpha), beta = static_cast<S>(tc.beta);
  E::gemm(tc.trans_a, tc.trans_b, m, n, k, alpha, a.data.data(), a.ld, b.data.data(), b.ld, beta,
          c.data.data(), c.ld);

  auto op_a = [&](int64_t i, int64_t p) { return tc.trans_a ? a.at(p, i) : a.at(i, p); };
  auto op_b = [&](int64_t p, int64_t j) { return tc.trans_b ? b.at(j, p) : b.at(p, j); };
  int failures = 0;
  for (int64_t i : checked_rows(m, tc.edge_rows_only)) {
    for (int64_t j = 0; j < n && failures < 5; ++j) {
      if constexpr (kIsFloating<T>) {
        double sum = 0, magnitude = 0;
        for (int64_t p = 0; p < k; ++p) {
          const double term = static_cast<double>(op_a(i, p)) * static_cast<double>(op_b(p, j));
          sum += term;
          magnitude += std::abs(term);
        }
        const double old = tc.beta == 0 ? 0.0 : static_cast<double>(c_before.at(i, j));
        const double expected = static_cast<double>(alpha) * sum + static_cast<double>(beta) * old;
        const double scale = std::is_same_v<T, float> || std::is_same_v<T, double>
                                 ? std::abs(static_cast<double>(alpha)) * magnitude +
                                       std::abs(static_cast<double>(beta) * old)
                                 : std::abs(expected);
        const double actual = static_cast<double>(c.at(i, j));
        const Tolerance tol = tolerance<T>(k);
        if (!(std::abs(actual - expected) <= tol.atol + tol.rtol * scale)) {
          ADD_FAILURE() << "C(" << i << ", " << j << ") = " << actual << ", expected " << expected;
          ++failures;
        }
      } else {
        uint64_t sum = 0;
        for (int64_t p = 0; p < k; ++p) {
          sum += static_cast<uint64_t>(op_a(i, p)) * static_cast<uint64_t>(op_b(p, j));
        }
        const uint64_t old = tc.beta == 0 ? 0 : static_cast<uint64_t>(c_before.at(i, j));
        const T expected =
            static_cast<T>(static_cast<uint64_t>(static_cast<int64_t>(tc.alpha)) * sum +
                           static_cast<uint64_t>(static_cast<int64_t>(tc.beta)) * old);
        if (c.at(i, j) != expected) {
          ADD_FAILURE() << "C(" << i << ", " << j << ") = " << +c.at(i, j) << ", expected "
                        << +expected;
          ++failures;
        }
      }
    }
  }
  // Row padding of C must be untouched.
  for (int64_t i = 0; i + 1 < m; ++i) {
    for (int64_t j = n; j < c.ld; ++j) {
      const size_t index = static_cast<size_t>(i * c.ld + j);
      EXPECT_EQ(std::memcmp(&c.data[index], &c_before.data[index], sizeof(T)), 0)
          << "padding of C at row " << i << " column " << j << " was written";
    }
  }
}

template <typename E>
void check_all_shapes(const std::vector<std::pair<double, double>>& alpha_beta) {
  uint64_t seed = 1;
  for (const Shape& shape : kShapes) {
    for (bool trans_a : {false, true}) {
      for (bool trans_b : {false, true}) {
        for (int64_t pad : {0, 3}) {
          for (const auto& [alpha, beta] : alpha_beta) {
            check<E>({trans_a, trans_b, shape, pad, alpha, beta}, seed++);
          }
        }
      }
    }
  }
}

template <typename E>
class FloatingGemm : public testing::Test {};
using FloatingEntries =
    testing::Types<Entry<float, float, &gemm_f32>, Entry<double, double, &gemm_f64>,
                   Entry<Half, float, &gemm_f16>, Entry<BFloat16, float, &gemm_bf16>>;
TYPED_TEST_SUITE(FloatingGemm, FloatingEntries);

TYPED_TEST(FloatingGemm, MatchesNaiveLoop) {
  check_all_shapes<TypeParam>({{1.0, 0.0}, {0.5, 0.0}, {1.5, -0.75}, {-2.0, 1.0}, {0.0, 2.0}});
}

// Sizes past the 16-bit paths' tiles (512) in every dimension, K spanning several blocks.
TYPED_TEST(FloatingGemm, LargerThanTiles) {
  uint64_t seed = 1000;
  for (bool trans_a : {false, true}) {
    for (bool trans_b : {false, true}) {
      check<TypeParam>({trans_a, trans_b, {530, 515, 1100}, 1, 1.25, -0.5, true}, seed++);
    }
  }
}

// The 16-bit paths reuse per-thread scratch across calls: NaN left there by one call must not
// reach the next.
TYPED_TEST(FloatingGemm, EarlierNaNDoesNotLeak) {
  using T = typename TypeParam::Elem;
  using S = typename TypeParam::Scalar;
  const std::vector<T> nans(4, T(std::numeric_limits<float>::quiet_NaN()));
  const std::vector<T> ones(4, T(1.0f));
  std::vector<T> c(4, T(0.0f));
  TypeParam::gemm(false, false, 2, 2, 2, S(1), nans.data(), 2, ones.data(), 2, S(0), c.data(), 2);
  EXPECT_TRUE(std::isnan(static_cast<double>(c[0])));
  check<TypeParam>({false, false, {2, 2, 2}, 0, 1.0, 0.0}, 7);
}

// Callers may run GEMMs on several threads at once (per-thread scratch, library thread pools).
TYPED_TEST(FloatingGemm, ConcurrentCalls) {
  std::vector<std::thread> threads;
  for (uint64_t seed = 0; seed < 4; ++seed) {
    threads.emplace_back([seed] {
      check<TypeParam>({seed % 2 == 1, seed >= 2, {530, 67, 70}, 2, 1.0, 0.5, true}, 2000 + seed);
    });
  }
  for (std::thread& thread : threads) thread.join();
}

template <typename E>
class ReducedGemm : public testing::Test {};
using ReducedEntries =
    testing::Types<Entry<Half, float, &gemm_f16>, Entry<BFloat16, float, &gemm_bf16>>;
TYPED_TEST_SUITE(ReducedGemm, ReducedEntries);

// The vectorized rounding of C must agree bit for bit with half.h's scalar conversion (NaN
// payloads aside), in the vector body and the tail. With k = 1 each product is exact in float32,
// so only that final rounding is under test; inputs avoid subnormals, which bfloat16 dot-product
// instructions flush.
TYPED_TEST(ReducedGemm, RoundsCLikeScalarConversion) {
  using T = typename TypeParam::Elem;
  const int64_t m = 4, n = 37;
  const float inf = std::numeric_limits<float>::infinity();
  const float specials[] = {inf, -inf, std::numeric_limits<float>::quiet_NaN(), 40000.0f, -3e4f};
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<float> uniform(-3.0f, 3.0f);
  std::vector<T> a(m), b(n), c(m * n);
  // Row 0 overflows float16 (2 * 40000); with beta = 1 and C = 1, row 1 hits exact ties
  // (1 + ulp / 2, 1 + 3 ulp / 2) in the vector body and in the tail.
  const float half_ulp = std::is_same_v<T, Half> ? 0x1p-11f : 0x1p-8f;
  for (int64_t i = 0; i < m; ++i) a[i] = T(i == 0 ? 2.0f : i == 1 ? 1.0f : uniform(rng));
  for (int64_t j = 0; j < n; ++j) b[j] = T(j < 5 ? specials[j] : uniform(rng));
  b[5] = b[n - 2] = T(half_ulp);
  b[6] = b[n - 1] = T(3 * half_ulp);
  for (float beta : {0.0f, 0.3f, 1.0f}) {
    for (T& value : c) value = T(beta == 1.0f ? 1.0f : uniform(rng));
    const std::vector<T> before = c;
    TypeParam::gemm(false, false, m, n, 1, 1.0f, a.data(), 1, b.data(), n, beta, c.data(), n);
    for (int64_t i = 0; i < m; ++i) {
      for (int64_t j = 0; j < n; ++j) {
        const float product = static_cast<float>(a[i]) * static_cast<float>(b[j]);
        const float old = static_cast<float>(before[i * n + j]);
        const T expected = beta == 0.0f ? T(product) : T(product + beta * old);
        const T actual = c[i * n + j];
        if (std::isnan(static_cast<float>(expected))) {
          EXPECT_TRUE(std::isnan(static_cast<float>(actual)))
              << "beta=" << beta << " C(" << i << ", " << j << ")";
        } else {
          EXPECT_EQ(actual.bits, expected.bits)
              << "beta=" << beta << " C(" << i << ", " << j << ")";
        }
      }
    }
  }
}

template <typename E>
class IntegerGemm : public testing::Test {};
using IntegerEntries =
    testing::Types<Entry<int64_t, int64_t, &gemm_i64>, Entry<int32_t, int64_t, &gemm_i32>,
                   Entry<int16_t, int64_t, &gemm_i16>, Entry<int8_t, int64_t, &gemm_i8>,
                   Entry<uint8_t, int64_t, &gemm_u8>>;
TYPED_TEST_SUITE(IntegerGemm, IntegerEntries);

TYPED_TEST(IntegerGemm, MatchesNaiveLoopWithWrapAround) {
  check_all_shapes<TypeParam>({{1.0, 0.0}, {3.0, -2.0}, {-1.0, 5.0}, {0.0, 1.0}});
}

// One-row and one-column operands with leading dimensions the libraries would reject: a [1, n]
// view of a column has row stride 1, and the stride of a single row is never used.
TEST(GemmLeadingDims, IgnoredForSingleRows) {
  const std::vector<float> a = {1, 2, 3};           // 1x3, lda = 1
  const std::vector<float> b = {1, 0, 2, 1, 3, 1};  // 3x2
  std::vector<float> c = {std::nanf(""), std::nanf("")};
  gemm_f32(false, false, 1, 2, 3, 1.0f, a.data(), 1, b.data(), 2, 0.0f, c.data(), 0);
  EXPECT_EQ(c, (std::vector<float>{14, 5}));

  std::vector<double> c64 = {std::nan(""), std::nan("")};
  const std::vector<double> a64 = {1, 2, 3}, b64 = {1, 0, 2, 1, 3, 1};
  gemm_f64(false, false, 1, 2, 3, 1.0, a64.data(), 1, b64.data(), 2, 0.0, c64.data(), 1);
  EXPECT_EQ(c64, (std::vector<double>{14, 5}));

  // op(A) = A^T with A stored 3x1: one column, so lda = 1 is exact, and B^T stored as 2x3.
  const std::vector<float> bt = {1, 2, 3, 0, 1, 1};
  gemm_f32(true, true, 1, 2, 3, 2.0f, a.data(), 1, bt.data(), 3, 0.0f, c.data(), 7);
  EXPECT_EQ(c, (std::vector<float>{28, 10}));
}

TEST(GemmErrors, RejectsBadSizesAndStrides) {
  std::vector<float> buffer(64, 0.0f);
  const float* p = buffer.data();
  EXPECT_THROW(gemm_f32(false, false, -1, 2, 2, 1, p, 2, p, 2, 0, buffer.data(), 2), RuntimeError);
  EXPECT_THROW(gemm_f32(false, false, 2, 2, 3, 1, p, 2, p, 2, 0, buffer.data(), 2), RuntimeError);
  EXPECT_THROW(gemm_f32(false, true, 2, 3, 2, 1, p, 2, p, 2, 0, buffer.data(), 2), RuntimeError);
  std::vector<double> doubles(64, 0.0);
  EXPECT_THROW(
      gemm_f64(true, false, 3, 2, 2, 1, doubles.data(), 2, doubles.data(), 2, 0, doubles.data(), 2),
      RuntimeError);
  std::vector<Half> halves(64);
  EXPECT_THROW(
      gemm_f16(false, false, 2, 4, 2, 1, halves.data(), 2, halves.data(), 4, 0, halves.data(), 3),
      RuntimeError);
  std::vector<int32_t> ints(64, 0);
  EXPECT_THROW(
      gemm_i32(false, false, 2, 2, -3, 1, ints.data(), 2, ints.data(), 2, 0, ints.data(), 2),
      RuntimeError);
}

// CBLAS takes 32-bit sizes; the check must fire before C (here far too small) is touched.
TEST(GemmErrors, Float64RejectsSizesPastBlasRange) {
  std::vector<double> values(4, 1.0);
  EXPECT_THROW(gemm_f64(false, false, 2, 1, 1, 1, values.data(), 1, values.data(), 1, 0,
                        values.data(), int64_t{1} << 31),
               RuntimeError);
}

TEST(GemmErrors, MessageNamesTheEntryAndStride) {
  std::vector<float> buffer(64, 0.0f);
  try {
    gemm_f32(false, false, 2, 2, 3, 1, buffer.data(), 2, buffer.data(), 2, 0, buffer.data(), 2);
    FAIL() << "expected a RuntimeError";
  } catch (const RuntimeError& error) {
    EXPECT_NE(std::string(error.what()).find("[gemm_f32] expected lda >= 3"), std::string::npos)
        << error.what();
  }
}

}  // namespace
}  // namespace ember::cpu
