// Elementwise ops against hand-derived values: promotion, broadcasting, layouts, in-place rules
// and the bad-input errors (B1, B4, B13, B16, B17) with their messages.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "ember/base/error.h"
#include "ember/ops/ops.h"
#include "tests/test_support.h"

namespace ember {
namespace {

using testing::message_of;
using testing::values;

TEST(Elementwise, AddBroadcastsAndPromotes) {
  Tensor a = tensor({{1.0, 2.0, 3.0}, {4.0, 5.0, 6.0}});
  Tensor b = tensor({10, 20, 30}, kInt64);
  Tensor c = a + b;
  EXPECT_EQ(c.dtype(), kFloat32);
  EXPECT_EQ(c.shape(), Shape({2, 3}));
  EXPECT_EQ(values(c), (std::vector<double>{11, 22, 33, 14, 25, 36}));
}

TEST(Elementwise, WeakScalarsKeepTensorType) {
  Tensor half = ones({2}, kFloat16);
  EXPECT_EQ((half * 2.0).dtype(), kFloat16);
  Tensor ints = ones({2}, kInt32);
  EXPECT_EQ((ints + 1).dtype(), kInt32);
  EXPECT_EQ((ints * 2.5).dtype(), kFloat32);
  EXPECT_EQ(values(ints * 2.5), (std::vector<double>{2.5, 2.5}));
}

TEST(Elementwise, NonContiguousInputs) {
  Tensor base = arange(0, 12, 1, TensorOptions(kFloat32)).reshape({3, 4});
  Tensor transposed = base.t();  // (4, 3), strides (1, 4)
  Tensor doubled = transposed * 2;
  EXPECT_EQ(values(doubled), (std::vector<double>{0, 8, 16, 2, 10, 18, 4, 12, 20, 6, 14, 22}));
  Tensor stepped = base.slice(1, 0, std::nullopt, 2);  // columns 0 and 2
  EXPECT_EQ(values(stepped.exp().log().round()), (std::vector<double>{0, 2, 4, 6, 8, 10}));
}

TEST(Elementwise, EmptyAndZeroDim) {
  Tensor empty_rows = zeros({0, 3});
  EXPECT_EQ((empty_rows + 1).shape(), Shape({0, 3}));
  Tensor scalar = full({}, 3.0);
  EXPECT_EQ((scalar * scalar).item<double>(), 9.0);
}

TEST(Elementwise, UnaryMathMatchesLibm) {
  Tensor x = tensor({-2.5, -0.5, 0.0, 0.5, 3.0}, kFloat64);
  const std::vector<double> input = values(x);
  const std::vector<double> tanh_values = values(x.tanh());
  const std::vector<double> sigmoid_values = values(x.sigmoid());
  for (size_t i = 0; i < input.size(); ++i) {
    EXPECT_DOUBLE_EQ(tanh_values[i], std::tanh(input[i]));
    EXPECT_DOUBLE_EQ(sigmoid_values[i], 1.0 / (1.0 + std::exp(-input[i])));
  }
  EXPECT_EQ(values(x.relu()), (std::vector<double>{0, 0, 0, 0.5, 3.0}));
  EXPECT_EQ(values(x.sign()), (std::vector<double>{-1, -1, 0, 1, 1}));
  EXPECT_EQ(values(x.round()), (std::vector<double>{-2, -0, 0, 0, 3}));  // half to even
}

TEST(Elementwise, IntegerDivisionFollowsPython) {
  Tensor a = tensor({7, -7, 7, -7}, kInt64);
  Tensor b = tensor({2, 2, -2, -2}, kInt64);
  EXPECT_EQ(values(floor_divide(a, b)), (std::vector<double>{3, -4, -4, 3}));
  EXPECT_EQ(values(remainder(a, b)), (std::vector<double>{1, 1, -1, -1}));
  EXPECT_EQ(values(div(a, b, "trunc")), (std::vector<double>{3, -3, -3, 3}));
  EXPECT_EQ(div(a, b).dtype(), kFloat32);
  Tensor minimum_int = full({1}, std::numeric_limits<int64_t>::min(), kInt64);
  // The quotient does not fit int64: an error, never a trap or a silent wrap.
  EXPECT_NE(message_of([&] { floor_divide(minimum_int, -1); }).find("integer overflow"),
            std::string::npos);
  EXPECT_NE(message_of([&] { floor_divide(a, zeros({4}, kInt64)); }).find("ZeroDivisionError"),
            std::string::npos);
}

TEST(Elementwise, ClampAndWhere) {
  Tensor x = tensor({-1.0, 0.5, 2.0});
  EXPECT_EQ(values(x.clamp(0, 1)), (std::vector<double>{0, 0.5, 1}));
  EXPECT_EQ(values(x.clamp(Scalar(0))), (std::vector<double>{0, 0.5, 2}));
  Tensor chosen = where(x > 0, x, zeros_like(x));
  EXPECT_EQ(values(chosen), (std::vector<double>{0, 0.5, 2}));
  Tensor masked = x.masked_fill(x < 0, 7);
  EXPECT_EQ(values(masked), (std::vector<double>{7, 0.5, 2}));
}

TEST(Elementwise, InPlaceBumpsVersionAndKeepsIdentity) {
  Tensor x = zeros({3});
  const uint32_t before = x.version();
  Tensor& same = x.add_(1);
  EXPECT_TRUE(same.is_same(x));
  EXPECT_GT(x.version(), before);
  EXPECT_EQ(values(x), (std::vector<double>{1, 1, 1}));
}

TEST(ElementwiseErrors, BroadcastMismatchNamesBothSizes) {  // B1
  const std::string message = message_of([] { zeros({2, 3}) + zeros({2, 4}); });
  EXPECT_NE(message.find("[add]"), std::string::npos) << message;
  EXPECT_NE(message.find("The size of tensor a (3) must match the size of tensor b (4)"),
            std::string::npos)
      << message;
}

TEST(ElementwiseErrors, InPlaceCastRule) {  // B4
  Tensor integers = zeros({2}, kInt64);
  const std::string message = message_of([&] { integers.add_(1.5); });
  EXPECT_NE(message.find("result type float32 can't be cast to the desired output type int64"),
            std::string::npos)
      << message;
  Tensor floats = zeros({2});
  EXPECT_NO_THROW(floats.add_(ones({2}, kInt64)));
}

TEST(ElementwiseErrors, InternalOverlap) {  // B16
  Tensor x = zeros({1});
  Tensor expanded = x.expand({3});
  const std::string message = message_of([&] { expanded.cos_(); });
  EXPECT_NE(message.find("more than one element of the written-to tensor"), std::string::npos);
}

TEST(ElementwiseErrors, PartialOverlap) {  // B17
  Tensor x = arange(0, 4, 1, TensorOptions(kFloat32)).reshape({2, 2});
  const std::string message = message_of([&] { x.add_(x.t()); });
  EXPECT_NE(message.find("some elements of the input tensor and the written-to tensor"),
            std::string::npos)
      << message;
  EXPECT_NO_THROW(x.add_(x));  // exact aliasing is fine
  EXPECT_EQ(values(x), (std::vector<double>{0, 2, 4, 6}));
}

TEST(ElementwiseErrors, BoolSubtractionAndShapeOfInPlace) {
  const std::string message = message_of([] { ones({2}, kBool) - ones({2}, kBool); });
  EXPECT_NE(message.find("[sub]"), std::string::npos);
  Tensor small = zeros({3});
  EXPECT_NE(message_of([&] {
              small.add_(zeros({2, 3}));
            }).find("doesn't match the broadcast shape"),
            std::string::npos);
}

}  // namespace
}  // namespace ember
