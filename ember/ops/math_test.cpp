// The elementwise math of issue 8 from C++: the .def rows and composites against hand-derived
// values, the operators libtorch code uses on integer tensors (and the shifts), and bad inputs.
#include "ember/ops/math.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numbers>

#include "ember/base/error.h"
#include "tests/test_support.h"

namespace ember {
namespace {

using testing::message_of;
using testing::values;

constexpr double kInf = std::numeric_limits<double>::infinity();

TEST(Math, TrigonometricAndLogarithmicRows) {
  const Tensor x = tensor({0.5, -0.25});
  EXPECT_NEAR(values(tan(x))[0], std::tan(0.5), 1e-6);
  EXPECT_NEAR(values(atan2(x, tensor({-1.0, -1.0})))[1], std::atan2(-0.25, -1.0), 1e-6);
  EXPECT_EQ(values(log2(tensor({8.0, 0.25}))), (std::vector<double>{3.0, -2.0}));
  EXPECT_EQ(values(exp2(tensor({3, -1}))), (std::vector<double>{8.0, 0.5}));  // int -> float
  EXPECT_EQ(exp2(tensor({3})).dtype(), kFloat32);
  EXPECT_NEAR(values(x.asinh().arcsinh_())[0], std::asinh(std::asinh(0.5)), 1e-6);
}

TEST(Math, CompositesFollowTheirDefinitions) {
  const Tensor x = tensor({-2.5, 0.75}, kFloat64);
  EXPECT_EQ(values(frac(x)), (std::vector<double>{-0.5, 0.75}));
  EXPECT_EQ(values(fix(x)), (std::vector<double>{-2.0, 0.0}));
  EXPECT_EQ(values(lerp(x, tensor({1.5, 0.75}, kFloat64), 0.5)), (std::vector<double>{-0.5, 0.75}));
  EXPECT_EQ(values(x.addcmul(x, x, 2)), (std::vector<double>{-2.5 + 12.5, 0.75 + 1.125}));
  EXPECT_NEAR(deg2rad(tensor({180})).item<double>(), std::numbers::pi, 1e-6);
  EXPECT_EQ(values(nan_to_num(tensor({kInf, -kInf, std::nan("")}, kFloat64), 0.0, 1.0, -1.0)),
            (std::vector<double>{1.0, -1.0, 0.0}));
  EXPECT_EQ(values(signbit(tensor({-0.0, 0.0}))), (std::vector<double>{1, 0}));
  EXPECT_EQ(values(isfinite(tensor({kInf, 1.0}))), (std::vector<double>{0, 1}));
  EXPECT_EQ(float_power(tensor({2}), 3).dtype(), kFloat64);
  EXPECT_NEAR(polygamma(1, tensor({1.0}, kFloat64)).item<double>(),
              std::numbers::pi * std::numbers::pi / 6, 1e-12);
  EXPECT_NEAR(i0(tensor({1.0}, kFloat64)).item<double>(), 1.2660658777520082, 1e-14);
}

TEST(Math, IntegerOperators) {
  const Tensor a = tensor({12, -3});
  const Tensor b = tensor({10, 6});
  EXPECT_EQ(values(a % 5), (std::vector<double>{2, 2}));
  EXPECT_EQ(values(7 % b), (std::vector<double>{7, 1}));
  EXPECT_EQ(values(6 & b), (std::vector<double>{2, 6}));
  EXPECT_EQ(values(1 | a), (std::vector<double>{13, -3}));
  EXPECT_EQ(values(a ^ b), (std::vector<double>{6, -5}));
  EXPECT_EQ(values(a << 2), (std::vector<double>{48, -12}));
  EXPECT_EQ(values(a >> tensor({1, 1})), (std::vector<double>{6, -2}));
  Tensor c = a.clone();
  c &= b;
  c |= 1;
  c ^= tensor({1, 1});
  c <<= 2;
  c >>= tensor({1, 1});
  EXPECT_EQ(values(c), (std::vector<double>{16, 8}));
  EXPECT_EQ(values(gcd(a, b)), (std::vector<double>{2, 3}));
  EXPECT_EQ(values(lcm(a, b)), (std::vector<double>{60, 6}));
}

TEST(Math, BadInputsNameTheOp) {
  EXPECT_NE(message_of([] { gcd(tensor({1.0}), tensor({2.0})); }).find("[gcd]"), std::string::npos);
  EXPECT_NE(message_of([] { frac(tensor({1})); }).find("[frac]"), std::string::npos);
  EXPECT_NE(message_of([] { polygamma(-1, tensor({1.0})); }).find("negative n"), std::string::npos);
  EXPECT_NE(message_of([] { fmod(tensor({1}), 0); }).find("ZeroDivisionError"), std::string::npos);
  Tensor x = tensor({1, 2});
  EXPECT_NE(message_of([&] { x.logit_(); }).find("logit_"), std::string::npos);
  EXPECT_EQ(values(x), (std::vector<double>{1, 2}));
}

}  // namespace
}  // namespace ember
