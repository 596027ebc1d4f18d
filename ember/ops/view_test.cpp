// Views share storage and compute PyTorch's shapes/strides; copy_, clone and to() cast and
// broadcast; bad view requests raise with PyTorch's messages.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "ember/base/error.h"
#include "ember/ops/ops.h"
#include "tests/test_support.h"

namespace ember {
namespace {

using testing::message_of;
using testing::values;

Tensor iota(IntArrayRef shape) {
  return arange(0, numel_of(shape.to_shape()), 1, TensorOptions(kFloat32)).reshape(shape);
}

TEST(View, ViewsShareStorage) {
  Tensor x = iota({2, 3});
  Tensor v = x.view({3, 2});
  v.select(0, 0).fill_(-1);
  EXPECT_EQ(values(x), (std::vector<double>{-1, -1, 2, 3, 4, 5}));
  EXPECT_EQ(v.storage().get(), x.storage().get());
}

TEST(View, TransposePermuteAndT) {
  Tensor x = iota({2, 3, 4});
  Tensor p = x.permute({2, 0, 1});
  EXPECT_EQ(p.shape(), Shape({4, 2, 3}));
  EXPECT_EQ(p.strides(), Strides({1, 12, 4}));
  EXPECT_FALSE(p.is_contiguous());
  EXPECT_EQ(values(iota({2, 3}).t()), (std::vector<double>{0, 3, 1, 4, 2, 5}));
  EXPECT_EQ(x.transpose(0, -1).shape(), Shape({4, 3, 2}));
}

TEST(View, SliceSelectNarrowWithSteps) {
  Tensor x = iota({10});
  EXPECT_EQ(values(x.slice(0, 1, 8, 3)), (std::vector<double>{1, 4, 7}));
  EXPECT_EQ(values(x.slice(0, -3, std::nullopt)), (std::vector<double>{7, 8, 9}));
  EXPECT_EQ(x.slice(0, 20, 30).numel(), 0);
  EXPECT_EQ(values(x.narrow(0, 2, 3)), (std::vector<double>{2, 3, 4}));
  EXPECT_EQ(x.select(0, -1).item<double>(), 9.0);
}

TEST(View, ExpandSqueezeUnsqueezeFlatten) {
  Tensor x = iota({3, 1});
  Tensor e = x.expand({2, 3, 4});
  EXPECT_EQ(e.strides(), Strides({0, 1, 0}));
  EXPECT_EQ(values(e.sum()), (std::vector<double>{(0 + 1 + 2) * 8.0}));
  EXPECT_EQ(x.squeeze().shape(), Shape({3}));
  EXPECT_EQ(x.unsqueeze(0).shape(), Shape({1, 3, 1}));
  EXPECT_EQ(x.unsqueeze(-1).shape(), Shape({3, 1, 1}));
  EXPECT_EQ(iota({2, 3, 4}).flatten(1).shape(), Shape({2, 12}));
  EXPECT_EQ(iota({2, 12}).unflatten(1, {3, -1}).shape(), Shape({2, 3, 4}));
}

TEST(View, ReshapeCopiesOnlyWhenItMust) {
  Tensor x = iota({2, 3});
  EXPECT_EQ(x.reshape({6}).storage().get(), x.storage().get());
  Tensor transposed = x.t();
  Tensor flat = transposed.reshape({6});
  EXPECT_NE(flat.storage().get(), x.storage().get());
  EXPECT_EQ(values(flat), (std::vector<double>{0, 3, 1, 4, 2, 5}));
}

TEST(View, AsStrided) {
  Tensor x = iota({9});
  Tensor windows = x.as_strided({3, 3}, {3, 1}, 0);
  EXPECT_EQ(values(windows.t()), (std::vector<double>{0, 3, 6, 1, 4, 7, 2, 5, 8}));
  EXPECT_NE(message_of([&] {
              x.as_strided({4, 4}, {4, 1});
            }).find("as_strided"),
            std::string::npos);
  EXPECT_NE(message_of([&] { x.as_strided({3}, {-1}); }).find("Negative strides"),
            std::string::npos);
}

TEST(View, CopyCastsAndBroadcasts) {
  Tensor dst = zeros({2, 3}, kInt32);
  dst.copy_(tensor({1.7, -2.2, 3.9}));
  EXPECT_EQ(dst.dtype(), kInt32);
  EXPECT_EQ(values(dst), (std::vector<double>{1, -2, 3, 1, -2, 3}));
  Tensor halves = tensor({1.0, 2.5, 65504.0, 1e6}).to(kFloat16);
  EXPECT_EQ(values(halves), (std::vector<double>{1, 2.5, 65504, INFINITY}));
  Tensor clone = dst.clone();
  clone.fill_(0);
  EXPECT_EQ(values(dst)[0], 1);
}

TEST(ViewErrors, IncompatibleStridesSuggestReshape) {  // B15
  Tensor x = iota({2, 3}).t();
  EXPECT_NE(message_of([&] { x.view({6}); }).find("Use .reshape(...) instead."), std::string::npos);
}

TEST(ViewErrors, BadDimsAndSizes) {
  Tensor x = iota({2, 3});
  EXPECT_THROW(x.select(0, 2), IndexError);  // B6
  EXPECT_NE(message_of([&] {
              x.select(0, 5);
            }).find("index 5 is out of bounds for dimension 0 with size 2"),
            std::string::npos);
  EXPECT_THROW(x.transpose(0, 2), IndexError);
  EXPECT_THROW(x.permute({0, 0}), RuntimeError);
  EXPECT_NE(message_of([&] {
              x.expand({4, 3});
            }).find("must match the existing size (2)"),
            std::string::npos);
  EXPECT_NE(message_of([] { zeros({2, -1, 3}); }).find("negative dimension"), std::string::npos);
  EXPECT_NE(message_of([] { iota({3}).t().t().view({4}); }).find("invalid for input of size 3"),
            std::string::npos);
}

TEST(Devices, CudaIsReportedUnavailable) {
  EXPECT_FALSE(cuda::is_available());
  EXPECT_NE(message_of([] { zeros({2}).cuda(); }).find("no CUDA support"), std::string::npos);
  EXPECT_NE(message_of([] { zeros({2}, Device(kCUDA)); }).find("no CUDA support"),
            std::string::npos);
}

}  // namespace
}  // namespace ember
