// Values and errors of issue 8's tensor-API gaps against PyTorch's behaviour: scatter_reduce_
// over a src that overlaps self and with nothing written on a failed call, scatter_add on bool,
// hypot/logaddexp(2) refusing integer tensors, heaviside refusing mixed dtypes, NaNs counted
// apart by mode and unique, and random_'s three forms.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "ember/base/error.h"
#include "ember/base/error_testing.h"
#include "ember/ops/ops.h"
#include "ember/ops/random.h"
#include "ember/ops/scan.h"
#include "ember/ops/scatter.h"
#include "tests/test_support.h"

namespace ember {
namespace {

using test_support::error_of;
using testing::values;
using Values = std::vector<double>;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

#define EXPECT_MESSAGE(message, text) \
  EXPECT_NE((message).find(text), std::string::npos) << (message)

TEST(ApiGaps, ScatterReduceInPlaceReadsAnOverlappingSrcFirst) {
  for (std::string_view reduce : {"sum", "prod", "mean", "amax", "amin"}) {
    Tensor base = arange(1, 9, 1, TensorOptions(kFloat64)).reshape({2, 4});
    const Tensor before = base.clone();
    const Tensor index = tensor(std::vector<int64_t>{0, 0, 1, 0}).reshape({2, 2});
    const Tensor expected =
        scatter_reduce(before.narrow(1, 0, 2), 1, index, before.narrow(1, 1, 2), reduce);
    Tensor self = base.narrow(1, 0, 2);
    self.scatter_reduce_(1, index, base.narrow(1, 1, 2), reduce);
    EXPECT_EQ(values(base.narrow(1, 0, 2)), values(expected)) << reduce;
    EXPECT_EQ(values(base.narrow(1, 2, 2)), values(before.narrow(1, 2, 2))) << reduce;
  }
}

TEST(ApiGaps, ScatterReduceInPlaceFailuresWriteNothing) {
  Tensor x = arange(0, 6, 1, TensorOptions(kFloat32)).reshape({2, 3});
  const Tensor before = x.clone();
  const Tensor index = tensor(std::vector<int64_t>{0, 1, 2}).reshape({1, 3});
  const Tensor src = ones({1, 3});
  EXPECT_MESSAGE(
      error_of<IndexError>([&] {
        x.scatter_reduce_(1, tensor(std::vector<int64_t>{0, 1, 7}).reshape({1, 3}), src, "prod");
      }),
      "out of bounds");
  EXPECT_MESSAGE(error_of<RuntimeError>([&] { x.scatter_reduce_(1, index, src, "max"); }),
                 "reduce argument must be either sum");
  EXPECT_MESSAGE(
      error_of<RuntimeError>([&] { x.scatter_reduce_(1, index, src.to(kFloat64), "amax"); }),
      "Expected self.dtype to be equal to src.dtype");
  EXPECT_EQ(values(x), values(before));
}

TEST(ApiGaps, ScatterAddOnBoolIsALogicalOr) {
  Tensor x = zeros({3}, kBool);
  const Tensor index = tensor(std::vector<int64_t>{0, 0, 1});
  const Tensor src = tensor(std::vector<bool>{true, true, false});
  EXPECT_EQ(values(x.scatter_add(0, index, src)), (Values{1, 0, 0}));
  x.scatter_add_(0, index, src);
  EXPECT_EQ(values(x), (Values{1, 0, 0}));
}

TEST(ApiGaps, FloatOnlyBinaryOpsRefuseIntegerTensors) {
  const Tensor longs = ones({2}, kInt64);
  EXPECT_MESSAGE(error_of<RuntimeError>([&] { hypot(longs, longs); }),
                 "not implemented for 'int64'");
  EXPECT_MESSAGE(error_of<RuntimeError>([&] { logaddexp(longs, longs); }), "[logaddexp]");
  EXPECT_MESSAGE(error_of<RuntimeError>([&] { logaddexp2(ones({2}, kBool), ones({2}, kBool)); }),
                 "not implemented for 'bool'");
  EXPECT_EQ(hypot(longs, ones({2})).dtype(), kFloat32);
}

TEST(ApiGaps, HeavisideRefusesMixedDtypes) {
  const Tensor x = tensor(std::vector<double>{-1, 0, 2});
  EXPECT_MESSAGE(error_of<RuntimeError>([&] { heaviside(x, ones({1}, kInt64)); }),
                 "heaviside is not yet implemented for tensors with different dtypes");
  EXPECT_MESSAGE(error_of<RuntimeError>([&] { heaviside(x.to(kFloat32), ones({1}, kFloat64)); }),
                 "different dtypes");
  EXPECT_EQ(values(heaviside(x, full({1}, 0.5, kFloat64))), (Values{0, 0.5, 1}));
}

TEST(ApiGaps, ModeAndUniqueCountEachNaNApart) {
  for (ScalarType dtype : {kFloat32, kFloat64, kFloat16, kBFloat16}) {
    const Tensor x = tensor(std::vector<double>{kNaN, kNaN, kNaN, 1, 1}).to(dtype);
    EXPECT_EQ(values(std::get<0>(mode(x, 0))), Values{1});
    EXPECT_TRUE(std::isnan(values(std::get<0>(mode(full({2}, kNaN, dtype), 0)))[0]));
  }
  EXPECT_EQ(values(std::get<0>(mode(tensor(std::vector<uint8_t>{255, 255, 3}), 0))), Values{255});
  const auto [unique_values, inverse, counts] =
      _unique2(tensor(std::vector<double>{kNaN, 1, kNaN, 2, 1, kNaN}), true, true, true);
  EXPECT_EQ(unique_values.numel(), 5);
  EXPECT_EQ(values(inverse), (Values{2, 0, 3, 1, 0, 4}));
  EXPECT_EQ(values(counts), (Values{2, 1, 1, 1, 1}));
}

TEST(ApiGaps, RandomFormsFollowLibtorch) {
  Tensor t = empty({20000});
  t.random_(2);  // random_(to)
  EXPECT_EQ(amin(t).item<double>(), 0);
  EXPECT_EQ(amax(t).item<double>(), 1);
  t.random_(2, 5);  // random_(from, to)
  EXPECT_EQ(amin(t).item<double>(), 2);
  EXPECT_EQ(amax(t).item<double>(), 4);
  t.random_(2, std::optional<int64_t>());  // [from, 2^24]
  EXPECT_GE(amin(t).item<double>(), 2);
  EXPECT_GT(amax(t).item<double>(), 1000);
  EXPECT_LE(amax(t).item<double>(), 1 << 24);
  EXPECT_MESSAGE(error_of<RuntimeError>([&] { t.random_(5, 2); }),
                 "random_ expects 'from' to be less than 'to'");
}

}  // namespace
}  // namespace ember
