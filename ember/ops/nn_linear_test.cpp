// linear and bilinear: values against explicit sums for every input rank and bias form, and the
// errors naming both shapes.
#include "ember/ops/nn_linear.h"

#include <gtest/gtest.h>

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
  return arange(0, numel_of(shape.to_shape()), TensorOptions(kFloat64)).reshape(shape) * 0.25 - 1;
}

// sum_i x[..., i] w[o, i] + b[o], element by element.
std::vector<double> reference_linear(const Tensor& x, const Tensor& w, const Tensor& b) {
  const std::vector<double> xv = values(x), wv = values(w);
  const std::vector<double> bv = b.defined() ? values(b) : std::vector<double>{};
  const int64_t in = w.size(1), out = w.size(0), rows = x.numel() / in;
  std::vector<double> result;
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t o = 0; o < out; ++o) {
      double sum = bv.empty() ? 0.0 : bv[bv.size() == 1 ? 0 : o];
      for (int64_t i = 0; i < in; ++i) sum += xv[r * in + i] * wv[o * in + i];
      result.push_back(sum);
    }
  }
  return result;
}

void expect_close(const std::vector<double>& actual, const std::vector<double>& expected) {
  ASSERT_EQ(actual.size(), expected.size());
  for (size_t i = 0; i < actual.size(); ++i) EXPECT_NEAR(actual[i], expected[i], 1e-12) << i;
}

TEST(Linear, MatchesTheSumForEveryInputRank) {
  const Tensor w = counting({4, 3});
  const Tensor b = counting({4});
  for (const std::vector<int64_t>& shape :
       {std::vector<int64_t>{3}, std::vector<int64_t>{5, 3}, std::vector<int64_t>{2, 5, 3},
        std::vector<int64_t>{0, 3}}) {
    const Tensor x = counting(shape).sin();
    std::vector<int64_t> expected_shape = shape;
    expected_shape.back() = 4;
    EXPECT_EQ(linear(x, w, b).sizes(), expected_shape);
    expect_close(values(linear(x, w, b)), reference_linear(x, w, b));
    expect_close(values(linear(x, w)), reference_linear(x, w, Tensor()));
    expect_close(values(linear(x, w, Tensor())), reference_linear(x, w, Tensor()));
  }
  // A non-contiguous input, a 0-d bias and a 1-D weight (one output feature, dropped).
  const Tensor x = counting({3, 5}).t();
  expect_close(values(linear(x, w, b)), reference_linear(x.contiguous(), w, b));
  const Tensor scalar_bias = full({}, 0.5, kFloat64);
  expect_close(values(linear(x, w, scalar_bias)), reference_linear(x.contiguous(), w, scalar_bias));
  EXPECT_EQ(linear(x, counting({3})).sizes(), std::vector<int64_t>{5});
  expect_close(values(linear(x, counting({3}))),
               reference_linear(x.contiguous(), counting({1, 3}), Tensor()));
}

TEST(Linear, BadInputsNameBothShapes) {
  const std::string features = message_of([] { linear(ones({2, 5}), ones({4, 3})); });
  EXPECT_NE(features.find("[linear]"), std::string::npos) << features;
  EXPECT_NE(features.find("[2, 5]"), std::string::npos) << features;
  EXPECT_NE(features.find("[4, 3]"), std::string::npos) << features;
  const std::string bias = message_of([] { linear(ones({2, 3}), ones({4, 3}), ones({5})); });
  EXPECT_NE(bias.find("bias of shape [5]"), std::string::npos) << bias;
  EXPECT_NE(bias.find("[2, 4]"), std::string::npos) << bias;
  const std::string dtype = message_of([] { linear(ones({2, 3}), ones({4, 3}, kFloat64)); });
  EXPECT_NE(dtype.find("float32 and float64"), std::string::npos) << dtype;
  EXPECT_THROW(linear(ones({}), ones({4, 3})), RuntimeError);
  EXPECT_THROW(linear(ones({2, 3}), ones({4, 3, 1})), RuntimeError);
}

TEST(Bilinear, MatchesTheDoubleSum) {
  const Tensor x1 = counting({2, 3, 4}).sin(), x2 = counting({2, 3, 5}).cos();
  const Tensor w = counting({6, 4, 5}) * 0.1, b = counting({6});
  const Tensor y = bilinear(x1, x2, w, b);
  EXPECT_EQ(y.sizes(), (std::vector<int64_t>{2, 3, 6}));
  const std::vector<double> v1 = values(x1), v2 = values(x2), wv = values(w), bv = values(b);
  std::vector<double> expected;
  for (int64_t r = 0; r < 6; ++r) {
    for (int64_t o = 0; o < 6; ++o) {
      double sum = bv[o];
      for (int64_t i = 0; i < 4; ++i) {
        for (int64_t j = 0; j < 5; ++j)
          sum += v1[r * 4 + i] * wv[(o * 4 + i) * 5 + j] * v2[r * 5 + j];
      }
      expected.push_back(sum);
    }
  }
  expect_close(values(y), expected);
  expect_close(values(bilinear(x1, x2, w) + b), expected);
  EXPECT_EQ(bilinear(x1.select(0, 0).select(0, 0), x2.select(0, 0).select(0, 0), w).sizes(),
            std::vector<int64_t>{6});
  EXPECT_EQ(bilinear(ones({0, 4}, kFloat64), ones({0, 5}, kFloat64), w).sizes(),
            (std::vector<int64_t>{0, 6}));
}

TEST(Bilinear, BadInputsNameTheShapes) {
  const Tensor w = ones({6, 4, 5});
  const std::string batch = message_of([&] { bilinear(ones({2, 4}), ones({3, 5}), w); });
  EXPECT_NE(batch.find("batch dimensions do not match"), std::string::npos) << batch;
  EXPECT_NE(batch.find("[2, 4] and [3, 5]"), std::string::npos) << batch;
  const std::string features = message_of([&] { bilinear(ones({2, 3}), ones({2, 5}), w); });
  EXPECT_NE(features.find("[2, 3]"), std::string::npos) << features;
  EXPECT_NE(features.find("[6, 4, 5]"), std::string::npos) << features;
  const std::string bias = message_of([&] { bilinear(ones({2, 4}), ones({2, 5}), w, ones({4})); });
  EXPECT_NE(bias.find("bias of shape [4]"), std::string::npos) << bias;
  EXPECT_THROW(bilinear(ones({2, 4}), ones({5}), w), RuntimeError);
  EXPECT_THROW(bilinear(ones({2, 4}), ones({2, 5}), ones({6, 20})), RuntimeError);
  EXPECT_THROW(bilinear(ones({2, 4}), ones({2, 5}, kFloat64), w), RuntimeError);
}

}  // namespace
}  // namespace ember
