// The shape family from C++: libtorch's overloads, cat's kernel on every layout and thread
// count, views that alias, bad inputs (gradients: autograd/shape_gradcheck_test.cpp).
#include <gtest/gtest.h>

#include <vector>

#include "ember/base/error.h"
#include "ember/base/parallel.h"
#include "ember/ops/ops.h"
#include "ember/ops/shape.h"
#include "tests/test_support.h"

namespace ember {
namespace {

using testing::message_of;
using testing::values;

Tensor iota(IntArrayRef shape, ScalarType dtype = kFloat32) {
  return arange(0, numel_of(shape.to_shape()), 1, TensorOptions(dtype)).reshape(shape);
}

TEST(ShapeOps, CatOverloadsAndPromotion) {
  const Tensor a = iota({2, 2}), b = iota({2, 1}, kInt64);
  const Tensor joined = cat({a, b}, 1);
  EXPECT_EQ(joined.dtype(), kFloat32);
  EXPECT_EQ(values(joined), (std::vector<double>{0, 1, 0, 2, 3, 1}));
  const std::vector<Tensor> list = {a, a};
  EXPECT_EQ(cat(list).sizes(), (std::vector<int64_t>{4, 2}));
  EXPECT_EQ(concat(list, -1).sizes(), (std::vector<int64_t>{2, 4}));
  EXPECT_EQ(cat({a, empty({0}), a}).sizes(), (std::vector<int64_t>{4, 2}));
}

TEST(ShapeOps, CatKernelMatchesCopiesOnEveryLayoutAndThreadCount) {
  const int threads = get_num_threads();
  const Tensor base = iota({300, 700});
  const std::vector<Tensor> parts = {base.narrow(1, 0, 100),
                                     base.t().contiguous().t().narrow(1, 100, 1),
                                     base.narrow(1, 101, 599).contiguous()};
  for (int count : {1, 2}) {
    set_num_threads(count);
    EXPECT_TRUE(equal(cat(parts, 1), base));
    EXPECT_TRUE(equal(stack({base, base}, 2).select(2, 1), base));
  }
  set_num_threads(threads);
}

TEST(ShapeOps, SplitsAreViews) {
  Tensor x = iota({5, 2});
  const std::vector<Tensor> pieces = x.split(2);
  ASSERT_EQ(pieces.size(), 3u);
  EXPECT_EQ(pieces[2].sizes(), (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(split(x, {1, 4}, 0)[1].sizes(), (std::vector<int64_t>{4, 2}));
  EXPECT_EQ(x.chunk(2, 1).size(), 2u);
  EXPECT_EQ(x.unbind(1)[1].sizes(), (std::vector<int64_t>{5}));
  EXPECT_EQ(x.tensor_split(3).size(), 3u);
  EXPECT_EQ(x.tensor_split({1, 3}).size(), 3u);
  x.fill_(4);
  EXPECT_EQ(values(pieces[0]), (std::vector<double>{4, 4, 4, 4}));
  EXPECT_EQ(x.diagonal().storage().get(), x.storage().get());
  EXPECT_EQ(x.unfold(0, 2, 1).storage().get(), x.storage().get());
}

TEST(ShapeOps, RearrangingValues) {
  const Tensor x = iota({2, 3});
  EXPECT_EQ(values(x.flip({1})), (std::vector<double>{2, 1, 0, 5, 4, 3}));
  EXPECT_EQ(values(x.roll({1}, {1})), (std::vector<double>{2, 0, 1, 5, 3, 4}));
  EXPECT_EQ(values(x.roll(1)), (std::vector<double>{5, 0, 1, 2, 3, 4}));
  EXPECT_EQ(values(x.rot90()), (std::vector<double>{2, 5, 1, 4, 0, 3}));
  EXPECT_EQ(x.repeat({2, 1, 2}).sizes(), (std::vector<int64_t>{2, 2, 6}));
  EXPECT_EQ(values(x.repeat_interleave(2, 1).select(0, 0)),
            (std::vector<double>{0, 0, 1, 1, 2, 2}));
  EXPECT_EQ(x.movedim(0, 1).sizes(), (std::vector<int64_t>{3, 2}));
  EXPECT_EQ(values(x.tril()), (std::vector<double>{0, 0, 0, 3, 4, 0}));
  EXPECT_EQ(values(x.triu(1)), (std::vector<double>{0, 1, 2, 0, 0, 5}));
  EXPECT_EQ(values(diag(iota({2}), 1)), (std::vector<double>{0, 0, 0, 0, 0, 1, 0, 0, 0}));
  const auto grids = meshgrid({iota({2}), iota({3})}, "xy");
  EXPECT_EQ(grids[0].sizes(), (std::vector<int64_t>{3, 2}));
}

TEST(ShapeOps, BadInputs) {
  EXPECT_NE(message_of([] {
              cat({iota({2, 2}), iota({3, 3})}, 0);
            })
                .find("Sizes of tensors must match except in dimension 0. Expected size 2 but "
                      "got size 3 for tensor number 1"),
            std::string::npos);
  EXPECT_NE(message_of([] { cat(std::vector<Tensor>{}); }).find("[cat] expected a non-empty"),
            std::string::npos);
  EXPECT_THROW(cat({iota({2})}, 1), IndexError);
  EXPECT_NE(message_of([] {
              split(iota({5}), {2, 2});
            }).find("sum exactly to 5"),
            std::string::npos);
  EXPECT_NE(message_of([] { iota({2}).tril(); }).find("[tril]"), std::string::npos);
  EXPECT_THROW(meshgrid({iota({2})}, "yx"), ValueError);
}

}  // namespace
}  // namespace ember
