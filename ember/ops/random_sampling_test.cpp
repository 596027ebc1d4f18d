// The parameterised samplers of ops/random.h (_standard_gamma, _standard_gamma_grad,
// _sample_dirichlet, binomial): moments within 6 standard errors in every algorithm's regime,
// the support, and each bad input's error. Gradients are checked from Python (autograd layer).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "ember/base/error.h"
#include "ember/ops/ops.h"
#include "ember/ops/random.h"
#include "tests/test_support.h"

namespace ember {
namespace {

using testing::mean_of;
using testing::message_of;
using testing::values;
using testing::variance_of;

constexpr int64_t kDraws = 200000;

TEST(StandardGamma, MomentsInEveryRegime) {
  manual_seed(11);
  // alpha < 1 is boosted, 1 <= alpha < 1000 direct; the variance equals the mean.
  for (double alpha : {0.05, 0.5, 1.0, 3.5, 250.0, 5000.0}) {
    const std::vector<double> v = values(_standard_gamma(full({kDraws}, alpha, kFloat64)));
    const double se = std::sqrt(alpha / kDraws);
    EXPECT_NEAR(mean_of(v), alpha, 6 * se) << alpha;
    EXPECT_NEAR(variance_of(v), alpha, 6 * alpha * std::sqrt(6.0 / alpha + 2.0) / std::sqrt(kDraws))
        << alpha;
    EXPECT_GT(*std::min_element(v.begin(), v.end()), 0.0) << alpha;
  }
}

TEST(StandardGamma, KeepsDtypeAndShape) {
  const Tensor sample = _standard_gamma(full({2, 3}, 2.0, kFloat16));
  EXPECT_EQ(sample.dtype(), kFloat16);
  EXPECT_EQ(sample.shape(), (Shape{2, 3}));
  EXPECT_EQ(_standard_gamma(empty({0, 4})).shape(), (Shape{0, 4}));
}

TEST(StandardGamma, RejectsBadAlpha) {
  EXPECT_NE(message_of([] {
              _standard_gamma(tensor({1.0, -2.0}));
            }).find("[_standard_gamma] expects alpha finite and > 0; got -2"),
            std::string::npos);
  EXPECT_THROW(_standard_gamma(tensor({0.0})), RuntimeError);
  EXPECT_THROW(_standard_gamma(tensor({NAN})), RuntimeError);
  EXPECT_THROW(_standard_gamma(tensor({INFINITY})), RuntimeError);
  EXPECT_NE(message_of([] {
              _standard_gamma(ones({2}, kInt64));
            }).find("expects a floating point tensor of alpha; got int64"),
            std::string::npos);
}

TEST(StandardGammaGrad, SignZeroAndShapes) {
  // The quantiles of Gamma(alpha) grow with alpha, so the derivative is positive; x = 0 (a
  // clamped sample) has none.
  const std::vector<double> grads =
      values(_standard_gamma_grad(full({4}, 1.0, kFloat64), tensor({0.1, 1.0, 3.0, 10.0})));
  for (double g : grads) EXPECT_GT(g, 0.0);
  EXPECT_EQ(values(_standard_gamma_grad(tensor({2.0}), tensor({0.0}))), std::vector<double>{0.0});
  EXPECT_THROW(_standard_gamma_grad(tensor({1.0, 2.0}), tensor({1.0, 2.0, 3.0})), RuntimeError);
}

TEST(SampleDirichlet, SumsToOneWithTheRightMeans) {
  manual_seed(12);
  const Tensor alpha = tensor({0.3, 1.0, 4.0}, kFloat64);
  const Tensor sample = _sample_dirichlet(alpha.expand({kDraws / 4, 3}));
  const std::vector<double> sums = values(sample.sum({-1}));
  for (double s : sums) ASSERT_NEAR(s, 1.0, 1e-12);
  const std::vector<double> first = values(sample.select(1, 0).contiguous());
  const double share = 0.3 / 5.3, se = std::sqrt(share * (1 - share) / 6.3 / (kDraws / 4));
  EXPECT_NEAR(mean_of(first), share, 6 * se);
  EXPECT_THROW(_sample_dirichlet(scalar_tensor(1.0)), RuntimeError);
}

TEST(Binomial, MomentsInEveryRegime) {
  manual_seed(13);
  // inversion (n p < 10), BTRS, BTRS on the flipped probability, a large count
  for (auto [count, prob] : std::vector<std::pair<double, double>>{
           {5, 0.3}, {30, 0.2}, {100, 0.5}, {60, 0.9}, {1e6, 0.01}}) {
    const std::vector<double> v =
        values(binomial(full({kDraws}, count, kFloat64), full({kDraws}, prob, kFloat64)));
    const double variance = count * prob * (1 - prob);
    EXPECT_NEAR(mean_of(v), count * prob, 6 * std::sqrt(variance / kDraws)) << count << " " << prob;
    EXPECT_NEAR(variance_of(v), variance, 6 * variance * std::sqrt(3.0 / kDraws)) << count;
    for (double x : v) ASSERT_TRUE(x >= 0 && x <= count && x == std::floor(x));
  }
}

TEST(Binomial, EdgesAndBroadcast) {
  EXPECT_EQ(values(binomial(tensor({0.0, 7.0, 7.0}), tensor({0.5, 0.0, 1.0}))),
            (std::vector<double>{0, 0, 7}));
  const Tensor broadcast = binomial(full({3, 1}, 4.0), full({1, 2}, 0.5, kFloat32));
  EXPECT_EQ(broadcast.shape(), (Shape{3, 2}));
  EXPECT_EQ(broadcast.dtype(), kFloat32);
}

TEST(Binomial, RejectsBadParameters) {
  EXPECT_NE(message_of([] {
              binomial(tensor({3.0}), tensor({1.5}));
            }).find("[binomial] expects prob in [0, 1]; got 1.5"),
            std::string::npos);
  EXPECT_THROW(binomial(tensor({3.0}), tensor({-0.1})), RuntimeError);
  EXPECT_THROW(binomial(tensor({3.0}), tensor({NAN})), RuntimeError);
  EXPECT_NE(message_of([] {
              binomial(tensor({2.5}), tensor({0.5}));
            }).find("[binomial] expects count integral and >= 0; got 2.5"),
            std::string::npos);
  EXPECT_THROW(binomial(tensor({-1.0}), tensor({0.5})), RuntimeError);
  EXPECT_THROW(binomial(ones({2}, kInt64), tensor({0.5, 0.5})), RuntimeError);
  EXPECT_THROW(binomial(ones({2}), ones({3})), RuntimeError);
}

}  // namespace
}  // namespace ember
