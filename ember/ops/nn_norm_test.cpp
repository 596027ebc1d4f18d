// layer_norm, batch_norm, group_norm and instance_norm: values against per-row statistics
// computed here, the running-statistics updates, and the errors naming the shapes involved.
#include "ember/ops/nn_norm.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "ember/base/error.h"
#include "ember/ops/ops.h"
#include "tests/test_support.h"

namespace ember {
namespace {

using testing::message_of;
using testing::values;

Tensor counting(IntArrayRef shape) {
  const int64_t n = numel_of(shape.to_shape());
  return (arange(0, n, TensorOptions(kFloat64)) * 0.37).sin().reshape(shape);
}

// Each row of `row_size` elements normalized with its biased variance.
std::vector<double> normalized_rows(const std::vector<double>& x, int64_t row_size, double eps) {
  std::vector<double> result(x.size());
  for (size_t start = 0; start < x.size(); start += row_size) {
    double mean = 0, var = 0;
    for (int64_t j = 0; j < row_size; ++j) mean += x[start + j];
    mean /= row_size;
    for (int64_t j = 0; j < row_size; ++j) var += (x[start + j] - mean) * (x[start + j] - mean);
    var /= row_size;
    for (int64_t j = 0; j < row_size; ++j) {
      result[start + j] = (x[start + j] - mean) / std::sqrt(var + eps);
    }
  }
  return result;
}

void expect_close(const std::vector<double>& actual, const std::vector<double>& expected) {
  ASSERT_EQ(actual.size(), expected.size());
  for (size_t i = 0; i < actual.size(); ++i) EXPECT_NEAR(actual[i], expected[i], 1e-9) << i;
}

TEST(LayerNorm, NormalizesTheLastDimsThenAppliesWeightAndBias) {
  const Tensor x = counting({2, 3, 4});
  const Tensor w = counting({3, 4}) + 2;
  const Tensor b = counting({3, 4}) * 3;
  const std::vector<double> expected = normalized_rows(values(x), 12, 1e-5);
  expect_close(values(layer_norm(x, {3, 4})), expected);
  const std::vector<double> wv = values(w), bv = values(b);
  std::vector<double> affine(expected.size());
  for (size_t i = 0; i < expected.size(); ++i) affine[i] = expected[i] * wv[i % 12] + bv[i % 12];
  expect_close(values(layer_norm(x, {3, 4}, w, b)), affine);
  // A transposed input normalizes its logical rows.
  const Tensor xt = counting({4, 3}).t();
  expect_close(values(layer_norm(xt, {4})), normalized_rows(values(xt.contiguous()), 4, 1e-5));
}

TEST(LayerNorm, ErrorsNameBothShapes) {
  const Tensor x = counting({2, 3});
  const std::string shape_message = message_of([&] { layer_norm(x, {4}); });
  EXPECT_NE(shape_message.find("[layer_norm]"), std::string::npos) << shape_message;
  EXPECT_NE(shape_message.find("[4]"), std::string::npos) << shape_message;
  EXPECT_NE(shape_message.find("[2, 3]"), std::string::npos) << shape_message;
  const std::string weight_message = message_of([&] { layer_norm(x, {3}, counting({2})); });
  EXPECT_NE(weight_message.find("weight of shape [2]"), std::string::npos) << weight_message;
  EXPECT_THROW(layer_norm(arange(6).reshape({2, 3}), {3}), TypeError);
}

TEST(BatchNorm, TrainingUpdatesRunningStatsWithTheUnbiasedVariance) {
  const Tensor x = counting({4, 2, 3});
  Tensor running_mean = zeros({2}, TensorOptions(kFloat64));
  Tensor running_var = ones({2}, TensorOptions(kFloat64));
  const Tensor y = batch_norm(x, std::nullopt, std::nullopt, running_mean, running_var,
                              /*training=*/true, 0.1, 1e-5);
  const Tensor rows = x.transpose(0, 1).reshape({2, 12});
  expect_close(values(y.transpose(0, 1).reshape({2, 12})), normalized_rows(values(rows), 12, 1e-5));
  expect_close(values(running_mean), values(rows.mean({1}) * 0.1));
  expect_close(values(running_var), values(rows.var({1}) * 0.1 + 0.9));
  // Eval mode normalizes with the running statistics.
  const Tensor eval = batch_norm(x, std::nullopt, std::nullopt, running_mean, running_var,
                                 /*training=*/false, 0.1, 1e-5);
  expect_close(values(eval), values((x - running_mean.reshape({1, 2, 1})) /
                                    (running_var.reshape({1, 2, 1}) + 1e-5).sqrt()));
}

TEST(BatchNorm, ChecksChannelsAndValuesPerChannel) {
  const Tensor x = counting({4, 2, 3});
  const std::string message = message_of([&] {
    batch_norm(x, counting({3}), std::nullopt, std::nullopt, std::nullopt, true, 0.1, 1e-5);
  });
  EXPECT_NE(message.find("weight with 2 elements"), std::string::npos) << message;
  EXPECT_NE(message.find("[3]"), std::string::npos) << message;
  EXPECT_THROW(batch_norm(counting({1, 2}), std::nullopt, std::nullopt, std::nullopt, std::nullopt,
                          true, 0.1, 1e-5),
               ValueError);
}

TEST(GroupNorm, NormalizesEachSampleGroup) {
  const Tensor x = counting({2, 4, 3});
  expect_close(values(group_norm(x, 2)), normalized_rows(values(x), 6, 1e-5));
  const std::string message = message_of([&] { group_norm(x, 3); });
  EXPECT_NE(message.find("num_groups=3"), std::string::npos) << message;
  EXPECT_NE(message.find("[2, 4, 3]"), std::string::npos) << message;
}

TEST(InstanceNorm, NormalizesEachSampleChannel) {
  const Tensor x = counting({2, 3, 5});
  expect_close(values(instance_norm(x, std::nullopt, std::nullopt, std::nullopt, std::nullopt, true,
                                    0.1, 1e-5)),
               normalized_rows(values(x), 5, 1e-5));
}

}  // namespace
}  // namespace ember
