// Generators and the samplers of ops/random.h: reproducibility from a generator's state,
// independence from the default generator and from the thread count, distribution moments
// (>= 6 standard errors: a correct sampler fails with probability below 1e-8), bad inputs.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <mutex>
#include <numeric>
#include <set>
#include <string>
#include <vector>

#include "ember/base/error.h"
#include "ember/base/parallel.h"
#include "ember/ops/ops.h"
#include "ember/ops/random.h"
#include "tests/test_support.h"

namespace ember {
namespace {

using testing::mean_of;
using testing::message_of;
using testing::values;
using testing::variance_of;

// Every sampler with a generator, large enough for the parallel kernels.
std::vector<std::pair<std::string, std::function<Tensor(Generator&)>>> samplers() {
  const int64_t n = 1 << 17;
  return {
      {"rand", [=](Generator& g) { return rand({n}, g); }},
      {"randn", [=](Generator& g) { return randn({n}, g, kFloat64); }},
      {"randint", [=](Generator& g) { return randint(-5, 5, {n}, g); }},
      {"randperm", [=](Generator& g) { return randperm(n, g); }},
      {"normal", [=](Generator& g) { return normal(1.0, 2.0, {n}, g); }},
      {"normal_tensor", [=](Generator& g) { return normal(zeros({n}), ones({n}), g); }},
      {"bernoulli", [=](Generator& g) { return bernoulli(full({n}, 0.3), g); }},
      {"multinomial",
       [=](Generator& g) {
         return multinomial(ones({64, 1000}), 10, false, g);
       }},
      {"multinomial_replacement",
       [=](Generator& g) {
         return multinomial(ones({64, 1000}), 100, true, g);
       }},
      {"poisson", [=](Generator& g) { return poisson(full({n}, 3.0), g); }},
      {"exponential_", [=](Generator& g) { return empty({n}).exponential_(2.0, g); }},
      {"geometric_", [=](Generator& g) { return empty({n}).geometric_(0.2, g); }},
      {"log_normal_", [=](Generator& g) { return empty({n}, kFloat64).log_normal_(0, 1, g); }},
      {"cauchy_", [=](Generator& g) { return empty({n}).cauchy_(0, 1, g); }},
      {"random_", [=](Generator& g) { return empty({n}, kInt32).random_(g); }},
      {"uniform_", [=](Generator& g) { return empty({n}, kFloat16).uniform_(-1, 1, g); }},
      {"_standard_gamma", [=](Generator& g) { return _standard_gamma(full({n}, 0.5), g); }},
      {"binomial", [=](Generator& g) { return binomial(full({n}, 40.0), full({n}, 0.3), g); }},
  };
}

TEST(Generator, SameSeedSameStreamForEverySampler) {
  for (auto& [name, draw] : samplers()) {
    Generator a = detail::createCPUGenerator(42);
    Generator b = make_generator<CPUGeneratorImpl>(42);
    const std::vector<double> first = values(draw(a));
    EXPECT_EQ(first, values(draw(b))) << name;
    EXPECT_NE(first, values(draw(a))) << name << ": the stream moves on";
  }
}

TEST(Generator, StreamsDoNotDependOnTheThreadCount) {
  const int threads = get_num_threads();
  for (auto& [name, draw] : samplers()) {
    set_num_threads(1);
    Generator one = detail::createCPUGenerator(7);
    const std::vector<double> single = values(draw(one));
    set_num_threads(2);
    Generator two = detail::createCPUGenerator(7);
    EXPECT_EQ(values(draw(two)), single) << name;
  }
  set_num_threads(threads);
}

TEST(Generator, StateRoundTripsAndCopiesShareIt) {
  Generator g = detail::createCPUGenerator(3);
  rand({5}, g);
  const Tensor state = g.get_state();
  EXPECT_EQ(state.dtype(), kUInt8);
  EXPECT_EQ(state.numel(), 16);
  const std::vector<double> expected = values(randn({9}, g));
  g.set_state(state);
  Generator alias = g;  // a handle: the copy draws from the same stream
  EXPECT_EQ(values(randn({9}, alias)), expected);
  EXPECT_EQ(g.current_seed(), 3u);
  g.set_current_seed(11);
  EXPECT_EQ(alias.current_seed(), 11u);
}

// libtorch's pattern: the caller holds the mutex around the accessors (which must not lock it
// again), and the ops lock it for each draw.
TEST(Generator, AccessorsUnderTheCallersLock) {
  Generator g = detail::createCPUGenerator();
  {
    std::lock_guard<std::mutex> lock(g.mutex());
    g.set_current_seed(8);
    g.set_state(g.get_state());
    EXPECT_EQ(g.current_seed(), 8u);
  }
  EXPECT_EQ(rand({3}, g).numel(), 3);
}

TEST(Generator, ExplicitGeneratorLeavesTheDefaultAlone) {
  manual_seed(5);
  const std::vector<double> expected = values(rand({8}));
  manual_seed(5);
  Generator g = detail::createCPUGenerator(5);
  rand({100}, g);
  EXPECT_EQ(values(rand({8})), expected);
}

TEST(Generator, DefaultStateAndSeed) {
  manual_seed(99);
  EXPECT_EQ(initial_seed(), 99u);
  const Tensor state = get_rng_state();
  const std::vector<double> expected = values(rand({4}));
  set_rng_state(state);
  EXPECT_EQ(values(rand({4})), expected);
  const uint64_t chosen = seed();
  EXPECT_EQ(initial_seed(), chosen);
  EXPECT_NE(seed(), chosen);  // two 64-bit draws from the entropy source
}

TEST(Generator, BadStateAndUndefinedGenerator) {
  Generator g = detail::createCPUGenerator();
  EXPECT_NE(message_of([&] { g.set_state(zeros({16})); }).find("ByteTensor"), std::string::npos);
  EXPECT_THROW(g.set_state(zeros({3}, kUInt8)), RuntimeError);
  EXPECT_NE(message_of([] { rand({2}, Generator()); }).find("undefined Generator"),
            std::string::npos);
}

TEST(Randperm, IsAPermutation) {
  for (int64_t n : {0, 1, 2, 10, 1000, 100000}) {
    std::vector<double> p = values(randperm(n));
    std::sort(p.begin(), p.end());
    for (int64_t i = 0; i < n; ++i) ASSERT_EQ(p[static_cast<size_t>(i)], double(i));
  }
  EXPECT_EQ(randperm(5).dtype(), kInt64);
  EXPECT_EQ(randperm(5, kFloat32).dtype(), kFloat32);
  EXPECT_THROW(randperm(-1), RuntimeError);
  EXPECT_NE(message_of([] { randperm(300, kInt8); }).find("too large"), std::string::npos);
}

TEST(Randperm, EveryPositionIsUniform) {
  // Element 0's value over 60000 permutations of 3: each of 3 values with probability 1/3.
  manual_seed(1);
  std::vector<int> counts(3);
  for (int trial = 0; trial < 60000; ++trial) ++counts[randperm(3)[0].item<int64_t>()];
  for (int c : counts) EXPECT_NEAR(c, 20000, 6 * std::sqrt(60000 * (1 / 3.0) * (2 / 3.0)));
}

TEST(Multinomial, FrequenciesFollowTheWeights) {
  manual_seed(2);
  const Tensor probs = tensor({0.1, 0.2, 0.0, 0.7});
  const std::vector<double> drawn = values(multinomial(probs, 100000, true));
  std::vector<double> counts(4);
  for (double d : drawn) counts[static_cast<size_t>(d)] += 1;
  const double p[] = {0.1, 0.2, 0.0, 0.7};
  for (int k = 0; k < 4; ++k) {
    EXPECT_NEAR(counts[k] / 1e5, p[k], 6 * std::sqrt(p[k] * (1 - p[k]) / 1e5) + 1e-12);
  }
}

TEST(Multinomial, WithoutReplacementDrawsDistinctPositiveCategories) {
  manual_seed(3);
  const Tensor weights = tensor({{1.0, 0.0, 2.0, 3.0, 4.0}, {5.0, 1.0, 0.0, 0.0, 1.0}});
  for (int trial = 0; trial < 100; ++trial) {
    const Tensor drawn = multinomial(weights, 3);
    ASSERT_EQ(drawn.shape(), Shape({2, 3}));
    std::vector<double> row0 = values(drawn[0]), row1 = values(drawn[1]);
    std::sort(row0.begin(), row0.end());
    EXPECT_TRUE(std::adjacent_find(row0.begin(), row0.end()) == row0.end());
    EXPECT_TRUE(std::find(row0.begin(), row0.end(), 1.0) == row0.end());
    std::sort(row1.begin(), row1.end());
    EXPECT_EQ(row1, (std::vector<double>{0, 1, 4}));
  }
  // The first draw follows the weights: P(first = 4) = 4 / 10 in row 0.
  int fours = 0;
  for (int trial = 0; trial < 20000; ++trial)
    fours += multinomial(weights[0], 1).item<int64_t>() == 4;
  EXPECT_NEAR(fours / 20000.0, 0.4, 6 * std::sqrt(0.24 / 20000));
}

TEST(Multinomial, BadInputs) {
  EXPECT_NE(message_of([] {
              multinomial(tensor({1.0, -1.0}), 1);
            }).find("element < 0"),
            std::string::npos);
  EXPECT_NE(message_of([] { multinomial(tensor({1.0, NAN}), 1); }).find("nan"), std::string::npos);
  EXPECT_NE(message_of([] {
              multinomial(tensor({0.0, 0.0}), 1);
            }).find("sum of probabilities"),
            std::string::npos);
  EXPECT_NE(message_of([] {
              multinomial(tensor({1.0, 1.0}), 3);
            }).find("n_sample >"),
            std::string::npos);
  EXPECT_NE(message_of([] {
              multinomial(tensor({1.0, 0.0}), 2);
            }).find("not enough"),
            std::string::npos);
  EXPECT_NE(message_of([] { multinomial(tensor({1.0}), 0); }).find("n_sample <= 0"),
            std::string::npos);
  EXPECT_THROW(multinomial(ones({2, 2, 2}), 1), RuntimeError);
  EXPECT_THROW(multinomial(ones({3}, kInt64), 1), RuntimeError);
}

TEST(Poisson, MomentsForSmallAndLargeRates) {
  manual_seed(4);
  for (double rate : {0.5, 4.0, 30.0, 1000.0}) {
    const std::vector<double> v = values(poisson(full({200000}, rate, kFloat64)));
    const double se = std::sqrt(rate / 200000);
    EXPECT_NEAR(mean_of(v), rate, 6 * se) << rate;
    EXPECT_NEAR(variance_of(v), rate, 6 * rate * std::sqrt(2.0 / 200000) + 6 * se) << rate;
    for (double x : v) ASSERT_EQ(x, std::floor(x));
  }
  EXPECT_EQ(values(poisson(zeros({3}))), (std::vector<double>{0, 0, 0}));
  EXPECT_THROW(poisson(tensor({-1.0})), RuntimeError);
  EXPECT_THROW(poisson(tensor({INFINITY})), RuntimeError);
}

TEST(InPlaceFills, Moments) {
  manual_seed(5);
  const int64_t n = 400000;
  const double root = std::sqrt(static_cast<double>(n));
  const std::vector<double> e = values(empty({n}, kFloat64).exponential_(2.0));
  EXPECT_NEAR(mean_of(e), 0.5, 6 * 0.5 / root);
  EXPECT_GT(*std::min_element(e.begin(), e.end()), 0.0);
  const std::vector<double> g = values(empty({n}, kFloat64).geometric_(0.25));
  EXPECT_NEAR(mean_of(g), 4.0, 6 * std::sqrt(0.75 / 0.0625) / root);
  EXPECT_GE(*std::min_element(g.begin(), g.end()), 1.0);
  const std::vector<double> l = values(empty({n}, kFloat64).log_normal_(0.0, 0.5));
  EXPECT_NEAR(mean_of(l), std::exp(0.125),
              6 * std::sqrt((std::exp(0.25) - 1) * std::exp(0.25)) / root);
  // Cauchy: the median and the quartiles at median -+ sigma.
  std::vector<double> c = values(empty({n}, kFloat64).cauchy_(1.0, 2.0));
  std::sort(c.begin(), c.end());
  EXPECT_NEAR(c[n / 2], 1.0, 0.05);
  EXPECT_NEAR(c[n / 4], -1.0, 0.05);
  const std::vector<double> r = values(empty({n}, kInt8).random_());
  EXPECT_EQ(*std::min_element(r.begin(), r.end()), 0);
  EXPECT_EQ(*std::max_element(r.begin(), r.end()), 127);
  const std::vector<double> b = values(empty({1000}, kBool).random_());
  EXPECT_EQ(std::set<double>(b.begin(), b.end()).size(), 2u);
  const std::vector<double> ranged = values(empty({n}, kFloat32).random_(-3, 4));
  EXPECT_EQ(*std::min_element(ranged.begin(), ranged.end()), -3);
  EXPECT_EQ(*std::max_element(ranged.begin(), ranged.end()), 3);
  const std::vector<double> big = values(empty({n}, kInt64).random_());
  EXPECT_GT(*std::max_element(big.begin(), big.end()), 9e18);
  EXPECT_GE(*std::min_element(big.begin(), big.end()), 0);
}

TEST(InPlaceFills, BadInputsWriteNothing) {
  Tensor x = zeros({4});
  EXPECT_THROW(x.exponential_(0.0), RuntimeError);
  EXPECT_THROW(x.geometric_(1.5), RuntimeError);
  EXPECT_THROW(x.log_normal_(0.0, -1.0), RuntimeError);
  EXPECT_THROW(x.cauchy_(0.0, 0.0), RuntimeError);
  EXPECT_THROW(x.random_(3, 3), RuntimeError);
  EXPECT_NE(message_of([] { empty({2}, kInt8).random_(0, 200); }).find("out of bounds"),
            std::string::npos);
  EXPECT_THROW(empty({2}, kInt64).exponential_(), RuntimeError);
  EXPECT_EQ(values(x), (std::vector<double>{0, 0, 0, 0}));
}

TEST(Normal, TensorMeanAndStdBroadcast) {
  manual_seed(6);
  const Tensor mean = tensor({{-10.0}, {10.0}});
  const Tensor std = full({1, 50000}, 2.0);
  const Tensor out = normal(mean, std);
  ASSERT_EQ(out.shape(), Shape({2, 50000}));
  const std::vector<double> low = values(out[0]), high = values(out[1]);
  EXPECT_NEAR(mean_of(low), -10.0, 6 * 2 / std::sqrt(50000.0));
  EXPECT_NEAR(mean_of(high), 10.0, 6 * 2 / std::sqrt(50000.0));
  EXPECT_NEAR(variance_of(high), 4.0, 6 * 4 * std::sqrt(2 / 50000.0));
  EXPECT_EQ(values(normal(tensor({3.0, 4.0}), 0.0)), (std::vector<double>{3.0, 4.0}));
  EXPECT_EQ(values(normal(1.5, zeros({2}))), (std::vector<double>{1.5, 1.5}));
  EXPECT_THROW(normal(zeros({2}), tensor({1.0, -1.0})), RuntimeError);
}

TEST(RandintLike, ShapeDtypeAndRange) {
  const Tensor like = zeros({30, 40}, kInt16);
  const Tensor drawn = randint_like(like, 3, 9);
  EXPECT_EQ(drawn.dtype(), kInt16);
  EXPECT_EQ(drawn.shape(), like.shape());
  const std::vector<double> v = values(drawn);
  EXPECT_EQ(*std::min_element(v.begin(), v.end()), 3);
  EXPECT_EQ(*std::max_element(v.begin(), v.end()), 8);
  EXPECT_EQ(randint_like(like, 5, kFloat32).dtype(), kFloat32);
}

}  // namespace
}  // namespace ember
