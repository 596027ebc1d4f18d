// Regressions for the crash and wrong-value defects that differential fuzzing against PyTorch
// found (issue 6), through the C++ API: integer division traps, indexing a tensor with an empty
// dim, bitwise ops, numel overflow of views, negative integer powers, scalars that do not fit a
// dtype, and alpha computed in the operands' type. The Python side of each is in
// python/tests/test_regressions_values.py.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "ember/base/error.h"
#include "ember/base/error_testing.h"
#include "ember/ops/ops.h"
#include "tests/test_support.h"

namespace ember {
namespace {

using test_support::contains;
using test_support::error_of;

using Values = std::vector<double>;

using testing::values;

TEST(RegressionsValues, IntegerDivisionByAScalarThatWrapsToZeroRaises) {
  const Tensor x = tensor({5, 7}, kUInt8);
  for (auto op : {+[](const Tensor& a) { return remainder(a, 256); },
                  +[](const Tensor& a) { return floor_divide(a, 256); },
                  +[](const Tensor& a) {
                    return div(a, scalar_tensor(256, std::nullopt, true),
                               std::string_view("trunc"));
                  }}) {
    EXPECT_TRUE(contains(error_of<RuntimeError>([&] { op(x); }),
                         "ZeroDivisionError: integer division by zero"));
  }
  Tensor y = tensor({5, 7}, kInt32);
  EXPECT_TRUE(contains(error_of<RuntimeError>([&] {
                         y.remainder_(tensor({1, 0}, kInt32));
                       }),
                       "[remainder] ZeroDivisionError"));
  EXPECT_EQ(values(y), (Values{5, 7}));
}

TEST(RegressionsValues, MinimumDividedByMinusOneRaises) {
  const Tensor x = tensor({-2147483648.0, 6}, kInt32);
  EXPECT_TRUE(contains(error_of<RuntimeError>([&] { floor_divide(x, -1); }),
                       "[floor_divide] integer overflow: -2147483648 divided by -1 does not fit "
                       "in int32"));
  EXPECT_TRUE(contains(error_of<RuntimeError>([&] {
                         div(x, tensor({-1, 1}, kInt32), std::string_view("trunc"));
                       }),
                       "integer overflow"));
  const Tensor lowest = full({1}, std::numeric_limits<int64_t>::min(), kInt64);
  EXPECT_TRUE(
      contains(error_of<RuntimeError>([&] { floor_divide(lowest, -1); }), "integer overflow"));
  EXPECT_EQ(values(remainder(lowest, -1)), (Values{0}));
  EXPECT_EQ(values(floor_divide(tensor({-127, 7}, kInt8), -1)), (Values{127, -7}));
}

TEST(RegressionsValues, IndexingATensorWithAnEmptyStepSliceDim) {
  const Tensor view = zeros({100, 3, 100}).slice(1, 1, 1, 2);
  ASSERT_EQ(view.shape(), (Shape{100, 0, 100}));
  EXPECT_EQ(index(view, {arange(100)}).shape(), (Shape{100, 0, 100}));
  EXPECT_EQ(index_select(view, 0, arange(100)).shape(), (Shape{100, 0, 100}));
  EXPECT_EQ(index_select(view, 2, arange(7)).shape(), (Shape{100, 0, 7}));
}

TEST(RegressionsValues, IndexPutThroughAnEmptySliceWritesNothing) {
  Tensor x = zeros({3, 2, 3});
  Tensor empty_view = x.slice(1, 1, 1, 2);
  index_put_(empty_view, {tensor({1, 2}, kInt64)}, scalar_tensor(5.0));
  EXPECT_EQ(x.sum().item<double>(), 0.0);
  index_put_(empty_view, {tensor({0, 2}, kInt64)}, zeros({2, 0, 3}), /*accumulate=*/true);
  EXPECT_EQ(x.sum().item<double>(), 0.0);
}

// Fuzz finding 5: index_select of a permuted empty tensor read and wrote out of bounds. Every
// index op on permuted, stepped and expanded layouts with an empty dim (run it under ASan).
TEST(RegressionsValues, IndexOpsOnNonContiguousTensorsWithAnEmptyDim) {
  const std::vector<Tensor> layouts = {
      zeros({3, 4, 0, 5}, kFloat16).permute({3, 0, 2, 1}),
      zeros({6, 8, 0, 10}).slice(0, 0, std::nullopt, 2).slice(1, 0, std::nullopt, 2),
      zeros({5, 3, 6}).permute({2, 1, 0}).slice(1, 2, 2, 2),
      zeros({1, 0, 3}).expand({4, 0, 3}).permute({2, 0, 1}),
  };
  for (const Tensor& x : layouts) {
    ASSERT_EQ(x.numel(), 0);
    for (int64_t d = 0; d < x.dim(); ++d) {
      const int64_t size = x.shape()[d];
      const Tensor positions =
          size > 0 ? tensor({0.0, static_cast<double>(size - 1)}, kInt64) : zeros({0}, kInt64);
      Shape expected = x.shape();
      expected[d] = positions.numel();
      EXPECT_EQ(x.index_select(d, positions).shape(), expected);
      std::vector<std::optional<Tensor>> key(static_cast<size_t>(d), std::nullopt);
      key.push_back(positions);
      EXPECT_EQ(index(x, key).shape(), expected);
      Tensor target = x.clone();
      target.index_put_(key, scalar_tensor(2.0, x.dtype()), /*accumulate=*/true);
      target.index_put_(key, scalar_tensor(1.0, x.dtype()));
      EXPECT_EQ(target.numel(), 0);
    }
    const Tensor mask = ones(x.shape(), kBool);
    EXPECT_EQ(x.masked_select(mask).shape(), (Shape{0}));
    EXPECT_EQ(x.nonzero().shape(), (Shape{0, x.dim()}));
    EXPECT_EQ(masked_fill(x, mask, 2.0).shape(), x.shape());
  }
}

TEST(RegressionsValues, IndexOpsHaveTensorMethods) {
  const Tensor x = tensor({1.0, 0.0, 3.0});
  EXPECT_EQ(values(x.index_select(0, tensor({2, 0}, kInt64))), (Values{3, 1}));
  EXPECT_EQ(values(x.masked_select(gt(x, 0.5))), (Values{1, 3}));
  EXPECT_EQ(values(x.nonzero()), (Values{0, 2}));
  Tensor y = zeros({2});
  y.index_put_({tensor({1, 1}, kInt64)}, scalar_tensor(1.5), /*accumulate=*/true);
  EXPECT_EQ(values(y), (Values{0, 3}));
  EXPECT_EQ(x.broadcast_to({2, 3}).shape(), (Shape{2, 3}));
}

TEST(RegressionsValues, BitwiseOpsOnIntegersAndBools) {
  const Tensor a = tensor({12, 10, -1}, kInt16), b = tensor({10, 6, 7}, kInt16);
  EXPECT_EQ(bitwise_and(a, b).dtype(), kInt16);
  EXPECT_EQ(values(bitwise_and(a, b)), (Values{8, 2, 7}));
  EXPECT_EQ(values(bitwise_or(a, b)), (Values{14, 14, -1}));
  EXPECT_EQ(values(bitwise_xor(a, b)), (Values{6, 12, -8}));
  EXPECT_EQ(values(bitwise_not(a)), (Values{-13, -11, 0}));
  EXPECT_EQ(values(bitwise_left_shift(a, 2)), (Values{48, 40, -4}));
  EXPECT_EQ(values(bitwise_right_shift(a, 1)), (Values{6, 5, -1}));
  EXPECT_EQ(values(bitwise_left_shift(a, 16)), (Values{0, 0, 0}));
  EXPECT_EQ(values(bitwise_right_shift(a, -1)), (Values{0, 0, -1}));
  const Tensor t = tensor({1, 1, 0}, kBool), f = tensor({1, 0, 0}, kBool);
  EXPECT_EQ(bitwise_and(t, f).dtype(), kBool);
  EXPECT_EQ(values(bitwise_xor(t, f)), (Values{0, 1, 0}));
  EXPECT_EQ(values(bitwise_not(t)), (Values{0, 0, 1}));
  EXPECT_EQ(values(a & b), values(bitwise_and(a, b)));
  EXPECT_EQ(values((a | 1) ^ b), (Values{7, 13, -8}));
  EXPECT_EQ(values(~t), (Values{0, 0, 1}));
  Tensor c = tensor({1, 2}, kUInt8);
  c.bitwise_not_();
  EXPECT_EQ(values(c), (Values{254, 253}));
}

TEST(RegressionsValues, BitwiseOpsRejectFloatsAndShiftsRejectBool) {
  EXPECT_TRUE(contains(error_of<RuntimeError>([] { bitwise_and(ones({2}), 1); }),
                       "[bitwise_and] not implemented for 'float32'"));
  EXPECT_TRUE(contains(error_of<RuntimeError>([] { bitwise_not(ones({2}, kFloat64)); }),
                       "[bitwise_not] not implemented for 'float64'"));
  EXPECT_TRUE(contains(
      error_of<RuntimeError>([] { bitwise_left_shift(ones({2}, kBool), ones({2}, kBool)); }),
      "[bitwise_left_shift] not implemented for 'bool'"));
}

TEST(RegressionsValues, ViewsWithAnOverflowingNumelRaise) {
  const int64_t big = int64_t{1} << 32;
  EXPECT_TRUE(contains(error_of<RuntimeError>([&] {
                         ones({1}).expand({big + 1, big - 1});
                       }),
                       "[expand] numel: integer multiplication overflow"));
  EXPECT_TRUE(contains(error_of<RuntimeError>([] {
                         ones({3}).as_strided({int64_t{1} << 62, 4}, {0, 0});
                       }),
                       "[as_strided] numel: integer multiplication overflow"));
  EXPECT_TRUE(
      contains(error_of<RuntimeError>([] { ones({1}).expand({-2}); }), "negative dimension -2"));
  EXPECT_TRUE(contains(error_of<RuntimeError>([] {
                         ones({4}).view({int64_t{1} << 62, 4});
                       }),
                       "is invalid for input of size 4"));
  const int64_t huge = std::numeric_limits<int64_t>::max();
  EXPECT_TRUE(contains(error_of<RuntimeError>([&] { narrow(ones({3}), 0, 1, huge); }),
                       "exceeds dimension size (3)"));
  EXPECT_EQ(values(arange(6).slice(0, 1, std::nullopt, huge)), (Values{1}));
}

TEST(RegressionsValues, IntegerToANegativeIntegerPowerRaises) {
  const Tensor x = tensor({2, 3}, kInt64);
  EXPECT_TRUE(contains(error_of<RuntimeError>([&] { pow(x, -1); }),
                       "[pow] Integers to negative integer powers are not allowed."));
  EXPECT_EQ(values(pow(x, tensor({-1, -1}, kInt64))), (Values{0, 0}));
  EXPECT_EQ(values(pow(x, -1.0))[0], 0.5);
}

TEST(RegressionsValues, ScalarsThatDoNotFitTheDtypeRaise) {
  Tensor x = zeros({3}, kUInt8);
  EXPECT_TRUE(contains(error_of<RuntimeError>([&] { x.fill_(300); }),
                       "[fill_] value cannot be converted to type uint8 without overflow"));
  EXPECT_TRUE(contains(
      error_of<RuntimeError>([] { full({2}, -std::numeric_limits<double>::infinity(), kInt32); }),
      "[full] value cannot be converted to type int32 without overflow"));
  EXPECT_TRUE(contains(error_of<RuntimeError>([&] {
                         masked_fill(x, tensor({1, 0, 1}, kBool), 256);
                       }),
                       "[masked_fill] value cannot be converted"));
  EXPECT_TRUE(contains(error_of<RuntimeError>([] { full({1}, 1e300, kFloat32); }),
                       "float32 without overflow"));
  EXPECT_EQ(values(x.fill_(-1)), (Values{255, 255, 255}));  // wraps from below, as in PyTorch
}

TEST(RegressionsValues, AlphaIsAppliedInTheOperandsType) {
  const Tensor x = zeros({2}, kFloat64);
  const Tensor b = scalar_tensor(0.1, std::nullopt, /*wrapped=*/true);
  EXPECT_EQ(values(add(x, b, 2)), (Values{0.1 * 2, 0.1 * 2}));
  EXPECT_EQ(values(sub(x, b, 3)), (Values{-0.1 * 3, -0.1 * 3}));
  // One rounding, as PyTorch's fused multiply-add: alpha * b alone overflows float32.
  const Tensor big = tensor({3.0e38}, kFloat32);
  EXPECT_EQ(values(add(big, neg(big), 1.5)), (Values{static_cast<double>(-1.5e38f)}));
  EXPECT_EQ(values(sub(big, big, 1.5)), (Values{static_cast<double>(-1.5e38f)}));
  // 3 * 0.1 rounds up to 0.30000000000000004; the fused sum keeps the exact remainder.
  const Tensor low = tensor({-0.30000000000000004}, kFloat64);
  EXPECT_EQ(values(add(low, tensor({0.1}, kFloat64), 3)),
            (Values{std::fma(3.0, 0.1, -0.30000000000000004)}));
  EXPECT_NE(std::fma(3.0, 0.1, -0.30000000000000004), 0.0);
  EXPECT_TRUE(
      contains(error_of<RuntimeError>([] { add(ones({1}, kInt32), ones({1}, kInt32), 2.5); }),
               "[add] For integral input tensors, argument alpha must not be a floating "
               "point number."));
}

}  // namespace
}  // namespace ember
