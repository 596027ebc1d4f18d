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

}  // namespace
}  // namespace ember::nn
