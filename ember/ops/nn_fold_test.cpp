// pixel_shuffle / pixel_unshuffle and im2col / col2im: values against explicit loops, the two
// pairs inverting (or adjoining) each other, and the errors naming the shapes.
#include "ember/ops/nn_fold.h"

#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <vector>

#include "ember/base/error.h"
#include "ember/ops/ops.h"
#include "tests/test_support.h"

namespace ember {
namespace {

using testing::message_of;
using testing::values;

Tensor counting(IntArrayRef shape) {
  return arange(0, numel_of(shape.to_shape()), TensorOptions(kFloat64)).reshape(shape);
}

TEST(PixelShuffle, MovesChannelGroupsIntoBlocks) {
  const Tensor x = counting({1, 4, 1, 2});
  // out[0, 0, i, j] = x[0, (i % 2) * 2 + j % 2, i / 2, j / 2]
  EXPECT_EQ(values(pixel_shuffle(x, 2)), (std::vector<double>{0, 2, 1, 3, 4, 6, 5, 7}));
  const Tensor y = counting({2, 3, 8, 4, 6});
  EXPECT_TRUE(equal(pixel_unshuffle(pixel_shuffle(y, 2), 2), y));
  EXPECT_EQ(pixel_unshuffle(y, 2).shape(), (Shape{2, 3, 32, 2, 3}));
}

TEST(PixelShuffle, ErrorsNameTheShape) {
  EXPECT_NE(message_of([] {
              pixel_shuffle(counting({4, 2}), 2);
            }).find("at least 3"),
            std::string::npos);
  EXPECT_NE(message_of([] {
              pixel_shuffle(counting({1, 5, 2, 2}), 2);
            }).find("[1, 5, 2, 2]"),
            std::string::npos);
  EXPECT_THROW(pixel_shuffle(counting({1, 4, 2, 2}), 0), RuntimeError);
  EXPECT_THROW(pixel_unshuffle(counting({1, 1, 3, 2}), 2), RuntimeError);
}

// The block values of im2col, by explicit loops over (c, ki, kj) rows and (by, bx) columns.
std::vector<double> reference_unfold(const Tensor& x, int64_t k, int64_t d, int64_t p, int64_t s) {
  const std::vector<double> v = values(x);
  const int64_t c = x.size(0), h = x.size(1), w = x.size(2);
  const int64_t bh = (h + 2 * p - d * (k - 1) - 1) / s + 1;
  const int64_t bw = (w + 2 * p - d * (k - 1) - 1) / s + 1;
  std::vector<double> result;
  for (int64_t ch = 0; ch < c; ++ch) {
    for (int64_t ki = 0; ki < k; ++ki) {
      for (int64_t kj = 0; kj < k; ++kj) {
        for (int64_t by = 0; by < bh; ++by) {
          for (int64_t bx = 0; bx < bw; ++bx) {
            const int64_t y = by * s + ki * d - p, xx = bx * s + kj * d - p;
            const bool inside = y >= 0 && y < h && xx >= 0 && xx < w;
            result.push_back(inside ? v[(ch * h + y) * w + xx] : 0.0);
          }
        }
      }
    }
  }
  return result;
}

TEST(Fold, UnfoldMatchesLoopsAndFoldIsItsAdjoint) {
  const Tensor x = counting({2, 5, 6});
  for (const auto& [k, d, p, s] :
       {std::tuple{2, 1, 0, 1}, std::tuple{3, 2, 1, 2}, std::tuple{2, 1, 2, 3}}) {
    const Tensor columns = im2col(x, {k, k}, {d, d}, {p, p}, {s, s});
    EXPECT_EQ(values(columns), reference_unfold(x, k, d, p, s));
    // <unfold(x), c> == <x, fold(c)> for any c.
    const Tensor c = counting(columns.shape()) * 0.5 - 3;
    const Tensor folded = col2im(c, {5, 6}, {k, k}, {d, d}, {p, p}, {s, s});
    EXPECT_NEAR(sum(columns * c).item<double>(), sum(x * folded).item<double>(), 1e-9);
  }
  EXPECT_EQ(im2col(counting({3, 2, 5, 6}), {2, 3}, {1, 1}, {0, 0}, {1, 1}).shape(),
            (Shape{3, 12, 16}));
}

TEST(Fold, AnEmptyBatchUnfoldsAndFolds) {
  const Tensor columns = im2col(zeros({0, 3, 4, 5}), {2, 2}, {1, 1}, {1, 1}, {1, 1});
  EXPECT_EQ(columns.shape(), (Shape{0, 12, 30}));
  EXPECT_EQ(col2im(columns, {4, 5}, {2, 2}, {1, 1}, {1, 1}, {1, 1}).shape(), (Shape{0, 3, 4, 5}));
}

TEST(Fold, ErrorsNameTheShapes) {
  EXPECT_NE(message_of([] {
              im2col(counting({1, 1, 2, 2, 2}), {1, 1}, {1, 1}, {0, 0}, {1, 1});
            }).find("5D"),
            std::string::npos);
  EXPECT_NE(message_of([] {
              im2col(counting({1, 2, 2}), {3, 3}, {1, 1}, {0, 0}, {1, 1});
            }).find("at least one"),
            std::string::npos);
  EXPECT_THROW(im2col(counting({1, 2, 2}), {0, 1}, {1, 1}, {0, 0}, {1, 1}), RuntimeError);
  EXPECT_NE(message_of([] {
              col2im(counting({1, 5, 4}), {3, 3}, {2, 2}, {1, 1}, {0, 0}, {1, 1});
            }).find("divisible by the product of kernel_size"),
            std::string::npos);
  EXPECT_NE(message_of([] {
              col2im(counting({1, 4, 5}), {3, 3}, {2, 2}, {1, 1}, {0, 0}, {1, 1});
            }).find("sliding blocks 2 * 2 = 4"),
            std::string::npos);
  EXPECT_THROW(col2im(counting({4}), {3, 3}, {2, 2}, {1, 1}, {0, 0}, {1, 1}), RuntimeError);
}

}  // namespace
}  // namespace ember
