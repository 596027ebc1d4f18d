// to_string against the exact text PyTorch's repr gives for the same tensor: notation choice,
// column widths, nesting, summaries, wrapping, and the dtype/size suffixes.
#include <cmath>
#include <cstdint>
#include <limits>
#include <sstream>
#include <vector>

#include <gtest/gtest.h>

#include "ember/base/error.h"
#include "ember/ops/ops.h"

namespace ember {
namespace {

constexpr double kNan = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

Tensor ints(const std::vector<int64_t>& values, ScalarType dtype = kInt64) {
  return from_blob_copy(values.data(), {static_cast<int64_t>(values.size())}, kInt64).to(dtype);
}

// Every test starts and ends with PyTorch's defaults, so one test's options never leak.
class PrintTest : public ::testing::Test {
 protected:
  void SetUp() override { set_printoptions(PrintOptions{}); }
  void TearDown() override {
    set_printoptions(PrintOptions{});
    set_default_dtype(kFloat32);
  }
};

TEST_F(PrintTest, IntegerValuedFloatsGetATrailingPoint) {
  EXPECT_EQ(to_string(tensor({1., 2., 3.})), "tensor([1., 2., 3.])");
  EXPECT_EQ(to_string(tensor({-1., 2.})), "tensor([-1.,  2.])");
  EXPECT_EQ(to_string(tensor({1., 1000.})), "tensor([   1., 1000.])");
  EXPECT_EQ(to_string(tensor({0., 0.})), "tensor([0., 0.])");
}

TEST_F(PrintTest, FractionalFloatsUseFourDecimals) {
  EXPECT_EQ(to_string(tensor({1.5, 2.0})), "tensor([1.5000, 2.0000])");
  EXPECT_EQ(to_string(tensor({-1.5, 2.25})), "tensor([-1.5000,  2.2500])");
  EXPECT_EQ(to_string(tensor({0.1})), "tensor([0.1000])");
  EXPECT_EQ(to_string(tensor({0.0001, 0.05})), "tensor([1.0000e-04, 5.0000e-02])");
}

TEST_F(PrintTest, ScientificNotation) {
  // A small minimum, a wide ratio or a huge maximum each switch notation.
  EXPECT_EQ(to_string(tensor({1e-5, 1e10})), "tensor([1.0000e-05, 1.0000e+10])");
  EXPECT_EQ(to_string(tensor({-1e-5, 1e10})), "tensor([-1.0000e-05,  1.0000e+10])");
  EXPECT_EQ(to_string(tensor({0.00001, 0.5})), "tensor([1.0000e-05, 5.0000e-01])");
  EXPECT_EQ(to_string(tensor({0., 1e-5})), "tensor([0.0000e+00, 1.0000e-05])");
  // Integer-valued floats go scientific on ratio or size only.
  EXPECT_EQ(to_string(tensor({1., 1001.})), "tensor([1.0000e+00, 1.0010e+03])");
  EXPECT_EQ(to_string(tensor({1., 1e10})), "tensor([1.0000e+00, 1.0000e+10])");
  EXPECT_EQ(to_string(tensor({2e8})), "tensor([2.0000e+08])");
  EXPECT_EQ(to_string(tensor({1e8})), "tensor([100000000.])");
}

TEST_F(PrintTest, NonFiniteValues) {
  EXPECT_EQ(to_string(tensor({kNan, kInf, -kInf})), "tensor([nan, inf, -inf])");
  EXPECT_EQ(to_string(tensor({-kNan})), "tensor([nan])");
  // Non-finite values never widen the columns, but are padded to them.
  EXPECT_EQ(to_string(tensor({1.5, kNan})), "tensor([1.5000,    nan])");
  EXPECT_EQ(to_string(tensor({1., kNan})), "tensor([1., nan])");
  EXPECT_EQ(to_string(tensor({1e-5, kNan, -kInf})), "tensor([1.0000e-05,        nan,       -inf])");
}

TEST_F(PrintTest, NegativeZero) {
  // Zeros do not count towards the width, so "-0." may stick out of its column.
  EXPECT_EQ(to_string(tensor({-0.0, 1.0})), "tensor([-0., 1.])");
  EXPECT_EQ(to_string(tensor({-0.0, 1.5})), "tensor([-0.0000, 1.5000])");
  EXPECT_EQ(to_string(tensor({-0.0})), "tensor([-0.])");
}

TEST_F(PrintTest, ZeroDim) {
  EXPECT_EQ(to_string(scalar_tensor(3.5, kFloat32)), "tensor(3.5000)");
  EXPECT_EQ(to_string(scalar_tensor(3.0, kFloat32)), "tensor(3.)");
  EXPECT_EQ(to_string(scalar_tensor(7, kInt64)), "tensor(7)");
  EXPECT_EQ(to_string(scalar_tensor(true, kBool)), "tensor(True)");
  EXPECT_EQ(to_string(scalar_tensor(3.5, kFloat64)), "tensor(3.5000, dtype=ember.float64)");
  EXPECT_EQ(to_string(scalar_tensor(-2, kInt32)), "tensor(-2, dtype=ember.int32)");
}

TEST_F(PrintTest, IntegersAndBools) {
  EXPECT_EQ(to_string(ints({1, 2, 3})), "tensor([1, 2, 3])");
  EXPECT_EQ(to_string(ints({-1, 10})), "tensor([-1, 10])");
  EXPECT_EQ(to_string(ints({-1, 100})), "tensor([ -1, 100])");
  EXPECT_EQ(to_string(ints({1, 0}, kBool)), "tensor([ True, False])");
  EXPECT_EQ(to_string(ints({1, 1}, kBool)), "tensor([True, True])");
}

TEST_F(PrintTest, DtypeSuffixes) {
  EXPECT_EQ(to_string(ints({1, 2}, kInt32)), "tensor([1, 2], dtype=ember.int32)");
  EXPECT_EQ(to_string(ints({1, 255}, kUInt8)), "tensor([  1, 255], dtype=ember.uint8)");
  EXPECT_EQ(to_string(ints({-128, 127}, kInt8)), "tensor([-128,  127], dtype=ember.int8)");
  EXPECT_EQ(to_string(ints({-3, 300}, kInt16)), "tensor([ -3, 300], dtype=ember.int16)");
  EXPECT_EQ(to_string(tensor({1., 2.}, kFloat64)), "tensor([1., 2.], dtype=ember.float64)");
  EXPECT_EQ(to_string(tensor({1.5, 2.}, kFloat16)),
            "tensor([1.5000, 2.0000], dtype=ember.float16)");
  EXPECT_EQ(to_string(tensor({0.1}, kFloat16)), "tensor([0.1000], dtype=ember.float16)");
  EXPECT_EQ(to_string(tensor({1., 2.}, kBFloat16)), "tensor([1., 2.], dtype=ember.bfloat16)");
}

TEST_F(PrintTest, SuffixFollowsTheDefaultDtype) {
  set_default_dtype(kFloat64);
  EXPECT_EQ(to_string(tensor({1., 2.})), "tensor([1., 2.])");
  EXPECT_EQ(to_string(tensor({1., 2.}, kFloat32)), "tensor([1., 2.], dtype=ember.float32)");
  EXPECT_EQ(to_string(ints({1})), "tensor([1])");
}

TEST_F(PrintTest, Matrices) {
  EXPECT_EQ(to_string(arange(4).reshape({2, 2})), "tensor([[0, 1],\n        [2, 3]])");
  EXPECT_EQ(to_string(tensor({{1.5, 2.}, {3., -4.25}})),
            "tensor([[ 1.5000,  2.0000],\n"
            "        [ 3.0000, -4.2500]])");
  EXPECT_EQ(to_string(ints({1, 0, 0, 1}, kBool).reshape({2, 2})),
            "tensor([[ True, False],\n"
            "        [False,  True]])");
}

TEST_F(PrintTest, ThreeDimsLeaveBlankLinesBetweenMatrices) {
  EXPECT_EQ(to_string(arange(8).reshape({2, 2, 2})),
            "tensor([[[0, 1],\n"
            "         [2, 3]],\n"
            "\n"
            "        [[4, 5],\n"
            "         [6, 7]]])");
  EXPECT_EQ(to_string(arange(4).reshape({1, 2, 1, 2})),
            "tensor([[[[0, 1]],\n"
            "\n"
            "         [[2, 3]]]])");
}

TEST_F(PrintTest, EmptyTensors) {
  EXPECT_EQ(to_string(empty({0})), "tensor([])");
  EXPECT_EQ(to_string(zeros({0, 3})), "tensor([], size=(0, 3))");
  EXPECT_EQ(to_string(empty({0}, kInt32)), "tensor([], dtype=ember.int32)");
  // With no elements even int64 and bool must be named.
  EXPECT_EQ(to_string(empty({0}, kInt64)), "tensor([], dtype=ember.int64)");
  EXPECT_EQ(to_string(empty({0}, kBool)), "tensor([], dtype=ember.bool)");
  EXPECT_EQ(to_string(empty({2, 0}, kInt32)), "tensor([], size=(2, 0), dtype=ember.int32)");
}

TEST_F(PrintTest, SummarizesPastTheThreshold) {
  EXPECT_EQ(to_string(arange(2000)), "tensor([   0,    1,    2,  ..., 1997, 1998, 1999])");
  EXPECT_EQ(to_string(ones({2000})), "tensor([1., 1., 1.,  ..., 1., 1., 1.])");
  EXPECT_EQ(to_string(arange(10000).reshape({100, 100})),
            "tensor([[   0,    1,    2,  ...,   97,   98,   99],\n"
            "        [ 100,  101,  102,  ...,  197,  198,  199],\n"
            "        [ 200,  201,  202,  ...,  297,  298,  299],\n"
            "        ...,\n"
            "        [9700, 9701, 9702,  ..., 9797, 9798, 9799],\n"
            "        [9800, 9801, 9802,  ..., 9897, 9898, 9899],\n"
            "        [9900, 9901, 9902,  ..., 9997, 9998, 9999]])");
  // 1000 elements is at the threshold, not past it.
  const std::string full = to_string(arange(1000));
  EXPECT_EQ(full.find("..."), std::string::npos);
  // Only the shown elements size the columns: 1e-5 is hidden, so no scientific notation.
  Tensor x = ones({2000});
  x.narrow(0, 1000, 1).fill_(1e-5);
  EXPECT_EQ(to_string(x), "tensor([1., 1., 1.,  ..., 1., 1., 1.])");
}

TEST_F(PrintTest, EdgeItemsAndThresholdOptions) {
  set_printoptions({.precision = 4, .threshold = 5, .edgeitems = 1, .linewidth = 80});
  EXPECT_EQ(to_string(arange(27).reshape({3, 3, 3})),
            "tensor([[[ 0,  ...,  2],\n"
            "         ...,\n"
            "         [ 6,  ...,  8]],\n"
            "\n"
            "        ...,\n"
            "\n"
            "        [[18,  ..., 20],\n"
            "         ...,\n"
            "         [24,  ..., 26]]])");
  // Summarized, but no dim is longer than 2 * edgeitems: everything shows.
  EXPECT_EQ(to_string(arange(8).reshape({2, 2, 2})),
            "tensor([[[0, 1],\n"
            "         [2, 3]],\n"
            "\n"
            "        [[4, 5],\n"
            "         [6, 7]]])");
  // No edge items: only "..." and the size remain.
  set_printoptions({.precision = 4, .threshold = 5, .edgeitems = 0, .linewidth = 80});
  EXPECT_EQ(to_string(arange(10)), "tensor([...], size=(10,))");
  EXPECT_EQ(to_string(arange(12).reshape({3, 4})), "tensor([...], size=(3, 4))");
  EXPECT_EQ(to_string(ints({1, 2})), "tensor([1, 2], size=(2,))");
}

TEST_F(PrintTest, PrecisionOption) {
  set_printoptions({.precision = 2, .threshold = 1000, .edgeitems = 3, .linewidth = 80});
  EXPECT_EQ(to_string(tensor({1.2345, 2.})), "tensor([1.23, 2.00])");
  // Exact binary ties round to even, as Python's format does.
  EXPECT_EQ(to_string(tensor({0.125, 0.375})), "tensor([0.12, 0.38])");
  EXPECT_EQ(to_string(tensor({1e-5, 1.})), "tensor([1.00e-05, 1.00e+00])");
  EXPECT_EQ(to_string(tensor({1., 2.})), "tensor([1., 2.])");
  set_printoptions({.precision = 0, .threshold = 1000, .edgeitems = 3, .linewidth = 80});
  EXPECT_EQ(to_string(tensor({1.5, 2.})), "tensor([2, 2])");
}

TEST_F(PrintTest, LongRowsWrapAtLinewidth) {
  EXPECT_EQ(to_string(arange(100)),
            "tensor([ 0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, 14, 15, 16, 17,\n"
            "        18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35,\n"
            "        36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53,\n"
            "        54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71,\n"
            "        72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89,\n"
            "        90, 91, 92, 93, 94, 95, 96, 97, 98, 99])");
  EXPECT_EQ(to_string(arange(0., 10., 0.5)),
            "tensor([0.0000, 0.5000, 1.0000, 1.5000, 2.0000, 2.5000, 3.0000, 3.5000, 4.0000,\n"
            "        4.5000, 5.0000, 5.5000, 6.0000, 6.5000, 7.0000, 7.5000, 8.0000, 8.5000,\n"
            "        9.0000, 9.5000])");
  // Rows of a matrix wrap under their own opening bracket.
  EXPECT_EQ(to_string(arange(40).reshape({2, 20})),
            "tensor([[ 0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, 14, 15, 16, 17,\n"
            "         18, 19],\n"
            "        [20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37,\n"
            "         38, 39]])");
  set_printoptions({.precision = 4, .threshold = 1000, .edgeitems = 3, .linewidth = 20});
  EXPECT_EQ(to_string(arange(6)), "tensor([0, 1, 2, 3,\n        4, 5])");
  // Narrower than one element: still one element per line.
  set_printoptions({.precision = 4, .threshold = 1000, .edgeitems = 3, .linewidth = 1});
  EXPECT_EQ(to_string(ints({1, 2})), "tensor([1,\n        2])");
}

TEST_F(PrintTest, SuffixWrapsWhenTheLastLineIsFull) {
  EXPECT_EQ(to_string(arange(18).to(kInt32)),
            "tensor([ 0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, 14, 15, 16, 17],\n"
            "       dtype=ember.int32)");
  EXPECT_EQ(to_string(arange(20).to(kInt32)),
            "tensor([ 0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, 14, 15, 16, 17,\n"
            "        18, 19], dtype=ember.int32)");
}

TEST_F(PrintTest, NonContiguousTensorsPrintLogicalValues) {
  EXPECT_EQ(to_string(arange(6).reshape({2, 3}).t()),
            "tensor([[0, 3],\n"
            "        [1, 4],\n"
            "        [2, 5]])");
  EXPECT_EQ(to_string(arange(10).slice(0, 1, 9, 3)), "tensor([1, 4, 7])");
  EXPECT_EQ(to_string(tensor({1., 2.}).expand({2, 2})),
            "tensor([[1., 2.],\n"
            "        [1., 2.]])");
  EXPECT_EQ(to_string(arange(12).reshape({3, 4}).select(1, 2)), "tensor([ 2,  6, 10])");
}

TEST_F(PrintTest, StreamAndUndefined) {
  std::ostringstream stream;
  stream << tensor({1.5});
  EXPECT_EQ(stream.str(), "tensor([1.5000])");
  EXPECT_EQ(ints({4}).str(), "tensor([4])");
  EXPECT_EQ(to_string(Tensor()), "[ Tensor (undefined) ]");
}

TEST_F(PrintTest, OptionsRoundTripAndValidate) {
  set_printoptions({.precision = 6, .threshold = 10, .edgeitems = 2, .linewidth = 120});
  const PrintOptions options = get_printoptions();
  EXPECT_EQ(options.precision, 6);
  EXPECT_EQ(options.threshold, 10);
  EXPECT_EQ(options.edgeitems, 2);
  EXPECT_EQ(options.linewidth, 120);
  EXPECT_THROW(set_printoptions({.precision = -1}), ValueError);
  EXPECT_THROW(set_printoptions({.edgeitems = -1}), ValueError);
  // A rejected call leaves the options as they were.
  EXPECT_EQ(get_printoptions().precision, 6);
}

}  // namespace
}  // namespace ember
