// ember::nn::utils (clip_grad_norm_, clip_grad_value_, parameters_to_vector,
// vector_to_parameters) and the weight-reparametrisation ops they sit beside (norm_except_dim,
// _weight_norm, _spectral_norm): hand-derived values and the error paths.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "ember/nn/nn.h"
#include "ember/nn/utils.h"
#include "ember/ops/ops.h"
#include "tests/test_support.h"

namespace ember::nn {
namespace {

using testing::message_of;
using testing::tensor_of;
using testing::values;

// A leaf whose gradient is `grad`.
Tensor with_grad(const std::vector<double>& grad) {
  Tensor parameter = zeros({static_cast<int64_t>(grad.size())}, kFloat64).requires_grad_();
  (parameter * tensor_of(grad, {static_cast<int64_t>(grad.size())}, kFloat64)).sum().backward();
  return parameter;
}

TEST(ClipGradNorm, ScalesByMaxNormOverTheTotalNorm) {
  const Tensor first = with_grad({3, 4});
  const Tensor second = with_grad({12});
  const Tensor without = zeros({2}, kFloat64).requires_grad_();
  EXPECT_DOUBLE_EQ(utils::clip_grad_norm_({first, second, without}, 6.5), 13.0);
  const double coefficient = 6.5 / (13.0 + 1e-6);
  EXPECT_DOUBLE_EQ(values(first.grad())[1], 4 * coefficient);
  EXPECT_DOUBLE_EQ(values(second.grad())[0], 12 * coefficient);
  EXPECT_FALSE(without.grad().defined());
}

TEST(ClipGradNorm, OtherOrdersAndNoClippingBelowMaxNorm) {
  const std::vector<Tensor> parameters{with_grad({3, -4}), with_grad({-12})};
  EXPECT_DOUBLE_EQ(utils::clip_grad_norm_(parameters, 100, 1), 19.0);
  EXPECT_EQ(values(parameters[0].grad()), (std::vector<double>{3, -4}));
  const double infinity = std::numeric_limits<double>::infinity();
  EXPECT_DOUBLE_EQ(utils::clip_grad_norm_(parameters[1], 6, infinity), 12.0);
  EXPECT_DOUBLE_EQ(values(parameters[1].grad())[0], -12 * 6 / (12 + 1e-6));
}

TEST(ClipGradNorm, NonFiniteTotal) {
  const Tensor parameter = with_grad({1, std::nan("")});
  EXPECT_NE(message_of([&] {
              utils::clip_grad_norm_(parameter, 1, 2, true);
            }).find("[clip_grad_norm_] The total norm of order 2"),
            std::string::npos);
  EXPECT_TRUE(std::isnan(utils::clip_grad_norm_(parameter, 1)));
  EXPECT_DOUBLE_EQ(utils::clip_grad_norm_(std::vector<Tensor>{}, 1), 0.0);
}

TEST(ClipGradValue, ClampsEachGradient) {
  const Tensor parameter = with_grad({-3, 0.5, 2});
  utils::clip_grad_value_(parameter, 0.5);
  EXPECT_EQ(values(parameter.grad()), (std::vector<double>{-0.5, 0.5, 0.5}));
}

TEST(ClipGradValue, WritesIntoTheGradientsOwnMemoryAndKeepsNaN) {
  const Tensor parameter = with_grad({-3, std::nan(""), 2});
  const void* memory = parameter.grad().data_ptr();
  utils::clip_grad_value_(parameter, 1.0);
  EXPECT_EQ(parameter.grad().data_ptr(), memory);
  const std::vector<double> clipped = values(parameter.grad());
  EXPECT_EQ(clipped[0], -1.0);
  EXPECT_TRUE(std::isnan(clipped[1]));
  EXPECT_EQ(clipped[2], 1.0);
}

TEST(ParameterVectors, RoundTripAndSizeMismatch) {
  Linear linear(3, 2);
  const Tensor vector = utils::parameters_to_vector(linear->parameters());
  EXPECT_EQ(vector.sizes(), (std::vector<int64_t>{8}));
  EXPECT_TRUE(equal(vector.narrow(0, 6, 2), linear->bias));
  const Tensor weight = linear->weight;
  utils::vector_to_parameters(arange(8.0), linear->parameters());
  EXPECT_EQ(values(weight), (std::vector<double>{0, 1, 2, 3, 4, 5}));
  EXPECT_TRUE(weight.requires_grad() && weight.is_leaf());
  // The parameters are views of vec, as in PyTorch: no copy.
  Tensor vec = arange(8.0);
  utils::vector_to_parameters(vec, linear->parameters());
  EXPECT_EQ(weight.data_ptr(), vec.data_ptr());
  vec.fill_(2.0);
  EXPECT_EQ(values(linear->bias), (std::vector<double>{2, 2}));
  EXPECT_NE(message_of([&] {
              utils::vector_to_parameters(zeros({7}), linear->parameters());
            }).find("[vector_to_parameters] vec has 7 elements but the 2 parameters hold 8"),
            std::string::npos);
  EXPECT_THROW(utils::vector_to_parameters(zeros({2, 4}), linear->parameters()), ValueError);
  EXPECT_THROW(utils::parameters_to_vector({}), ValueError);
}

TEST(WeightNorm, RebuildsTheWeightFromMagnitudeAndDirection) {
  const Tensor v = tensor_of({3, 4, 0, 0, 0, 5}, {2, 3});
  const Tensor g = norm_except_dim(v, 2, 0);
  EXPECT_EQ(g.sizes(), (std::vector<int64_t>{2, 1}));
  EXPECT_EQ(values(g), (std::vector<double>{5, 5}));
  EXPECT_EQ(values(_weight_norm(v, tensor_of({10, 1}, {2, 1}), 0)),
            (std::vector<double>{6, 8, 0, 0, 0, 1}));
  EXPECT_EQ(norm_except_dim(v, 2, -1).dim(), 0);
  EXPECT_THROW(_weight_norm(v, ones({3, 1}), 0), ValueError);
  EXPECT_THROW(_weight_norm(v.to(kLong), ones({2, 1}), 0), TypeError);
  EXPECT_THROW(norm_except_dim(v, 2, 2), IndexError);
}

TEST(SpectralNorm, PowerIterationFindsTheLargestSingularValue) {
  const Tensor weight = tensor_of({3, 0, 0, 1}, {2, 2});
  Tensor u = tensor_of({0.6, 0.8}, {2});
  Tensor v = tensor_of({0.8, 0.6}, {2});
  Tensor normalized;
  for (int i = 0; i < 30; ++i) normalized = _spectral_norm(weight, u, v, 0, 1, 1e-12, true);
  const std::vector<double> result = values(normalized);
  EXPECT_NEAR(result[0], 1.0, 1e-6);
  EXPECT_NEAR(result[3], 1.0 / 3.0, 1e-6);
  const std::vector<double> u_before = values(u);
  _spectral_norm(weight * 2, u, v, 0, 1, 1e-12, /*do_power_iteration=*/false);
  EXPECT_EQ(values(u), u_before);
  Tensor short_u = ones({3});
  EXPECT_THROW(_spectral_norm(weight, short_u, v, 0, 1, 1e-12, true), ValueError);
}

}  // namespace
}  // namespace ember::nn
