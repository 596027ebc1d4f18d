// The scatter family against hand-derived values: gather and scatter along each dim on
// contiguous, transposed and expanded inputs, the parallel kernel above the grain against a
// serial loop, repeated indices in index order, scatter_reduce, the index_* ops, and every
// error path (dtype, rank, size, bounds) with nothing written on a failed in-place call.
#include <gtest/gtest.h>

#include <vector>

#include "ember/base/error.h"
#include "ember/base/error_testing.h"
#include "ember/base/parallel.h"
#include "ember/ops/ops.h"
#include "ember/ops/scatter.h"
#include "tests/test_support.h"

namespace ember {
namespace {

using test_support::error_of;
using Values = std::vector<double>;

using testing::values;

Tensor longs(std::initializer_list<double> list, IntArrayRef shape) {
  return tensor(std::vector<double>(list), kInt64).reshape(shape);
}

Tensor iota(IntArrayRef shape) {
  return arange(0, numel_of(shape.to_shape()), 1, TensorOptions(kFloat32)).reshape(shape);
}

#define EXPECT_MESSAGE(message, text) \
  EXPECT_NE((message).find(text), std::string::npos) << (message)

TEST(Gather, AlongEachDimAndLayout) {
  const Tensor x = iota({3, 4});
  EXPECT_EQ(values(gather(x, 0, longs({2, 0, 1, 1}, {1, 4}))), (Values{8, 1, 6, 7}));
  EXPECT_EQ(values(gather(x, 1, longs({3, 3, 0, 1}, {2, 2}))), (Values{3, 3, 4, 5}));
  // A transposed self and an expanded index address the same logical elements.
  const Tensor xt = iota({4, 3}).t();
  const Tensor index = longs({1, 2}, {1, 2}).expand({3, 2});
  EXPECT_EQ(values(gather(xt, 1, index)), values(gather(xt.contiguous(), 1, index.contiguous())));
  EXPECT_EQ(gather(x, 0, empty({0, 4}, TensorOptions(kInt64))).shape(), (Shape{0, 4}));
  EXPECT_EQ(values(gather(full({}, 5.0), 0, zeros({}, TensorOptions(kInt64)))), (Values{5}));
}

TEST(Scatter, ParallelKernelMatchesSerialAndKeepsIndexOrder) {
  // Above the grain, dim 0 (rows innermost) and dim 1 (dim innermost), repeated positions.
  const int64_t rows = 300, cols = 700;
  const Tensor index =
      remainder(arange(rows * cols, TensorOptions(kInt64)) * 7919, rows).reshape({rows, cols});
  const Tensor src = randn({rows, cols});
  for (int threads : {1, 2}) {
    set_num_threads(threads);
    const Tensor result = zeros({rows, cols}).scatter_add_(0, index, src);
    Tensor expected = zeros({rows, cols});
    const Values index_values = values(index), src_values = values(src);
    Values sums(static_cast<size_t>(rows * cols), 0.0);
    for (int64_t i = 0; i < rows * cols; ++i) {
      const int64_t target = static_cast<int64_t>(index_values[i]) * cols + i % cols;
      sums[static_cast<size_t>(target)] += src_values[static_cast<size_t>(i)];
    }
    const Values got = values(result);
    for (size_t i = 0; i < sums.size(); ++i) ASSERT_NEAR(got[i], sums[i], 1e-4) << i;
  }
  // The last write wins, in index order.
  const Tensor last = zeros({1, 3}).scatter_(1, longs({2, 2, 2}, {1, 3}), iota({1, 3}));
  EXPECT_EQ(values(last), (Values{0, 0, 2}));
}

TEST(ScatterReduce, EveryReduction) {
  const Tensor self = tensor(Values{1, 2, 3}, kFloat32);
  const Tensor index = longs({0, 0, 2}, {3});
  const Tensor src = tensor(Values{4, 6, -1}, kFloat32);
  EXPECT_EQ(values(self.scatter_reduce(0, index, src, "sum")), (Values{11, 2, 2}));
  EXPECT_EQ(values(self.scatter_reduce(0, index, src, "prod")), (Values{24, 2, -3}));
  EXPECT_EQ(values(self.scatter_reduce(0, index, src, "mean")),
            (Values{static_cast<double>(11.0f / 3.0f), 2, 1}));
  EXPECT_EQ(values(self.scatter_reduce(0, index, src, "amax")), (Values{6, 2, 3}));
  EXPECT_EQ(values(self.scatter_reduce(0, index, src, "amin", false)), (Values{4, 2, -1}));
  EXPECT_EQ(values(self.scatter_reduce(0, index, src, "mean", false)), (Values{5, 2, -1}));
  EXPECT_MESSAGE(error_of<RuntimeError>([&] { self.scatter_reduce(0, index, src, "max"); }),
                 "reduce argument must be either sum, prod, mean, amax or amin");
}

TEST(IndexOps, AddCopyFill) {
  const Tensor x = zeros({3, 2});
  const Tensor index = longs({2, 0, 2}, {3});
  EXPECT_EQ(values(x.index_add(0, index, ones({3, 2}), 2)), (Values{2, 2, 0, 0, 4, 4}));
  EXPECT_EQ(values(x.index_copy(0, longs({1}, {1}), full({1, 2}, 7.0))),
            (Values{0, 0, 7, 7, 0, 0}));
  EXPECT_EQ(values(x.index_fill(1, longs({1}, {1}), -1)), (Values{0, -1, 0, -1, 0, -1}));
  EXPECT_MESSAGE(error_of<RuntimeError>([&] { x.index_fill(1, longs({1}, {1}), ones({2})); }),
                 "0-dimensional value tensor");
  EXPECT_MESSAGE(error_of<RuntimeError>([&] {
                   x.index_add(0, index, ones({2, 2}));
                 }),
                 "source of shape [2, 2] does not match self of shape [3, 2]");
}

TEST(ScatterErrors, TypedMessagesAndNothingWritten) {
  Tensor x = iota({2, 3});
  const Values before = values(x);
  // One bad index among good ones: IndexError naming it, and x untouched.
  EXPECT_MESSAGE(error_of<IndexError>([&] {
                   x.scatter_(1, longs({0, 1, 5}, {1, 3}), 9.0);
                 }),
                 "index 5 is out of bounds for dimension 1 with size 3");
  EXPECT_EQ(values(x), before);
  EXPECT_MESSAGE(error_of<IndexError>([&] {
                   x.index_add_(0, longs({0, -1}, {2}), ones({2, 3}));
                 }),
                 "index -1 is out of bounds for dimension 0 with size 2");
  EXPECT_EQ(values(x), before);
  EXPECT_MESSAGE(error_of<IndexError>([&] {
                   gather(x, 0, longs({2}, {1, 1}));
                 }),
                 "[gather] index 2 is out of bounds for dimension 0 with size 2");
  EXPECT_MESSAGE(error_of<RuntimeError>([&] {
                   gather(x, 0, zeros({1, 1}, TensorOptions(kInt32)));
                 }),
                 "gather(): Expected dtype int64 for index");
  EXPECT_MESSAGE(error_of<RuntimeError>([&] { gather(x, 0, longs({0}, {1})); }),
                 "Index tensor must have the same number of dimensions as input tensor");
  EXPECT_MESSAGE(error_of<RuntimeError>([&] {
                   gather(x, 0, longs({0, 0, 0, 0}, {1, 4}));
                 }),
                 "Size does not match at dimension 1");
  EXPECT_MESSAGE(error_of<RuntimeError>([&] {
                   x.scatter_(0, longs({0, 0}, {1, 2}), ones({1, 1}));
                 }),
                 "to be smaller than src");
  EXPECT_MESSAGE(error_of<RuntimeError>([&] {
                   x.scatter_add_(0, longs({0}, {1, 1}), ones({1, 1}, TensorOptions(kFloat64)));
                 }),
                 "Expected self.dtype to be equal to src.dtype");
  Tensor expanded = zeros({3}).expand({2, 3});
  EXPECT_FALSE(error_of<RuntimeError>([&] {
                 expanded.scatter_(0, longs({0}, {1, 1}), 1.0);
               }).empty());
  EXPECT_MESSAGE(error_of<RuntimeError>([&] {
                   x.masked_scatter_(ones({2, 3}, TensorOptions(kBool)), ones({5}));
                 }),
                 "Number of elements of source < number of ones in mask");
  EXPECT_MESSAGE(error_of<RuntimeError>([&] {
                   x.put_(longs({0, 1}, {2}), ones({3}));
                 }),
                 "same number of elements");
  EXPECT_MESSAGE(error_of<IndexError>([&] { x.put_(longs({6}, {1}), ones({1})); }),
                 "index 6 is out of bounds");
  EXPECT_EQ(values(x), before);
}

TEST(NonzeroForms, TupleArgwhereWhere) {
  const Tensor mask = tensor(Values{0, 3, 0, 4}, kFloat32).reshape({2, 2});
  const std::vector<Tensor> parts = where(mask);
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(values(parts[0]), (Values{0, 1}));
  EXPECT_EQ(values(parts[1]), (Values{1, 1}));
  EXPECT_EQ(values(argwhere(mask)), (Values{0, 1, 1, 1}));
  EXPECT_EQ(nonzero_numpy(full({}, 1.0)).size(), 1u);
}

}  // namespace
}  // namespace ember
