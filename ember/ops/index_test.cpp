// Index ops against hand-derived values: nonzero, index_select, masked_select, advanced indexing
// (index) and index_put_ on contiguous, transposed, sliced, expanded, empty and 0-d inputs in
// several dtypes, and every error path (B6, B9, B4, B16) with its message.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "ember/base/error.h"
#include "ember/base/error_testing.h"
#include "ember/ops/ops.h"
#include "tests/test_support.h"

namespace ember {
namespace {

using test_support::error_of;

using Values = std::vector<double>;

using testing::values;

// 0, 1, ..., n-1 in `dtype`, shaped.
Tensor iota(IntArrayRef shape, ScalarType dtype = kFloat32) {
  return arange(0, numel_of(shape.to_shape()), 1, TensorOptions(dtype)).reshape(shape);
}

Tensor longs(std::initializer_list<double> list) {
  return tensor(std::vector<double>(list), kInt64);
}

#define EXPECT_MESSAGE(message, text) \
  EXPECT_NE((message).find(text), std::string::npos) << (message)

// ------------------------------------------------------------------------------------ nonzero

TEST(Nonzero, RowMajorIndicesAndNaNCounts) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  Tensor x = tensor({{0, 1.5, 0}, {nan, 0, -2}}, kFloat64);
  Tensor positions = nonzero(x);
  EXPECT_EQ(positions.dtype(), kInt64);
  EXPECT_EQ(positions.shape(), Shape({3, 2}));
  EXPECT_EQ(values(positions), (Values{0, 1, 1, 0, 1, 2}));
  EXPECT_EQ(nonzero(tensor({-0.0, 0.0, 1.0})).shape(), Shape({1, 1}));  // -0 is zero
}

TEST(Nonzero, LayoutsAndDtypes) {
  Tensor x = tensor({{1, 0, 2}, {0, 3, 0}});
  // x.t() = [[1, 0], [0, 3], [2, 0]]
  EXPECT_EQ(values(nonzero(x.t())), (Values{0, 0, 1, 1, 2, 0}));
  // columns 0 and 2 of x: [[1, 2], [0, 0]]
  EXPECT_EQ(values(nonzero(x.slice(1, 0, std::nullopt, 2))), (Values{0, 0, 0, 1}));
  for (ScalarType dtype : {kBool, kUInt8, kInt8, kInt32, kInt64, kFloat16, kBFloat16}) {
    EXPECT_EQ(values(nonzero(x.to(dtype))), (Values{0, 0, 0, 2, 1, 1})) << dtype;
  }
  // An expanded input (stride 0) counts every repeated element.
  EXPECT_EQ(values(nonzero(tensor({0, 1}).expand({2, 2}))), (Values{0, 1, 1, 1}));
}

TEST(Nonzero, EmptyAndZeroDim) {  // B9
  EXPECT_EQ(nonzero(zeros({0, 3})).shape(), Shape({0, 2}));
  EXPECT_EQ(nonzero(zeros({2, 3})).shape(), Shape({0, 2}));
  EXPECT_EQ(nonzero(full({}, 5.0)).shape(), Shape({1, 0}));
  EXPECT_EQ(nonzero(full({}, 0.0)).shape(), Shape({0, 0}));
}

// ------------------------------------------------------------------------------- index_select

TEST(IndexSelect, RowsAndColumns) {
  Tensor x = iota({3, 4});
  Tensor rows = index_select(x, 0, longs({2, 0, 2}));
  EXPECT_EQ(rows.shape(), Shape({3, 4}));
  EXPECT_EQ(values(rows), (Values{8, 9, 10, 11, 0, 1, 2, 3, 8, 9, 10, 11}));
  Tensor columns = index_select(x, -1, tensor({3, 1}, kInt32));
  EXPECT_EQ(columns.shape(), Shape({3, 2}));
  EXPECT_EQ(values(columns), (Values{3, 1, 7, 5, 11, 9}));
}

TEST(IndexSelect, NonContiguousSourcesAndDtypes) {
  Tensor x = iota({3, 4});
  // x.t() is (4, 3): rows 1 and 3 of it are columns 1 and 3 of x.
  EXPECT_EQ(values(index_select(x.t(), 0, longs({1, 3}))), (Values{1, 5, 9, 3, 7, 11}));
  // Every other column: [[0, 2], [4, 6], [8, 10]].
  Tensor stepped = x.slice(1, 0, std::nullopt, 2);
  EXPECT_EQ(values(index_select(stepped, 1, longs({1}))), (Values{2, 6, 10}));
  for (ScalarType dtype : {kBool, kInt8, kInt16, kInt64, kFloat16, kBFloat16, kFloat64}) {
    Tensor selected = index_select(x.to(dtype), 0, longs({1}));
    EXPECT_EQ(selected.dtype(), dtype);
    EXPECT_EQ(values(selected), values(x.to(dtype).select(0, 1))) << dtype;
  }
}

TEST(IndexSelect, ZeroDimAndEmpty) {  // B9
  Tensor x = iota({3, 4});
  Tensor one = index_select(x, 0, scalar_tensor(1, kInt64));  // a 0-d index keeps the dim
  EXPECT_EQ(one.shape(), Shape({1, 4}));
  EXPECT_EQ(values(one), (Values{4, 5, 6, 7}));
  EXPECT_EQ(index_select(x, 1, empty({0}, kInt64)).shape(), Shape({3, 0}));
  EXPECT_EQ(index_select(zeros({0, 2}), 1, longs({1, 0, 1})).shape(), Shape({0, 3}));
  Tensor scalar = full({}, 7.0);
  Tensor picked = index_select(scalar, 0, longs({0}));
  EXPECT_EQ(picked.dim(), 0);
  EXPECT_EQ(picked.item<double>(), 7.0);
}

TEST(IndexSelectErrors, OutOfBoundsAndNegative) {  // B6
  Tensor x = iota({3, 4});
  EXPECT_MESSAGE(error_of<IndexError>([&] {
                   index_select(x, 0, longs({0, 5}));
                 }),
                 "[index_select] index 5 is out of bounds for dimension 0 with size 3");
  // PyTorch's index_select takes no negative indices.
  EXPECT_MESSAGE(error_of<IndexError>([&] { index_select(x, 1, longs({-1})); }),
                 "index -1 is out of bounds for dimension 1 with size 4");
  EXPECT_MESSAGE(error_of<IndexError>([&] { index_select(zeros({0}), 0, longs({0})); }),
                 "index 0 is out of bounds for dimension 0 with size 0");
  EXPECT_MESSAGE(error_of<IndexError>([&] { index_select(full({}, 1.0), 0, longs({1})); }),
                 "index 1 is out of bounds for dimension 0 with size 1");
}

TEST(IndexSelectErrors, BadArguments) {
  Tensor x = iota({3, 4});
  EXPECT_MESSAGE(error_of<IndexError>([&] { index_select(x, 2, longs({0})); }),
                 "Dimension out of range (expected to be in range of [-2, 1], but got 2)");
  EXPECT_MESSAGE(error_of<IndexError>([&] {
                   index_select(x, 0, zeros({2, 2}, kInt64));
                 }),
                 "[index_select] index_select(): Index is supposed to be a vector; got a 2-D");
  EXPECT_MESSAGE(error_of<RuntimeError>([&] { index_select(x, 0, zeros({2})); }),
                 "Expected dtype int32 or int64 for index; got float32");
  EXPECT_MESSAGE(error_of<IndexError>([&] {
                   index_select(full({}, 1.0), 0, longs({0, 0}));
                 }),
                 "Index to scalar can have only 1 value, got 2 value(s)");
}

// ------------------------------------------------------------------------------ masked_select

TEST(MaskedSelect, SameShapeAndLayouts) {
  Tensor x = iota({2, 3});
  Tensor mask = tensor({{1, 0, 1}, {0, 0, 1}}, kBool);
  Tensor picked = masked_select(x, mask);
  EXPECT_EQ(picked.shape(), Shape({3}));
  EXPECT_EQ(values(picked), (Values{0, 2, 5}));
  // x.t() = [[0, 3], [1, 4], [2, 5]]
  EXPECT_EQ(values(masked_select(x.t(), tensor({{0, 1}, {1, 0}, {0, 1}}, kBool))),
            (Values{3, 1, 5}));
  EXPECT_EQ(values(masked_select(x.to(kInt16), mask)), (Values{0, 2, 5}));
}

TEST(MaskedSelect, BroadcastsBoth) {
  Tensor x = iota({2, 3});
  EXPECT_EQ(values(masked_select(x, tensor({0, 1, 1}, kBool))), (Values{1, 2, 4, 5}));
  // self broadcasts up to the mask's shape.
  Tensor row = tensor({10, 20, 30});
  EXPECT_EQ(values(masked_select(row, tensor({{1, 0, 0}, {1, 1, 0}}, kBool))),
            (Values{10, 10, 20}));
  Tensor scalar = full({}, 4.0);
  EXPECT_EQ(masked_select(scalar, full({}, true, kBool)).shape(), Shape({1}));
  EXPECT_EQ(masked_select(scalar, full({}, false, kBool)).shape(), Shape({0}));
  EXPECT_EQ(masked_select(zeros({0, 3}), ones({3}, kBool)).shape(), Shape({0}));
}

TEST(MaskedSelectErrors, MaskTypeAndShape) {
  Tensor x = iota({2, 3});
  EXPECT_MESSAGE(error_of<RuntimeError>([&] {
                   masked_select(x, ones({2, 3}));
                 }),
                 "[masked_select] expected BoolTensor for mask; got a tensor of dtype float32");
  EXPECT_MESSAGE(error_of<RuntimeError>([&] { masked_select(x, ones({2}, kBool)); }),
                 "The size of tensor a (3) must match the size of tensor b (2)");
}

// -------------------------------------------------------------------------------------- index

TEST(Index, OneIndexTensorWithNegativeValues) {
  Tensor x = iota({3, 4});
  Tensor rows = index(x, {longs({-1, 0})});
  EXPECT_EQ(rows.shape(), Shape({2, 4}));
  EXPECT_EQ(values(rows), (Values{8, 9, 10, 11, 0, 1, 2, 3}));
  // x[:, [[0, 3]]]: the (1, 2) index shape replaces dim 1.
  Tensor columns = index(x, {std::nullopt, tensor({{0, 3}}, kInt64)});
  EXPECT_EQ(columns.shape(), Shape({3, 1, 2}));
  EXPECT_EQ(values(columns), (Values{0, 3, 4, 7, 8, 11}));
  // A 0-d index removes the dim, as an integer would.
  Tensor picked = index(x, {std::nullopt, scalar_tensor(2, kInt64)});
  EXPECT_EQ(picked.shape(), Shape({3}));
  EXPECT_EQ(values(picked), (Values{2, 6, 10}));
}

TEST(Index, AdjacentIndicesStayInPlace) {
  Tensor x = iota({2, 3, 4});
  // x[:, [0, 2], [1, 3]] -> (2, 2): x[b, 0, 1], x[b, 2, 3]
  Tensor picked = index(x, {std::nullopt, longs({0, 2}), longs({1, 3})});
  EXPECT_EQ(picked.shape(), Shape({2, 2}));
  EXPECT_EQ(values(picked), (Values{1, 11, 13, 23}));
  // Index tensors broadcast: (2, 1) with (3,) -> (2, 3).
  Tensor grid = index(x.select(0, 1), {longs({0, 2}).reshape({2, 1}), longs({0, 1, 3})});
  EXPECT_EQ(grid.shape(), Shape({2, 3}));
  EXPECT_EQ(values(grid), (Values{12, 13, 15, 20, 21, 23}));
}

TEST(Index, SeparatedIndicesLead) {
  Tensor x = iota({2, 3, 4});
  // x[[1, 0], :, [3, 0]] -> (2, 3): the index dim goes first, then dim 1.
  Tensor picked = index(x, {longs({1, 0}), std::nullopt, longs({3, 0})});
  EXPECT_EQ(picked.shape(), Shape({2, 3}));
  EXPECT_EQ(values(picked), (Values{15, 19, 23, 0, 4, 8}));
}

TEST(Index, BoolMasks) {
  Tensor x = iota({2, 3});
  Tensor mask = tensor({{1, 0, 1}, {0, 1, 0}}, kBool);
  EXPECT_EQ(values(index(x, {mask})), (Values{0, 2, 4}));
  // A 1-D mask on dim 1 selects columns: x[:, [True, False, True]].
  Tensor columns = index(x, {std::nullopt, tensor({1, 0, 1}, kBool)});
  EXPECT_EQ(columns.shape(), Shape({2, 2}));
  EXPECT_EQ(values(columns), (Values{0, 2, 3, 5}));
  // A mask and an integer index broadcast together: x[[True, False], [2]] -> [x[0, 2]].
  EXPECT_EQ(values(index(x, {tensor({1, 0}, kBool), longs({2})})), (Values{2}));
  // uint8 masks still work, as in PyTorch.
  EXPECT_EQ(values(index(x, {mask.to(kUInt8)})), (Values{0, 2, 4}));
  // 0-d masks add a dim of size 1 or 0: x[True] is (1, 2, 3), x[False] is (0, 2, 3).
  EXPECT_EQ(index(x, {full({}, true, kBool)}).shape(), Shape({1, 2, 3}));
  EXPECT_EQ(index(x, {full({}, false, kBool)}).shape(), Shape({0, 2, 3}));
  Tensor scalar = full({}, 3.0);
  EXPECT_EQ(values(index(scalar, {full({}, true, kBool)})), (Values{3}));
}

TEST(Index, LayoutsDtypesAndEmpty) {
  Tensor x = iota({3, 4});
  // x.t()[[3, 0]] = columns 3 and 0 of x
  EXPECT_EQ(values(index(x.t(), {longs({3, 0})})), (Values{3, 7, 11, 0, 4, 8}));
  // An expanded source reads repeated elements.
  EXPECT_EQ(values(index(tensor({5, 6}).expand({3, 2}), {longs({2}), longs({1})})), (Values{6}));
  for (ScalarType dtype : {kBool, kUInt8, kInt32, kFloat16, kBFloat16, kFloat64}) {
    Tensor picked = index(x.to(dtype), {std::nullopt, tensor({1, 2}, kInt32)});
    EXPECT_EQ(picked.dtype(), dtype);
    EXPECT_EQ(values(picked), values(x.to(dtype).slice(1, 1, 3))) << dtype;
  }
  EXPECT_EQ(index(x, {empty({0}, kInt64)}).shape(), Shape({0, 4}));
  EXPECT_EQ(index(zeros({0, 4}), {std::nullopt, longs({3, 3})}).shape(), Shape({0, 2}));
  EXPECT_EQ(index(x, {zeros({3, 4}, kBool)}).shape(), Shape({0}));
  // Only ":" entries: a copy of self.
  Tensor copy = index(x, {std::nullopt});
  EXPECT_FALSE(copy.storage().get() == x.storage().get());
  EXPECT_EQ(values(copy), values(x));
}

TEST(IndexErrors, OutOfBoundsNamesTheDim) {  // B6
  Tensor x = iota({3, 4});
  EXPECT_MESSAGE(error_of<IndexError>([&] { index(x, {longs({5})}); }),
                 "[index] index 5 is out of bounds for dimension 0 with size 3");
  EXPECT_MESSAGE(error_of<IndexError>([&] {
                   index(x, {std::nullopt, longs({0, -5})});
                 }),
                 "index -5 is out of bounds for dimension 1 with size 4");
  // Checked even when the result is empty, like NumPy.
  EXPECT_MESSAGE(error_of<IndexError>([&] {
                   index(zeros({0, 3}), {std::nullopt, longs({3})});
                 }),
                 "index 3 is out of bounds for dimension 1 with size 3");
}

TEST(IndexErrors, BadIndexTensors) {
  Tensor x = iota({3, 4});
  EXPECT_MESSAGE(error_of<IndexError>([&] {
                   index(x, {longs({0}), longs({0}), longs({0})});
                 }),
                 "[index] too many indices for tensor of dimension 2 (got 3)");
  EXPECT_MESSAGE(error_of<IndexError>([&] {
                   index(x, {std::nullopt, ones({3, 4}, kBool)});
                 }),
                 "too many indices for tensor of dimension 2 (got 3)");
  EXPECT_MESSAGE(error_of<IndexError>([&] { index(x, {tensor({1.0})}); }),
                 "tensors used as indices must be long, int, byte or bool tensors; got a tensor "
                 "of dtype float32");
  EXPECT_MESSAGE(error_of<IndexError>([&] {
                   index(x, {ones({3, 3}, kBool)});
                 }),
                 "The shape of the mask [3, 3] at index 1 does not match the shape of the "
                 "indexed tensor [3, 4] at index 1");
  EXPECT_MESSAGE(error_of<IndexError>([&] {
                   index(x, {longs({0, 1}), longs({0, 1, 2})});
                 }),
                 "shape mismatch: indexing tensors could not be broadcast together with shapes "
                 "[2], [3]");
}

// --------------------------------------------------------------------------------- index_put_

TEST(IndexPut, AssignsBroadcastValuesAndBumpsVersion) {
  Tensor x = zeros({3, 4});
  const uint32_t before = x.version();
  Tensor& same = index_put_(x, {longs({2, 0})}, tensor({1, 2, 3, 4}));
  EXPECT_TRUE(same.is_same(x));
  EXPECT_GT(x.version(), before);
  EXPECT_EQ(values(x), (Values{1, 2, 3, 4, 0, 0, 0, 0, 1, 2, 3, 4}));
  // A 0-d value fills every indexed element; int64 values cast into float32.
  index_put_(x, {std::nullopt, longs({1})}, scalar_tensor(9, kInt64));
  EXPECT_EQ(values(x), (Values{1, 9, 3, 4, 0, 9, 0, 0, 1, 9, 3, 4}));
  // Values may have leading size-1 dims only up to the indexed shape's rank.
  index_put_(x, {longs({1}), longs({0})}, tensor({7}));
  EXPECT_EQ(values(x.select(0, 1)), (Values{7, 9, 0, 0}));
}

TEST(IndexPut, MasksAndSeparatedIndices) {
  Tensor x = iota({2, 3});
  index_put_(x, {tensor({{1, 0, 0}, {0, 0, 1}}, kBool)}, tensor({-1, -2}));
  EXPECT_EQ(values(x), (Values{-1, 1, 2, 3, 4, -2}));
  Tensor cube = zeros({2, 2, 2}, kInt64);
  // cube[[0, 1], :, [1, 0]] = [[1, 2], [3, 4]]: value row t goes to (i_t, :, j_t).
  index_put_(cube, {longs({0, 1}), std::nullopt, longs({1, 0})}, tensor({{1, 2}, {3, 4}}, kInt64));
  EXPECT_EQ(values(cube), (Values{0, 1, 0, 2, 3, 0, 4, 0}));
}

TEST(IndexPut, DuplicatesAccumulateOrLastWins) {
  Tensor x = zeros({4}, kInt32);
  index_put_(x, {longs({1, 3, 1, 1})}, tensor({1, 2, 3, 4}, kInt32), /*accumulate=*/true);
  EXPECT_EQ(values(x), (Values{0, 8, 0, 2}));
  index_put_(x, {longs({0, 0, 2})}, tensor({5, 6, 7}, kInt32));
  EXPECT_EQ(values(x), (Values{6, 8, 7, 2}));
  Tensor halves = zeros({2}, kFloat16);
  index_put_(halves, {longs({0, 0, 0})}, full({}, 0.5, kFloat16), true);
  EXPECT_EQ(values(halves), (Values{1.5, 0}));
  Tensor flags = zeros({2}, kBool);
  index_put_(flags, {longs({1, 1})}, tensor({1, 0}, kBool), true);
  EXPECT_EQ(values(flags), (Values{0, 1}));
}

TEST(IndexPut, WritesThroughNonContiguousViews) {
  Tensor base = zeros({3, 4});
  Tensor view = base.t();  // (4, 3)
  index_put_(view, {longs({1}), longs({2})}, full({}, 5.0));
  EXPECT_EQ(base.select(0, 2).select(0, 1).item<double>(), 5.0);
  Tensor stepped = base.slice(1, 0, std::nullopt, 2);  // columns 0 and 2
  index_put_(stepped, {std::nullopt, longs({1})}, tensor({1, 2, 3}).reshape({3, 1}));
  EXPECT_EQ(values(base), (Values{0, 0, 1, 0, 0, 0, 2, 0, 0, 5, 3, 0}));
}

TEST(IndexPut, ValuesAliasingSelfAreReadFirst) {
  Tensor x = tensor({1, 2, 3});
  index_put_(x, {longs({2, 1, 0})}, x);
  EXPECT_EQ(values(x), (Values{3, 2, 1}));
}

TEST(IndexPut, EmptyIndicesChangeNothing) {
  Tensor x = iota({2, 2});
  index_put_(x, {empty({0}, kInt64)}, full({}, 9.0));
  index_put_(x, {zeros({2, 2}, kBool)}, full({}, 9.0));
  EXPECT_EQ(values(x), (Values{0, 1, 2, 3}));
}

TEST(IndexPutErrors, BadIndexLeavesSelfUntouched) {  // B6
  Tensor x = zeros({3});
  EXPECT_MESSAGE(error_of<IndexError>([&] {
                   index_put_(x, {longs({0, 1, 3})}, ones({3}));
                 }),
                 "[index_put_] index 3 is out of bounds for dimension 0 with size 3");
  EXPECT_EQ(values(x), (Values{0, 0, 0}));
}

TEST(IndexPutErrors, ValuesShapeAndDtype) {  // B4
  Tensor x = zeros({3, 4});
  EXPECT_MESSAGE(error_of<RuntimeError>([&] {
                   index_put_(x, {longs({0, 1})}, ones({3}));
                 }),
                 "[index_put_] shape mismatch: value tensor of shape [3] cannot be broadcast to "
                 "indexing result of shape [2, 4]");
  EXPECT_MESSAGE(error_of<RuntimeError>([&] {
                   index_put_(x, {longs({0})}, ones({2, 1, 4}));
                 }),
                 "value tensor of shape [2, 1, 4] cannot be broadcast");
  Tensor integers = zeros({3}, kInt64);
  EXPECT_MESSAGE(error_of<RuntimeError>([&] { index_put_(integers, {longs({0})}, ones({1})); }),
                 "[index_put_] result type float32 can't be cast to the desired output type "
                 "int64");
}

TEST(IndexPutErrors, InternalOverlap) {  // B16
  Tensor expanded = zeros({1}).expand({3});
  EXPECT_MESSAGE(error_of<RuntimeError>([&] { index_put_(expanded, {longs({0})}, ones({1})); }),
                 "[index_put_] unsupported operation: more than one element of the written-to "
                 "tensor refers to a single memory location");
}

}  // namespace
}  // namespace ember
