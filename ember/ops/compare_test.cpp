// isclose / allclose / equal against hand-derived values: tolerances, NaN and infinity, integer
// inputs (compared in the default float type), broadcasting, and the bad-input errors.
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

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNan = std::numeric_limits<double>::quiet_NaN();

TEST(Compare, IscloseUsesRelativeAndAbsoluteTolerance) {
  Tensor a = tensor({1.0, 100.0, 0.0, 1.0});
  Tensor b = tensor({1.0 + 1e-6, 100.001, 1e-9, 1.1});
  Tensor close = isclose(a, b);
  EXPECT_EQ(close.dtype(), kBool);
  EXPECT_EQ(values(close), (std::vector<double>{1, 1, 1, 0}));
  EXPECT_EQ(values(isclose(a, b, /*rtol=*/0.2)), (std::vector<double>{1, 1, 1, 1}));
  EXPECT_EQ(values(a.isclose(b, 0, 0)), (std::vector<double>{0, 0, 0, 0}));
}

TEST(Compare, NanAndInfinity) {
  Tensor a = tensor({kNan, kInf, -kInf, kInf, 1.0});
  Tensor b = tensor({kNan, kInf, kInf, 1e30, kInf});
  EXPECT_EQ(values(isclose(a, b)), (std::vector<double>{0, 1, 0, 0, 0}));
  EXPECT_EQ(values(isclose(a, b, 1e-5, 1e-8, /*equal_nan=*/true)),
            (std::vector<double>{1, 1, 0, 0, 0}));
}

TEST(Compare, IntegersCompareInTheDefaultFloatType) {
  // 100 - 200 would wrap in uint8; PyTorch computes the error in float.
  Tensor a = tensor({100}, kUInt8);
  Tensor b = tensor({200}, kUInt8);
  EXPECT_FALSE(allclose(a, b));
  EXPECT_TRUE(allclose(a, b, 0, 100));
  Tensor low = tensor({-4611686018427387904.0}, kInt64);
  Tensor high = tensor({4611686018427387904.0}, kInt64);
  EXPECT_FALSE(allclose(low, high));
}

TEST(Compare, BroadcastsAndReducesToOneBool) {
  Tensor a = ones({2, 3});
  EXPECT_TRUE(allclose(a, ones({3})));
  EXPECT_TRUE(a.allclose(ones({1})));
  EXPECT_EQ(isclose(a, ones({3})).shape(), Shape({2, 3}));
}

TEST(Compare, EqualNeedsSameShapeAndValues) {
  EXPECT_TRUE(equal(tensor({1, 2}), tensor({1, 2})));
  EXPECT_FALSE(equal(tensor({1, 2}), tensor({1, 3})));
  EXPECT_FALSE(equal(ones({2, 3}), ones({3})));  // broadcastable is not equal
  EXPECT_TRUE(equal(tensor({1, 2}), tensor({1, 2}, kInt64)));
  EXPECT_FALSE(equal(tensor({kNan}), tensor({kNan})));
  EXPECT_TRUE(zeros({0, 2}).equal(zeros({0, 2})));
}

TEST(Compare, BadInputErrors) {
  EXPECT_NE(message_of([] { isclose(ones({2}), ones({2}, kFloat64)); })
                .find("[isclose] expected input and other to have the same dtype; got float32 "
                      "and float64"),
            std::string::npos);
  EXPECT_NE(message_of([] {
              isclose(ones({2}), ones({2}), -1);
            }).find("rtol must be greater than or equal to zero, but got -1"),
            std::string::npos);
  EXPECT_NE(message_of([] {
              isclose(ones({2}), ones({2}), 0, -1);
            }).find("atol must be greater than or equal to zero, but got -1"),
            std::string::npos);
  EXPECT_THROW(allclose(ones({2, 3}), ones({2})), RuntimeError);
}

}  // namespace
}  // namespace ember
