// Index keys (indexing.h) as a libtorch user writes them: every kind of TensorIndex, which keys
// give views and which copies, index_put_ with scalar and tensor values (broadcast), the
// advanced-only overloads beside the braced ones, and every bad key with its typed error.
#include <gtest/gtest.h>

#include <optional>
#include <type_traits>
#include <vector>

#include "ember/base/error.h"
#include "ember/base/error_testing.h"
#include "ember/ops/indexing.h"
#include "ember/ops/ops.h"
#include "tests/test_support.h"

namespace ember {
namespace {

using namespace ember::indexing;  // NOLINT: as libtorch programs do
using test_support::error_of;

using Values = std::vector<double>;
using testing::values;

// [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]
Tensor grid() { return arange(0, 12, 1, kFloat32).reshape({3, 4}); }

Tensor longs(const std::vector<int64_t>& list) { return tensor(list); }

bool shares_memory(const Tensor& a, const Tensor& b) {
  return a.storage().get() == b.storage().get();
}

#define EXPECT_MESSAGE(message, text) \
  EXPECT_NE((message).find(text), std::string::npos) << (message)

// ------------------------------------------------------------------------------ basic keys

TEST(IndexingApi, Integers) {
  Tensor x = grid();
  EXPECT_EQ(values(x.index({1})), (Values{4, 5, 6, 7}));
  EXPECT_EQ(values(x.index({-1, 2})), (Values{10}));
  EXPECT_EQ(x.index({-1, 2}).dim(), 0);
  const int64_t row = 2;
  EXPECT_EQ(values(x.index({row})), (Values{8, 9, 10, 11}));
  // A 0-d integer tensor is an int: a view, not a copy.
  Tensor picked = x.index({tensor({2.0}, kInt64).reshape({})});
  EXPECT_EQ(values(picked), (Values{8, 9, 10, 11}));
  EXPECT_TRUE(shares_memory(picked, x));
}

TEST(IndexingApi, Slices) {
  Tensor x = grid();
  EXPECT_EQ(values(x.index({Slice(), 0})), (Values{0, 4, 8}));
  EXPECT_EQ(values(x.index({Slice(None, 2), 3})), (Values{3, 7}));
  EXPECT_EQ(x.index({Slice(1, None, 2)}).shape(), Shape({1, 4}));
  EXPECT_EQ(values(x.index({Slice(), Slice(-2)})), (Values{2, 3, 6, 7, 10, 11}));
  EXPECT_EQ(values(x.index({0, Slice(None, None, 3)})), (Values{0, 3}));
  // Out-of-range bounds clamp, as in Python.
  EXPECT_EQ(x.index({Slice(5, 10)}).shape(), Shape({0, 4}));
  EXPECT_EQ(values(x.index({1, Slice(-100, 100)})), (Values{4, 5, 6, 7}));
  EXPECT_EQ(Slice().start(), 0);
  EXPECT_EQ(Slice().stop(), INDEX_MAX);
  EXPECT_EQ(Slice(None, None, -1).start(), INDEX_MAX);
}

TEST(IndexingApi, NoneEllipsisAndBools) {
  Tensor x = grid();
  EXPECT_EQ(x.index({None}).shape(), Shape({1, 3, 4}));
  EXPECT_EQ(x.index({Slice(), None, 0}).shape(), Shape({3, 1}));
  EXPECT_EQ(values(x.index({Ellipsis, 1})), (Values{1, 5, 9}));
  EXPECT_EQ(values(x.index({"...", 1})), (Values{1, 5, 9}));
  EXPECT_EQ(values(x.index({1, Ellipsis})), (Values{4, 5, 6, 7}));
  EXPECT_EQ(x.index({Ellipsis, None}).shape(), Shape({3, 4, 1}));
  EXPECT_EQ(x.index({None, Ellipsis, None}).shape(), Shape({1, 3, 4, 1}));
  EXPECT_EQ(x.index({true}).shape(), Shape({1, 3, 4}));
  EXPECT_EQ(x.index({false}).shape(), Shape({0, 3, 4}));
  // True beside an advanced index is one too: its new dim broadcasts with the others.
  EXPECT_EQ(zeros({2, 3, 4}).index({true, longs({0, 1}), 1}).shape(), Shape({2, 4}));
  EXPECT_EQ(x.index({}).shape(), x.shape());
}

// --------------------------------------------------------------------------- advanced keys

TEST(IndexingApi, IntegerTensors) {
  Tensor x = grid();
  EXPECT_EQ(values(x.index({longs({2, 0, 2})})), (Values{8, 9, 10, 11, 0, 1, 2, 3, 8, 9, 10, 11}));
  EXPECT_EQ(values(x.index({Slice(), longs({-1, 0})})), (Values{3, 0, 7, 4, 11, 8}));
  EXPECT_EQ(values(x.index({longs({0, 2}), longs({1, 3})})), (Values{1, 11}));
  EXPECT_EQ(values(x.index({tensor({1.0}, kInt32), Slice(1, 3)})), (Values{5, 6}));
  Tensor y = arange(0, 24, 1, kInt64).reshape({2, 3, 4});
  // Adjacent advanced indices keep their place; split by a slice they lead (NumPy's rule).
  Tensor adjacent = y.index({Slice(), longs({0, 2}), longs({1, 3})});
  EXPECT_EQ(adjacent.shape(), Shape({2, 2}));
  EXPECT_EQ(values(adjacent), (Values{1, 11, 13, 23}));
  Tensor split = y.index({longs({0, 1}), Slice(), longs({0, 3})});
  EXPECT_EQ(split.shape(), Shape({2, 3}));
  EXPECT_EQ(values(split), (Values{0, 4, 8, 15, 19, 23}));
}

TEST(IndexingApi, Masks) {
  Tensor x = grid();
  EXPECT_EQ(values(x.index({x > 6})), (Values{7, 8, 9, 10, 11}));
  Tensor rows = tensor({1, 0, 1}, kBool);
  EXPECT_EQ(values(x.index({rows, 0})), (Values{0, 8}));
  EXPECT_EQ(values(x.index({Ellipsis, tensor({0, 1, 0, 1}, kBool)})), (Values{1, 3, 5, 7, 9, 11}));
  EXPECT_EQ(x.index({tensor({1.0}, kBool).reshape({})}).shape(), Shape({1, 3, 4}));
}

// --------------------------------------------------------------------------- views and copies

TEST(IndexingApi, BasicKeysAreViews) {
  Tensor x = grid();
  x.index({1}).fill_(-1);
  x.index({Slice(), Slice(2)}).fill_(0);
  EXPECT_EQ(values(x), (Values{0, 1, 0, 0, -1, -1, 0, 0, 8, 9, 0, 0}));
  // x.index({Slice()}) and x.index({Ellipsis}) alias x: a new tensor on the same memory.
  for (Tensor alias : {x.index({Slice()}), x.index({Ellipsis}), x.index({})}) {
    EXPECT_FALSE(alias.is_same(x));
    EXPECT_EQ(alias.data_ptr(), x.data_ptr());
    EXPECT_EQ(alias.shape(), x.shape());
  }
}

TEST(IndexingApi, AdvancedKeysAreCopies) {
  Tensor x = grid();
  Tensor gathered = x.index({longs({1})});
  Tensor masked = x.index({x > 5});
  gathered.fill_(-1);
  masked.fill_(-1);
  EXPECT_FALSE(shares_memory(gathered, x));
  EXPECT_EQ(values(x), values(grid()));
}

// ------------------------------------------------------------------------------ index_put_

TEST(IndexingApi, IndexPutScalar) {
  Tensor x = grid();
  Tensor& same = x.index_put_({Slice(None, 2)}, 0);
  EXPECT_TRUE(same.is_same(x));
  x.index_put_({Ellipsis, 0}, 9.5);
  x.index_put_({2, -1}, -3);
  EXPECT_EQ(values(x), (Values{9.5, 0, 0, 0, 9.5, 0, 0, 0, 9.5, 9, 10, -3}));
  Tensor y = grid();
  y.index_put_({y > 5}, -1);  // a mask shaped like y: the masked_fill_ path
  y.index_put_({tensor({1, 0, 0}, kBool), Slice(1, 3)}, 7);
  y.index_put_({longs({1, 2}), longs({0, 3})}, 100);
  EXPECT_EQ(values(y), (Values{0, 7, 7, 3, 100, 5, -1, -1, -1, -1, -1, 100}));
  Tensor integers = arange(0, 4, 1, kInt64);
  integers.index_put_({integers > 1}, true);
  EXPECT_EQ(values(integers), (Values{0, 1, 1, 1}));
}

TEST(IndexingApi, IndexPutTensorBroadcasts) {
  Tensor x = grid();
  x.index_put_({Slice(), 1}, tensor({10, 20, 30}));
  x.index_put_({Slice(1)}, tensor({1, 2, 3, 4}));  // a row for rows 1 and 2
  EXPECT_EQ(values(x), (Values{0, 10, 2, 3, 1, 2, 3, 4, 1, 2, 3, 4}));
  x.index_put_({0}, ones({1, 4}));  // leading size-1 dims of the value are ignored
  x.index_put_({longs({0, 2}), longs({1, 3})}, tensor({-5, -6}));
  x.index_put_({longs({1}), Slice(None, 2)}, tensor({{7, 8}}));
  EXPECT_EQ(values(x), (Values{1, -5, 1, 1, 7, 8, 3, 4, 1, 2, 3, -6}));
  x.index_put_({x < 0}, tensor({0.5}));
  EXPECT_EQ(values(x.index({0})), (Values{1, 0.5, 1, 1}));
  // Values are cast to x's dtype under the in-place rule (int into float is fine).
  x.index_put_({2}, tensor({1, 1, 1, 1}, kInt64));
  EXPECT_EQ(values(x.index({2})), (Values{1, 1, 1, 1}));
}

TEST(IndexingApi, IndexPutThroughAView) {
  Tensor x = grid();
  Tensor middle = x.index({Slice(), Slice(1, 3)});
  middle.index_put_({middle > 5}, 0);
  middle.index_put_({0, longs({1})}, -2);
  EXPECT_EQ(values(x), (Values{0, 1, -2, 3, 4, 5, 0, 7, 8, 0, 0, 11}));
}

// The advanced-only overloads (optional tensors, accumulate) coexist with the braced ones.
TEST(IndexingApi, AdvancedOnlyOverloads) {
  Tensor x = grid();
  const std::vector<std::optional<Tensor>> indices{std::nullopt, longs({0, 0, 3})};
  EXPECT_EQ(values(x.index(indices)), (Values{0, 0, 3, 4, 4, 7, 8, 8, 11}));
  x.index_put_(indices, ones({3, 3}), /*accumulate=*/true);
  EXPECT_EQ(values(x.index({0})), (Values{2, 1, 2, 4}));
  x.index_put_({longs({2})}, zeros({4}), true);  // three arguments: only the optional-tensor one
  EXPECT_EQ(values(x.index({2})), (Values{10, 9, 10, 12}));
  const std::vector<TensorIndex> key{Slice(), 1};
  EXPECT_EQ(values(x.index(key)), (Values{1, 5, 9}));
  x.index_put_(key, -1);
  EXPECT_EQ(values(x.index(ArrayRef<TensorIndex>(key))), (Values{-1, -1, -1}));
  static_assert(std::is_same_v<decltype(x.index({Slice(), 0})), Tensor>);
  static_assert(std::is_same_v<decltype(x.index_put_({Slice(), 0}, 1)), Tensor&>);
}

// ------------------------------------------------------------------------------ bad keys

TEST(IndexingApi, BadKeysThrowTypedErrors) {
  Tensor x = grid();
  EXPECT_MESSAGE(error_of<IndexError>([&] {
                   x.index({0, 0, 0});
                 }),
                 "too many indices for tensor of dimension 2");
  EXPECT_MESSAGE(error_of<IndexError>([&] {
                   x.index({Slice(), ones({4, 2}, kBool)});
                 }),
                 "too many indices for tensor of dimension 2");
  EXPECT_MESSAGE(error_of<IndexError>([&] {
                   x.index({Ellipsis, 0, Ellipsis});
                 }),
                 "an index can only have a single ellipsis ('...')");
  EXPECT_MESSAGE(error_of<ValueError>([&] { x.index({Slice(None, None, -1)}); }),
                 "step must be greater than zero");
  EXPECT_MESSAGE(error_of<ValueError>([&] { Slice(0, 3, 0); }), "slice step cannot be zero");
  EXPECT_MESSAGE(error_of<ValueError>([&] { x.index({"::"}); }),
                 "Expected \"...\" to represent an ellipsis index, but got \"::\"");
  EXPECT_MESSAGE(error_of<IndexError>([&] { x.index({3}); }),
                 "index 3 is out of bounds for dimension 0 with size 3");
  EXPECT_MESSAGE(error_of<IndexError>([&] {
                   x.index({Slice(), -5});
                 }),
                 "index -5 is out of bounds for dimension 1 with size 4");
  EXPECT_MESSAGE(error_of<IndexError>([&] {
                   x.index({longs({0, 5})});
                 }),
                 "index 5 is out of bounds for dimension 0 with size 3");
  EXPECT_MESSAGE(error_of<IndexError>([&] { scalar_tensor(1.0).index({0}); }),
                 "invalid index of a 0-dim tensor");
  EXPECT_MESSAGE(error_of<IndexError>([&] {
                   x.index({tensor({0.0, 1.0})});
                 }),
                 "tensors used as indices must be long, int, byte or bool tensors");
  EXPECT_MESSAGE(error_of<IndexError>([&] {
                   x.index({ones({3, 3}, kBool)});
                 }),
                 "The shape of the mask [3, 3] at index 1 does not match the shape of the "
                 "indexed tensor [3, 4] at index 1");
  EXPECT_MESSAGE(error_of<IndexError>([&] {
                   x.index({longs({0, 1}), longs({0, 1, 2})});
                 }),
                 "shape mismatch: indexing tensors could not be broadcast together with shapes "
                 "[2], [3]");
  EXPECT_MESSAGE(error_of<ValueError>([&] { x.index({Tensor()}); }),
                 "an undefined tensor is not a valid index");
}

TEST(IndexingApi, BadValuesThrowAndLeaveSelfUnchanged) {
  Tensor x = grid();
  EXPECT_MESSAGE(error_of<RuntimeError>([&] {
                   x.index_put_({longs({0, 1})}, ones({3}));
                 }),
                 "shape mismatch: value tensor of shape [3] cannot be broadcast to indexing "
                 "result of shape [2, 4]");
  EXPECT_MESSAGE(error_of<IndexError>([&] {
                   x.index_put_({longs({0, 1, 3})}, 9);
                 }),
                 "index 3 is out of bounds for dimension 0 with size 3");
  EXPECT_MESSAGE(error_of<RuntimeError>([&] { x.index_put_({0}, ones({3})); }), "[3]");
  EXPECT_EQ(values(x), values(grid()));
  Tensor integers = arange(0, 3, 1, kInt64);
  EXPECT_MESSAGE(error_of<RuntimeError>([&] { integers.index_put_({longs({0})}, tensor({1.5})); }),
                 "result type float32 can't be cast to the desired output type int64");
  EXPECT_EQ(values(integers), (Values{0, 1, 2}));
}

}  // namespace
}  // namespace ember
