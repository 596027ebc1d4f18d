// The matmul family against a naive triple loop: mm, matmul's 1-D/2-D/batched broadcasting,
// bmm, mv, dot, outer, addmm (beta/alpha, beta = 0 ignoring NaN), transposed and sliced
// operands, integer and empty cases, and the errors B2 (shapes) and B3 (dtypes).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "ember/ops/ops.h"
#include "tests/test_support.h"

namespace ember {
namespace {

using testing::message_of;
using testing::values;

// C = A @ B for row-major float64 copies, the reference for every case.
std::vector<double> naive_matmul(const Tensor& a, const Tensor& b) {
  const std::vector<double> x = values(a), y = values(b);
  const int64_t m = a.size(0), k = a.size(1), n = b.size(1);
  std::vector<double> c(static_cast<size_t>(m * n), 0.0);
  for (int64_t i = 0; i < m; ++i) {
    for (int64_t j = 0; j < n; ++j) {
      for (int64_t p = 0; p < k; ++p) c[i * n + j] += x[i * k + p] * y[p * n + j];
    }
  }
  return c;
}

void expect_near(const std::vector<double>& got, const std::vector<double>& expected,
                 double tolerance) {
  ASSERT_EQ(got.size(), expected.size());
  for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], expected[i], tolerance) << i;
}

TEST(Linalg, MmMatchesNaiveOnEveryLayout) {
  manual_seed(1);
  const Tensor a = randn({5, 7}, kFloat64), b = randn({7, 3}, kFloat64);
  expect_near(values(mm(a, b)), naive_matmul(a, b), 1e-12);
  const Tensor at = randn({7, 5}, kFloat64).t();  // column-major operand
  expect_near(values(mm(at, b)), naive_matmul(at, b), 1e-12);
  const Tensor sliced = randn({5, 14}, kFloat64).slice(1, 0, std::nullopt, 2);  // stride 2
  expect_near(values(mm(sliced, b)), naive_matmul(sliced, b), 1e-12);
  const Tensor af = a.to(kFloat32), bf = b.to(kFloat32);
  expect_near(values(mm(af, bf)), naive_matmul(af, bf), 1e-4);
  const Tensor ai = tensor({{1, 2}, {3, 4}}, kInt64);
  EXPECT_EQ(values(mm(ai, ai)), (std::vector<double>{7, 10, 15, 22}));
  EXPECT_EQ(mm(ai, ai).dtype(), kInt64);
}

TEST(Linalg, MatmulBroadcastingRules) {
  manual_seed(2);
  const Tensor v = randn({4}, kFloat64), m = randn({4, 3}, kFloat64);
  EXPECT_EQ(matmul(v, v).dim(), 0);  // 1-D @ 1-D: dot
  EXPECT_EQ(matmul(v, m).shape(), Shape({3}));
  EXPECT_EQ(matmul(m.t(), v).shape(), Shape({3}));
  const Tensor batch = randn({2, 5, 4}, kFloat64);
  const Tensor product = matmul(batch, m);  // (2, 5, 4) @ (4, 3) broadcasts m
  EXPECT_EQ(product.shape(), Shape({2, 5, 3}));
  expect_near(values(product.select(0, 1)), naive_matmul(batch.select(0, 1), m), 1e-12);
  const Tensor left = randn({3, 1, 2, 4}, kFloat64), right = randn({5, 4, 2}, kFloat64);
  EXPECT_EQ(matmul(left, right).shape(), Shape({3, 5, 2, 2}));
  EXPECT_EQ(bmm(batch, randn({2, 4, 6}, kFloat64)).shape(), Shape({2, 5, 6}));
}

TEST(Linalg, VectorProductsAndAddmm) {
  const Tensor v = tensor({1.0, 2.0, 3.0}, kFloat64);
  EXPECT_EQ(dot(v, v).item<double>(), 14.0);
  EXPECT_EQ(values(outer(v, tensor({1.0, -1.0}, kFloat64))),
            (std::vector<double>{1, -1, 2, -2, 3, -3}));
  const Tensor m = tensor({{1.0, 0.0, 1.0}, {0.0, 1.0, 0.0}}, kFloat64);
  EXPECT_EQ(values(mv(m, v)), (std::vector<double>{4, 2}));
  const Tensor input = full({2, 2}, std::numeric_limits<double>::quiet_NaN(), kFloat64);
  const Tensor eye2 = eye(2, kFloat64);
  // beta = 0 ignores input entirely, NaN included.
  EXPECT_EQ(values(addmm(input, eye2, eye2, 0, 3)), (std::vector<double>{3, 0, 0, 3}));
  EXPECT_EQ(values(addmm(ones({2}, kFloat64), eye2, eye2, 2, 1)),
            (std::vector<double>{3, 2, 2, 3}));
}

TEST(Linalg, EmptyOperands) {
  EXPECT_EQ(values(mm(zeros({2, 0}), zeros({0, 3}))), std::vector<double>(6, 0.0));
  EXPECT_EQ(mm(zeros({0, 4}), zeros({4, 3})).shape(), Shape({0, 3}));
}

TEST(LinalgErrors, ShapesAndDtypes) {
  EXPECT_NE(message_of([] {
              mm(zeros({2, 3}), zeros({4, 5}));
            }).find("mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)"),
            std::string::npos);  // B2
  EXPECT_NE(message_of([] {
              mm(zeros({2, 3}), zeros({3, 2}, kFloat64));
            }).find("expected m1 and m2 to have the same dtype, but got: float32 != float64"),
            std::string::npos);  // B3
  EXPECT_NE(message_of([] {
              mm(zeros({2}), zeros({2, 2}));
            }).find("self must be a matrix"),
            std::string::npos);
  EXPECT_NE(message_of([] { matmul(zeros({}), zeros({2})); }).find("at least 1D"),
            std::string::npos);
  EXPECT_NE(message_of([] { dot(zeros({2}), zeros({3})); }).find("inconsistent tensor size"),
            std::string::npos);
  EXPECT_NE(message_of([] {
              bmm(zeros({2, 2, 3}), zeros({3, 3, 2}));
            }).find("batch size"),
            std::string::npos);
  EXPECT_NE(message_of([] {
              mm(ones({2, 2}, kBool), ones({2, 2}, kBool));
            }).find("bool"),
            std::string::npos);
}

}  // namespace
}  // namespace ember
