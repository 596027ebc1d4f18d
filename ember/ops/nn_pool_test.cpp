// The pooling ops: hand-computed values and indices, PyTorch's output-size rules (ceil mode,
// padding, dilation), unbatched inputs, and each error naming the op and the shapes (gradients:
// python/tests/gradcheck_nn_pool.py, to second order).
#include "ember/ops/nn_pool.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ember/base/error.h"
#include "ember/ops/ops.h"
#include "tests/test_support.h"

namespace ember {
namespace {

using testing::message_of;
using testing::tensor_of;
using testing::values;

std::vector<double> indices_of(const Tensor& t) { return values(t.to(kFloat64)); }

TEST(MaxPool, ValuesAndFlatIndicesPerPlane) {
  // 1 x 1 x 4 x 4; the top-right window holds two 9s.
  const Tensor x = tensor_of({3, 1, 4, 9, 2, 6, 9, 3, 5, 8, 9, 7, 9, 3, 2, 3}, {1, 1, 4, 4});
  const auto [y, indices] = max_pool2d_with_indices(x, 2);
  EXPECT_EQ(y.shape(), Shape({1, 1, 2, 2}));
  EXPECT_EQ(values(y), std::vector<double>({6, 9, 9, 9}));
  EXPECT_EQ(indices.dtype(), kInt64);
  // Ties keep the first maximum in (h, w) order.
  EXPECT_EQ(indices_of(indices), std::vector<double>({5, 3, 12, 10}));
}

TEST(MaxPool, CeilModeDropsAWindowThatStartsInThePadding) {
  const Tensor x = arange(0, 5, TensorOptions(kFloat32)).reshape({1, 1, 5});
  EXPECT_EQ(max_pool1d(x, 2, 2, 0, 1, true).shape(), Shape({1, 1, 3}));
  EXPECT_EQ(max_pool1d(x, 2, 2, 0, 1, false).shape(), Shape({1, 1, 2}));
  // in 6, kernel 2, stride 2, padding 1: the fourth window would start at 6 = in + pad - 1 + 1.
  const Tensor y = arange(0, 6, TensorOptions(kFloat32)).reshape({1, 6});
  EXPECT_EQ(max_pool1d(y, 2, 2, 1, 1, true).shape(), Shape({1, 4}));
  EXPECT_EQ(values(max_pool1d(y, 2, 2, 1, 1, true)), std::vector<double>({0, 2, 4, 5}));
  // Dilation 2: windows {0, 2, 4}, {2, 4, 6}.
  const Tensor z = arange(0, 7, TensorOptions(kFloat32)).reshape({1, 1, 7});
  EXPECT_EQ(values(max_pool1d(z, 3, 2, 0, 2)), std::vector<double>({4, 6}));
}

TEST(AvgPool, CountIncludePadAndDivisorOverride) {
  const Tensor x = ones({1, 1, 3, 3}, TensorOptions(kFloat64));
  // Corner window of a 3x3 kernel with padding 1 holds 4 of 9 elements.
  EXPECT_NEAR(values(avg_pool2d(x, 3, 1, 1))[0], 4.0 / 9.0, 1e-12);
  EXPECT_NEAR(values(avg_pool2d(x, 3, 1, 1, false, false))[0], 1.0, 1e-12);
  EXPECT_NEAR(values(avg_pool2d(x, 3, 1, 1, false, true, 2))[0], 2.0, 1e-12);
}

TEST(AdaptivePool, WindowsCoverFloorToCeil) {
  const Tensor x = arange(0, 5, TensorOptions(kFloat64)).reshape({1, 5});
  // out 3 of in 5: [0, 2), [1, 4), [3, 5).
  EXPECT_EQ(values(adaptive_avg_pool1d(x, 3)), std::vector<double>({0.5, 2.0, 3.5}));
  const auto [y, indices] = adaptive_max_pool1d(x, 3);
  EXPECT_EQ(values(y), std::vector<double>({1, 3, 4}));
  EXPECT_EQ(indices_of(indices), std::vector<double>({1, 3, 4}));
}

TEST(Pooling, UnbatchedAndEmptyBatch) {
  EXPECT_EQ(max_pool2d(ones({3, 4, 4}), 2).shape(), Shape({3, 2, 2}));
  EXPECT_EQ(avg_pool3d(ones({0, 2, 4, 4, 4}), 2).shape(), Shape({0, 2, 2, 2, 2}));
  EXPECT_EQ(adaptive_avg_pool2d(ones({2, 5, 7}), {2, 3}).shape(), Shape({2, 2, 3}));
}

TEST(Pooling, ErrorsNameOpAndShapes) {
  const Tensor x = ones({1, 2, 4, 4});
  const std::string zero_kernel = message_of([&] { max_pool2d(x, 0); });
  EXPECT_NE(zero_kernel.find("[max_pool2d] expected kernel_size greater than zero"),
            std::string::npos)
      << zero_kernel;
  const std::string zero_stride = message_of([&] { avg_pool2d(x, 2, 0); });
  EXPECT_NE(zero_stride.find("[avg_pool2d] expected stride greater than zero"), std::string::npos)
      << zero_stride;
  const std::string padding = message_of([&] { max_pool2d(x, 2, 1, 2); });
  EXPECT_NE(padding.find("at most half of kernel_size"), std::string::npos) << padding;
  const std::string too_small = message_of([&] { max_pool2d(x, 5); });
  EXPECT_NE(too_small.find("[1, 2, 4, 4]"), std::string::npos) << too_small;
  EXPECT_NE(too_small.find("too small"), std::string::npos) << too_small;
  const std::string dims = message_of([&] { max_pool2d(ones({4, 4}), 2); });
  EXPECT_NE(dims.find("got input of shape [4, 4]"), std::string::npos) << dims;
  const std::string sizes = message_of([&] { max_pool2d(x, {2, 2, 2}); });
  EXPECT_NE(sizes.find("kernel_size=[2, 2, 2]"), std::string::npos) << sizes;
  const std::string empty_channel = message_of([&] { max_pool2d(ones({1, 0, 4, 4}), 2); });
  EXPECT_NE(empty_channel.find("non-empty"), std::string::npos) << empty_channel;
  EXPECT_THROW(max_pool1d(arange(6).reshape({1, 6}), 2), TypeError);
  EXPECT_THROW(adaptive_avg_pool1d(ones({1, 4}), -1), RuntimeError);
  EXPECT_THROW(avg_pool2d(x, 2, 2, 0, false, true, 0), RuntimeError);
}

}  // namespace
}  // namespace ember
