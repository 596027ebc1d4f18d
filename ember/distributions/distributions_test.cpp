// ember::distributions' C++ classes: values against scipy.stats (constants computed once with
// scipy and written here), shapes of samples, moments of seeded draws, reproducibility through
// manual_seed, gradients through rsample and log_prob, and the errors of bad parameters.
#include <gtest/gtest.h>

#include <cmath>

#include "ember/autograd/variable.h"
#include "ember/base/error.h"
#include "ember/base/error_testing.h"
#include "ember/distributions/distributions.h"
#include "ember/ops/ops.h"

namespace ember::distributions {
namespace {

using test_support::contains;
using test_support::error_of;

Tensor doubles(std::initializer_list<double> values) {
  return tensor(std::vector<double>(values), kFloat64);
}

double at(const Tensor& x, int64_t i) { return x.reshape({-1})[i].item<double>(); }

TEST(NormalTest, MatchesScipyStats) {
  const Normal dist(doubles({1.0}), doubles({2.0}));
  const Tensor lp = dist.log_prob(doubles({0.5, 3.0}));
  EXPECT_NEAR(at(lp, 0), -1.64333571, 1e-8);  // scipy.stats.norm(1, 2).logpdf
  EXPECT_NEAR(at(lp, 1), -2.11208571, 1e-8);
  EXPECT_NEAR(at(dist.entropy(), 0), 2.112085713764618, 1e-12);
  EXPECT_NEAR(at(dist.cdf(doubles({0.5})), 0), 0.4012936743170763, 1e-12);
  EXPECT_NEAR(at(dist.icdf(doubles({0.9})), 0), 3.5631031310892007, 1e-9);
  EXPECT_NEAR(at(dist.variance(), 0), 4.0, 0);
  EXPECT_NEAR(at(dist.stddev(), 0), 2.0, 0);
}

TEST(NormalTest, SampleShapesMomentsAndSeeds) {
  const Normal dist(zeros({3}, kFloat64), full({2, 1}, 2.0, kFloat64));
  EXPECT_EQ(dist.batch_shape(), Shape({2, 3}));
  EXPECT_EQ(dist.sample({4, 5}).shape(), Shape({4, 5, 2, 3}));
  manual_seed(3);
  const Tensor draws = dist.sample({20000});
  manual_seed(3);
  EXPECT_TRUE(equal(draws, dist.sample({20000})));
  // Mean of 120000 draws with std 2: standard error 0.006, so 0.05 is over 8 of them.
  EXPECT_NEAR(mean(draws).item<double>(), 0.0, 0.05);
  EXPECT_NEAR(std(draws).item<double>(), 2.0, 0.05);
}

TEST(NormalTest, RsampleAndLogProbCarryGradients) {
  const Tensor loc = doubles({0.5, -1.0}).requires_grad_(true);
  const Tensor scale = doubles({1.5, 0.5}).requires_grad_(true);
  const Normal dist(loc, scale);
  manual_seed(0);
  const Tensor x = dist.rsample({3});
  sum(x).backward();
  EXPECT_NEAR(at(loc.grad(), 0), 3.0, 1e-12);  // d(loc + eps*scale)/dloc, 3 draws
  EXPECT_TRUE(dist.sample().grad_fn() == nullptr);
  const Tensor lp = dist.log_prob(doubles({1.0, 1.0}));
  EXPECT_TRUE(lp.requires_grad());
}

TEST(NormalTest, NonContiguousBroadcastAndEmptyParameters) {
  const Tensor loc = arange(6, kFloat64).reshape({2, 3}).t();  // (3, 2), transposed
  const Tensor scale = full({2}, 2.0, kFloat64);
  const Normal transposed(loc, scale);
  const Normal contiguous(loc.contiguous(), scale.expand({3, 2}).contiguous());
  const Tensor value = ones({3, 2}, kFloat64);
  EXPECT_TRUE(allclose(transposed.log_prob(value), contiguous.log_prob(value)));
  EXPECT_TRUE(allclose(transposed.cdf(value), contiguous.cdf(value)));
  EXPECT_EQ(transposed.rsample({4}).shape(), Shape({4, 3, 2}));
  const Normal empty(zeros({0, 3}, kFloat64), ones({3}, kFloat64));
  EXPECT_EQ(empty.batch_shape(), Shape({0, 3}));
  EXPECT_EQ(empty.sample({2}).shape(), Shape({2, 0, 3}));
  EXPECT_EQ(empty.log_prob(zeros({0, 3}, kFloat64)).numel(), 0);
}

TEST(NormalTest, RejectsNonPositiveScale) {
  const std::string message = error_of<ValueError>([] {
    Normal(doubles({0.0}), doubles({0.0, 1.0}));
  });
  EXPECT_TRUE(contains(message, "[Normal] expected parameter scale")) << message;
  EXPECT_TRUE(contains(message, "GreaterThan(lower_bound=0.0)")) << message;
  EXPECT_TRUE(contains(error_of<RuntimeError>([] { Normal(zeros({2}), ones({3})); }), "[2]"));
}

TEST(BernoulliTest, MatchesScipyStatsFromProbsAndLogits) {
  const Bernoulli from_probs(doubles({0.3}));
  const Bernoulli from_logits(std::nullopt, doubles({std::log(0.3 / 0.7)}));
  for (const Bernoulli* dist : {&from_probs, &from_logits}) {
    const Tensor lp = dist->log_prob(doubles({0.0, 1.0}));
    EXPECT_NEAR(at(lp, 0), -0.35667494, 1e-8);  // scipy.stats.bernoulli(0.3).logpmf
    EXPECT_NEAR(at(lp, 1), -1.2039728, 1e-7);
    EXPECT_NEAR(at(dist->entropy(), 0), 0.6108643020548935, 1e-7);
    EXPECT_NEAR(at(dist->probs(), 0), 0.3, 1e-7);
    EXPECT_NEAR(at(dist->variance(), 0), 0.21, 1e-7);
  }
}

TEST(BernoulliTest, SamplesModeAndSupport) {
  const Bernoulli dist(doubles({0.2, 0.5, 0.9}));
  manual_seed(1);
  const Tensor draws = dist.sample({10000});
  EXPECT_EQ(draws.shape(), Shape({10000, 3}));
  const Tensor frequency = mean(draws, {0});
  // Standard error at most 0.005 per column; 0.03 is six of them.
  EXPECT_NEAR(at(frequency, 0), 0.2, 0.03);
  EXPECT_NEAR(at(frequency, 2), 0.9, 0.03);
  const Tensor mode = dist.mode();
  EXPECT_EQ(at(mode, 0), 0.0);
  EXPECT_TRUE(std::isnan(at(mode, 1)));
  EXPECT_EQ(dist.enumerate_support().shape(), Shape({2, 3}));
  EXPECT_EQ(dist.enumerate_support(false).shape(), Shape({2, 1}));
}

TEST(BernoulliTest, RejectsBadParameters) {
  EXPECT_TRUE(contains(error_of<ValueError>([] { Bernoulli(doubles({1.5})); }),
                       "Interval(lower_bound=0.0, upper_bound=1.0)"));
  EXPECT_TRUE(contains(error_of<ValueError>([] { Bernoulli(std::nullopt, std::nullopt); }),
                       "received neither"));
}

TEST(CategoricalTest, MatchesScipyStats) {
  const Categorical from_probs(doubles({2.0, 3.0, 5.0}));  // normalised to 0.2, 0.3, 0.5
  const Categorical from_logits(std::nullopt, log(doubles({0.2, 0.3, 0.5})) + 7.0);
  for (const Categorical* dist : {&from_probs, &from_logits}) {
    const Tensor lp = dist->log_prob(tensor(std::vector<int64_t>{0, 1, 2}, kInt64));
    EXPECT_NEAR(at(lp, 0), -1.60943791, 1e-8);
    EXPECT_NEAR(at(lp, 2), -0.69314718, 1e-8);
    EXPECT_NEAR(at(dist->entropy(), 0), 1.0296530140645737, 1e-12);  // scipy.stats.entropy
    EXPECT_EQ(dist->mode().item<int64_t>(), 2);
    EXPECT_TRUE(std::isnan(dist->mean().item<double>()));
  }
}

TEST(CategoricalTest, SamplesFollowTheProbabilities) {
  const Categorical dist(doubles({0.1, 0.0, 0.9}).expand({4, 3}));
  EXPECT_EQ(dist.batch_shape(), Shape({4}));
  manual_seed(5);
  const Tensor draws = dist.sample({5000});
  EXPECT_EQ(draws.shape(), Shape({5000, 4}));
  EXPECT_EQ(draws.dtype(), kInt64);
  EXPECT_EQ(sum(draws == 1).item<int64_t>(), 0);
  // 20000 draws of p = 0.9: standard error 0.0021; 0.015 is seven of them.
  EXPECT_NEAR(mean((draws == 2).to(kFloat64)).item<double>(), 0.9, 0.015);
  EXPECT_EQ(dist.sample({0}).shape(), Shape({0, 4}));
  EXPECT_EQ(dist.enumerate_support().shape(), Shape({3, 4}));
}

TEST(CategoricalTest, BroadcastValuesAndEmptyBatches) {
  const Categorical dist(tensor(std::vector<double>{0.2, 0.8, 0.6, 0.4}, kFloat64).reshape({2, 2}));
  // Values (3, 1) against batch (2,): log_prob of shape (3, 2).
  const Tensor values = tensor(std::vector<int64_t>{0, 1, 0}, kInt64).reshape({3, 1});
  const Tensor lp = dist.log_prob(values);
  EXPECT_EQ(lp.shape(), Shape({3, 2}));
  EXPECT_NEAR(at(lp, 1), std::log(0.6), 1e-12);
  EXPECT_NEAR(at(lp, 2), std::log(0.8), 1e-12);
  EXPECT_NEAR(at(dist.log_prob(dist.enumerate_support()), 3), std::log(0.4), 1e-12);
  const Categorical empty(ones({0, 4}, kFloat64));
  EXPECT_EQ(empty.sample({3}).shape(), Shape({3, 0}));
  EXPECT_EQ(empty.entropy().shape(), Shape({0}));
  const Categorical transposed(ones({4, 2}, kFloat64).t());
  EXPECT_NEAR(at(transposed.entropy(), 1), std::log(4.0), 1e-12);
}

TEST(CategoricalTest, ZeroProbabilityKeepsEntropyFinite) {
  const Categorical dist(doubles({0.5, 0.0, 0.5}));
  EXPECT_NEAR(dist.entropy().item<double>(), std::log(2.0), 1e-12);
}

TEST(CategoricalTest, RejectsBadParameters) {
  EXPECT_TRUE(contains(error_of<ValueError>([] {
                         Categorical(doubles({0.5, -0.5}));
                       }),
                       "[Categorical] expected parameter probs"));
  EXPECT_TRUE(
      contains(error_of<ValueError>([] { Categorical(scalar_tensor(1.0)); }), "at least one dim"));
  EXPECT_TRUE(
      contains(error_of<ValueError>([] { Categorical(ones({2}), ones({2})); }), "received both"));
}

}  // namespace
}  // namespace ember::distributions
