// nn.init: PyTorch's gain table, fans, each fill's distribution (bounds, moments at >= 6
// standard errors), the exact use of the generator (one Philox offset per random fill), and the
// ValueErrors PyTorch raises.
#include "ember/ops/nn_init.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "ember/base/error.h"
#include "ember/ops/ops.h"
#include "ember/ops/random.h"
#include "tests/test_support.h"

namespace ember::nn::init {
namespace {

using testing::mean_of;
using testing::message_of;
using testing::values;
using testing::variance_of;

TEST(NnInit, GainTableIsPyTorchs) {
  EXPECT_EQ(calculate_gain(kLinear), 1.0);
  EXPECT_EQ(calculate_gain(kConv2D), 1.0);
  EXPECT_EQ(calculate_gain(kConvTranspose3D), 1.0);
  EXPECT_EQ(calculate_gain(kSigmoid), 1.0);
  EXPECT_DOUBLE_EQ(calculate_gain(kTanh), 5.0 / 3.0);
  EXPECT_DOUBLE_EQ(calculate_gain(kReLU), std::sqrt(2.0));
  EXPECT_DOUBLE_EQ(calculate_gain(kLeakyReLU), std::sqrt(2.0 / (1 + 0.01 * 0.01)));
  EXPECT_DOUBLE_EQ(calculate_gain(kLeakyReLU, std::sqrt(5.0)), std::sqrt(2.0 / 6.0));
  EXPECT_DOUBLE_EQ(calculate_gain("selu"), 0.75);
  EXPECT_DOUBLE_EQ(calculate_gain("relu", 123.0), std::sqrt(2.0));  // param ignored
  EXPECT_NE(message_of([] {
              calculate_gain("softsign");
            }).find("[calculate_gain] Unsupported nonlinearity softsign"),
            std::string::npos);
  EXPECT_THROW(calculate_gain("conv4d"), ValueError);
}

TEST(NnInit, FansMultiplyTheReceptiveField) {
  EXPECT_EQ(_calculate_fan_in_and_fan_out(empty({4, 3})), std::make_tuple(3, 4));
  EXPECT_EQ(_calculate_fan_in_and_fan_out(empty({16, 8, 3, 5})), std::make_tuple(8 * 15, 16 * 15));
  const std::string message = message_of([] { _calculate_fan_in_and_fan_out(empty({5})); });
  EXPECT_NE(message.find("fewer than 2 dimensions"), std::string::npos) << message;
  EXPECT_NE(message.find("[5]"), std::string::npos) << message;
  EXPECT_THROW(xavier_uniform_(empty({5})), ValueError);
  EXPECT_THROW(kaiming_normal_(empty({5})), ValueError);
}

TEST(NnInit, KaimingUniformHasPyTorchsBound) {
  const Tensor w = empty({400, 250}, kFloat64);
  EXPECT_TRUE(kaiming_uniform_(w, std::sqrt(5.0)).is_same(w));
  const double bound = std::sqrt(3.0) * std::sqrt(2.0 / 6.0) / std::sqrt(250.0);
  const std::vector<double> v = values(w);
  EXPECT_LE(*std::max_element(v.begin(), v.end()), bound);
  EXPECT_GE(*std::min_element(v.begin(), v.end()), -bound);
  EXPECT_GT(*std::max_element(v.begin(), v.end()), 0.99 * bound);
  const double n = static_cast<double>(v.size());
  EXPECT_NEAR(mean_of(v), 0.0, 6 * bound / std::sqrt(3 * n));
  EXPECT_NEAR(variance_of(v), bound * bound / 3, 6 * bound * bound * 0.3 / std::sqrt(n));

  kaiming_uniform_(w, 0, kFanOut, kReLU);
  const double fan_out_bound = std::sqrt(3.0) * std::sqrt(2.0) / std::sqrt(400.0);
  const std::vector<double> u = values(w);
  EXPECT_LE(*std::max_element(u.begin(), u.end()), fan_out_bound);
  EXPECT_GT(*std::max_element(u.begin(), u.end()), 0.99 * fan_out_bound);
  EXPECT_NE(message_of([&] {
              kaiming_uniform_(w, 0, "fan_middle");
            }).find("Mode fan_middle not supported, please use one of ['fan_in', 'fan_out']"),
            std::string::npos);
  kaiming_uniform_(w, 0, "FAN_OUT", "relu");  // the mode's case does not matter, as in PyTorch
}

TEST(NnInit, NormalFillsHaveTheirStd) {
  const Tensor w = empty({300, 200}, kFloat64);
  const double n = 60000;
  kaiming_normal_(w, 0, kFanIn, kReLU);
  const double kaiming_std = std::sqrt(2.0) / std::sqrt(200.0);
  EXPECT_NEAR(variance_of(values(w)), kaiming_std * kaiming_std,
              6 * kaiming_std * kaiming_std * std::sqrt(2 / n));
  xavier_normal_(w, 2.0);
  const double xavier_std = 2.0 * std::sqrt(2.0 / 500.0);
  EXPECT_NEAR(variance_of(values(w)), xavier_std * xavier_std,
              6 * xavier_std * xavier_std * std::sqrt(2 / n));
  xavier_uniform_(w);
  const double xavier_bound = std::sqrt(6.0 / 500.0);
  const std::vector<double> v = values(w);
  EXPECT_LE(*std::max_element(v.begin(), v.end()), xavier_bound);
  EXPECT_GT(*std::max_element(v.begin(), v.end()), 0.99 * xavier_bound);
  normal_(w, 3.0, 0.5);
  EXPECT_NEAR(mean_of(values(w)), 3.0, 6 * 0.5 / std::sqrt(n));
}

TEST(NnInit, TruncNormalStaysInsideItsBounds) {
  const Tensor w = empty({100000}, kFloat64);
  trunc_normal_(w, 0.5, 1.0, -1.0, 1.5);
  const std::vector<double> v = values(w);
  EXPECT_GE(*std::min_element(v.begin(), v.end()), -1.0);
  EXPECT_LE(*std::max_element(v.begin(), v.end()), 1.5);
  // Mean of N(0.5, 1) truncated to [-1, 1.5]: mu + (phi(alpha) - phi(beta)) / Z.
  const auto phi = [](double x) { return std::exp(-x * x / 2) / std::sqrt(2 * M_PI); };
  const auto cdf = [](double x) { return (1 + std::erf(x / std::sqrt(2.0))) / 2; };
  const double z = cdf(1.0) - cdf(-1.5);
  EXPECT_NEAR(mean_of(v), 0.5 + (phi(-1.5) - phi(1.0)) / z, 6 * 0.7 / std::sqrt(1e5));
}

TEST(NnInit, EachRandomFillTakesTheNextOffsetOfTheGenerator) {
  // A Linear layer's reset: kaiming_uniform_ on the weight, then uniform_ on the bias, equals
  // the same two draws made directly with the computed bounds.
  manual_seed(7);
  const Tensor weight = kaiming_uniform_(empty({4, 3}), std::sqrt(5.0));
  const Tensor bias = uniform_(empty({4}), -1 / std::sqrt(3.0), 1 / std::sqrt(3.0));
  manual_seed(7);
  const double bound = std::sqrt(3.0) * std::sqrt(2.0 / 6.0) / std::sqrt(3.0);
  EXPECT_TRUE(equal(weight, empty({4, 3}).uniform_(-bound, bound)));
  EXPECT_TRUE(equal(bias, empty({4}).uniform_(-1 / std::sqrt(3.0), 1 / std::sqrt(3.0))));

  Generator generator = detail::createCPUGenerator(11);
  const Tensor a = xavier_normal_(empty({5, 5}), 1.0, generator);
  generator.set_current_seed(11);
  EXPECT_TRUE(equal(a, xavier_normal_(empty({5, 5}), 1.0, generator)));
  // Fills that are not random leave the generator alone.
  manual_seed(3);
  const Tensor first = normal_(empty({6}));
  manual_seed(3);
  eye_(empty({3, 3}));
  dirac_(empty({2, 2, 3}));
  constant_(empty({2}), 4);
  EXPECT_TRUE(equal(first, normal_(empty({6}))));
}

TEST(NnInit, DeterministicFills) {
  EXPECT_EQ(values(constant_(empty({2, 2}), 2.5)), (std::vector<double>{2.5, 2.5, 2.5, 2.5}));
  EXPECT_EQ(values(ones_(empty({3}))), (std::vector<double>{1, 1, 1}));
  EXPECT_EQ(values(zeros_(full({2}, 7.0))), (std::vector<double>{0, 0}));
  EXPECT_EQ(values(eye_(empty({2, 3}))), (std::vector<double>{1, 0, 0, 0, 1, 0}));
  EXPECT_THROW(eye_(empty({2, 2, 2})), ValueError);
  // dirac_: out channel d passes in channel d at the kernel's center, per group.
  const Tensor weight = dirac_(full({4, 2, 3}, 5.0), 2);
  std::vector<double> expected(24, 0.0);
  for (int64_t g = 0; g < 2; ++g) {
    for (int64_t d = 0; d < 2; ++d) expected[((g * 2 + d) * 2 + d) * 3 + 1] = 1.0;
  }
  EXPECT_EQ(values(weight), expected);
  EXPECT_EQ(values(dirac_(empty({1, 1, 2, 2}))), (std::vector<double>{0, 0, 0, 1}));
  EXPECT_THROW(dirac_(empty({2, 2})), ValueError);
  EXPECT_NE(message_of([] {
              dirac_(empty({3, 2, 3}), 2);
            }).find("divisible by groups"),
            std::string::npos);
}

TEST(NnInit, OrthogonalGivesOrthonormalRowsOrColumns) {
  for (const std::vector<int64_t>& shape :
       {std::vector<int64_t>{6, 4}, std::vector<int64_t>{3, 7}, std::vector<int64_t>{4, 2, 3}}) {
    const Tensor w = orthogonal_(empty(shape, kFloat64), 2.0);
    const Tensor m = w.reshape({shape[0], -1});
    const bool tall = m.size(0) >= m.size(1);
    const Tensor gram = tall ? mm(m.t(), m) : mm(m, m.t());
    EXPECT_TRUE(allclose(gram, 4.0 * eye(gram.size(0), kFloat64), 1e-10, 1e-10));
  }
  EXPECT_THROW(orthogonal_(empty({4})), ValueError);
  EXPECT_EQ(orthogonal_(empty({0, 3})).numel(), 0);
}

TEST(NnInit, SparseZeroesTheSameCountInEachColumn) {
  const Tensor w = sparse_(empty({10, 6}, kFloat64), 0.25, 0.5);
  const std::vector<double> v = values(w);
  for (int64_t column = 0; column < 6; ++column) {
    int zeros = 0;
    for (int64_t row = 0; row < 10; ++row) zeros += v[row * 6 + column] == 0.0;
    EXPECT_EQ(zeros, 3);  // ceil(0.25 * 10)
  }
  EXPECT_EQ(values(sparse_(empty({3, 2}), 2.0)), std::vector<double>(6, 0.0));
  EXPECT_THROW(sparse_(empty({3, 2, 1}), 0.5), ValueError);
}

TEST(NnInit, ZeroElementKaimingIsANoOp) {
  const Tensor w = empty({0, 3});
  EXPECT_TRUE(kaiming_uniform_(w).is_same(w));
  EXPECT_TRUE(kaiming_normal_(empty({0})).numel() == 0);  // no fan error: nothing to fill
}

}  // namespace
}  // namespace ember::nn::init
