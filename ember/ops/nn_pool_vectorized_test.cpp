// Max pooling on the shapes the ISA row kernels take (2x2 / 3x3 windows, stride 1 or 2) and the
// edges around them (odd sizes, ceil mode, padding, dilation, non-contiguous inputs, NaNs, ties,
// -inf): values and indices must equal a plain window-by-window reference that follows PyTorch's
// rules (first maximum in (d, h, w) order wins, a NaN is the maximum, the index starts at the
// window's first valid position).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "ember/ops/nn_pool.h"
#include "ember/ops/ops.h"
#include "tests/test_support.h"

namespace ember {
namespace {

using testing::tensor_of;
using testing::values;

int64_t count_of(const Shape& shape) {
  int64_t count = 1;
  for (int64_t size : shape) count *= size;
  return count;
}

struct Geometry {
  int64_t kernel, stride, padding, dilation;
  bool ceil_mode;
};

// Values with ties (small integers), a few NaNs and -infs, in row-major order.
std::vector<double> tricky_values(int64_t n, uint32_t seed) {
  std::vector<double> data(static_cast<size_t>(n));
  uint32_t state = seed;
  for (double& v : data) {
    state = state * 1664525u + 1013904223u;
    const uint32_t r = state >> 8;
    v = static_cast<double>(static_cast<int>(r % 9) - 4);
    if (r % 97 == 0) v = std::numeric_limits<double>::quiet_NaN();
    if (r % 89 == 0) v = -std::numeric_limits<double>::infinity();
  }
  return data;
}

// Reference max_pool2d over a contiguous (planes, H, W) float64 copy of x, for outputs of size
// (out_h, out_w): values then flat indices, one pair per output.
void reference(const Tensor& x, const Geometry& g, int64_t out_h, int64_t out_w,
               std::vector<double>& best, std::vector<double>& where) {
  const int64_t in_h = x.size(-2);
  const int64_t in_w = x.size(-1);
  const std::vector<double> data = values(x);
  const int64_t planes = static_cast<int64_t>(data.size()) / (in_h * in_w);
  for (int64_t p = 0; p < planes; ++p) {
    for (int64_t oh = 0; oh < out_h; ++oh) {
      for (int64_t ow = 0; ow < out_w; ++ow) {
        double value = -std::numeric_limits<double>::infinity();
        int64_t index = -1;
        for (int64_t kh = 0; kh < g.kernel; ++kh) {
          const int64_t h = oh * g.stride - g.padding + kh * g.dilation;
          if (h < 0 || h >= in_h) continue;
          for (int64_t kw = 0; kw < g.kernel; ++kw) {
            const int64_t w = ow * g.stride - g.padding + kw * g.dilation;
            if (w < 0 || w >= in_w) continue;
            const double candidate = data[static_cast<size_t>((p * in_h + h) * in_w + w)];
            if (index < 0) index = h * in_w + w;
            if (candidate > value || std::isnan(candidate)) {
              value = candidate;
              index = h * in_w + w;
            }
          }
        }
        best.push_back(value);
        where.push_back(static_cast<double>(index));
      }
    }
  }
}

void expect_same_values(const std::vector<double>& actual, const std::vector<double>& expected) {
  ASSERT_EQ(actual.size(), expected.size());
  for (size_t i = 0; i < actual.size(); ++i) {
    if (std::isnan(expected[i])) {
      EXPECT_TRUE(std::isnan(actual[i])) << "at " << i;
    } else {
      EXPECT_EQ(actual[i], expected[i]) << "at " << i;
    }
  }
}

void check_pool(const Tensor& x, const Geometry& g) {
  SCOPED_TRACE(::testing::Message() << "input " << x.shape() << " kernel " << g.kernel << " stride "
                                    << g.stride << " padding " << g.padding << " dilation "
                                    << g.dilation << " ceil " << g.ceil_mode);
  const auto [y, indices] =
      max_pool2d_with_indices(x, g.kernel, g.stride, g.padding, g.dilation, g.ceil_mode);
  std::vector<double> best, where;
  reference(x, g, y.size(-2), y.size(-1), best, where);
  expect_same_values(values(y), best);
  EXPECT_EQ(values(indices), where);
}

const Geometry kGeometries[] = {
    {2, 2, 0, 1, false}, {2, 2, 0, 1, true},  {3, 2, 0, 1, false}, {3, 2, 1, 1, false},
    {3, 2, 1, 1, true},  {3, 1, 0, 1, false}, {3, 1, 1, 1, false}, {2, 1, 0, 1, false},
    {3, 2, 1, 2, false}, {3, 2, 1, 2, true},  {5, 3, 2, 1, true},  {4, 4, 1, 1, false},
    {2, 2, 1, 3, false},
};

TEST(MaxPoolVectorized, MatchesTheReferenceOnEvenAndOddSizes) {
  for (const Shape& shape : {Shape{2, 3, 28, 28}, Shape{1, 2, 27, 29}, Shape{2, 1, 33, 35},
                             Shape{3, 1, 7, 40}, Shape{1, 1, 5, 5}}) {
    const Tensor x = tensor_of(tricky_values(count_of(shape), 7), shape);
    for (const Geometry& g : kGeometries) {
      if (g.padding * 2 > g.kernel || (shape[2] + 2 * g.padding) < g.dilation * (g.kernel - 1) + 1)
        continue;
      check_pool(x, g);
    }
  }
}

TEST(MaxPoolVectorized, Float64AndNonContiguousInputs) {
  const Shape shape{2, 3, 29, 31};
  const Tensor x = tensor_of(tricky_values(count_of(shape), 11), shape, kFloat64);
  for (const Geometry& g : kGeometries) {
    if (g.padding * 2 > g.kernel) continue;
    check_pool(x, g);
    check_pool(x.transpose(2, 3), g);
    check_pool(x.slice(3, 1, 30, 2), g);
    check_pool(x.to(kFloat32).transpose(0, 1), g);
  }
}

TEST(MaxPoolVectorized, AllNaNAndAllMinusInfinityWindows) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> data(2 * 8 * 8, -inf);
  for (size_t i = 64; i < data.size(); ++i) data[i] = nan;
  data[3] = 1.0;
  const Tensor x = tensor_of(data, {2, 8, 8});
  for (const Geometry& g : kGeometries) {
    if (g.padding * 2 > g.kernel) continue;
    check_pool(x, g);
  }
}

}  // namespace
}  // namespace ember
