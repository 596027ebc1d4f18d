// The pooling layers and ember::nn::functional's pooling: options (ExpandingArray sizes, stride
// defaulting to the kernel, adaptive sizes with nullopt), forwards equal to the ops, indices,
// libtorch's printing, and no parameters.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <tuple>

#include "ember/nn/nn.h"
#include "ember/ops/ops.h"
#include "tests/test_support.h"

namespace ember::nn {
namespace {

namespace F = functional;
using testing::values;

std::string printed(const Module& module) {
  std::ostringstream stream;
  stream << module;
  return stream.str();
}

Tensor counting(IntArrayRef shape) {
  return (arange(0, numel_of(shape.to_shape()), TensorOptions(kFloat64)) * 0.37)
      .sin()
      .reshape(shape);
}

TEST(MaxPoolLayers, ForwardIndicesAndPrinting) {
  const Tensor x = counting({2, 3, 7, 6});
  MaxPool2d pool(MaxPool2dOptions(3).stride(2).padding(1));
  EXPECT_EQ(values(pool(x)), values(max_pool2d(x, 3, 2, 1)));
  const auto [y, indices] = pool->forward_with_indices(x);
  EXPECT_EQ(values(indices), values(std::get<1>(max_pool2d_with_indices(x, 3, 2, 1))));
  EXPECT_EQ(printed(*pool),
            "ember::nn::MaxPool2d(kernel_size=[3, 3], stride=[2, 2], padding=[1, 1], "
            "dilation=[1, 1], ceil_mode=false)");
  EXPECT_TRUE(pool->parameters().empty());
  MaxPool1d pool1d(MaxPool1dOptions(2).ceil_mode(true));
  EXPECT_EQ(pool1d(counting({2, 5})).shape(), Shape({2, 3}));
  MaxPool3d pool3d(2);
  EXPECT_EQ(pool3d(counting({1, 2, 4, 4, 4})).shape(), Shape({1, 2, 2, 2, 2}));
}

TEST(AvgPoolLayers, OptionsReachTheOp) {
  const Tensor x = counting({2, 2, 5, 5});
  AvgPool2d pool(AvgPool2dOptions({2, 3}).padding(1).count_include_pad(false));
  EXPECT_EQ(values(pool(x)), values(avg_pool2d(x, {2, 3}, {2, 3}, 1, false, false)));
  EXPECT_EQ(printed(*pool),
            "ember::nn::AvgPool2d(kernel_size=[2, 3], stride=[2, 3], padding=[1, 1])");
  EXPECT_EQ(values(F::avg_pool3d(counting({1, 1, 4, 4, 4}),
                                 F::AvgPool3dFuncOptions(2).divisor_override(4))),
            values(avg_pool3d(counting({1, 1, 4, 4, 4}), 2, {}, 0, false, true, 4)));
  AvgPool1d pool1d(3);
  EXPECT_EQ(pool1d(counting({3, 9})).shape(), Shape({3, 3}));
}

TEST(AdaptivePoolLayers, NulloptKeepsTheInputSize) {
  const Tensor x = counting({2, 3, 5, 7});
  AdaptiveAvgPool2d pool(AdaptiveAvgPool2dOptions({2, std::nullopt}));
  EXPECT_EQ(pool(x).shape(), Shape({2, 3, 2, 7}));
  EXPECT_EQ(printed(*pool), "ember::nn::AdaptiveAvgPool2d(output_size=[2, None])");
  AdaptiveMaxPool2d max_pool(3);
  const auto [y, indices] = max_pool->forward_with_indices(x);
  EXPECT_EQ(values(y), values(std::get<0>(adaptive_max_pool2d(x, 3))));
  EXPECT_EQ(indices.dtype(), kInt64);
  EXPECT_EQ(AdaptiveAvgPool1d(4)(counting({2, 9})).shape(), Shape({2, 4}));
  EXPECT_EQ(AdaptiveMaxPool1d(2)(counting({2, 9})).shape(), Shape({2, 2}));
  EXPECT_EQ(AdaptiveAvgPool3d(1)(counting({1, 2, 3, 3, 3})).shape(), Shape({1, 2, 1, 1, 1}));
  EXPECT_EQ(values(F::adaptive_max_pool1d(counting({2, 9}), F::AdaptiveMaxPool1dFuncOptions(3))),
            values(std::get<0>(adaptive_max_pool1d(counting({2, 9}), 3))));
}

TEST(MaxUnpoolLayers, InvertMaxPoolAndPrint) {
  const Tensor x = counting({2, 3, 6, 5});
  MaxPool2d pool(MaxPool2dOptions(2).stride(2));
  const auto [y, indices] = pool->forward_with_indices(x);
  MaxUnpool2d unpool(MaxUnpool2dOptions(2).stride(2));
  // The default size is 6 x 4; output_size asks for the pool input's 6 x 5.
  const Tensor restored = unpool(y, indices, std::vector<int64_t>{6, 5});
  EXPECT_EQ(restored.shape(), Shape({2, 3, 6, 5}));
  EXPECT_EQ(values(restored), values(max_unpool2d(y, indices, {6, 5})));
  // Without it, the indices of the 6 x 5 planes do not fit the default 6 x 4 ones.
  EXPECT_THROW(unpool(y, indices), RuntimeError);
  EXPECT_EQ(printed(*unpool),
            "ember::nn::MaxUnpool2d(kernel_size=[2, 2], stride=[2, 2], padding=[0, 0])");
  EXPECT_TRUE(unpool->parameters().empty());
  const auto [y1, indices1] = max_pool1d_with_indices(counting({2, 3, 8}), 2);
  EXPECT_EQ(MaxUnpool1d(2)(y1, indices1).shape(), Shape({2, 3, 8}));
  EXPECT_EQ(
      values(F::max_unpool1d(
          y1, indices1, F::MaxUnpool1dFuncOptions(2).output_size(std::vector<int64_t>{2, 3, 9}))),
      values(max_unpool1d_functional(y1, indices1, 2, {}, 0, std::vector<int64_t>{9})));
  const auto [y3, indices3] = max_pool3d_with_indices(counting({1, 2, 4, 4, 4}), 2);
  MaxUnpool3d unpool3d(MaxUnpool3dOptions(2).padding(0));
  EXPECT_EQ(unpool3d(y3, indices3).shape(), Shape({1, 2, 4, 4, 4}));
}

}  // namespace
}  // namespace ember::nn
