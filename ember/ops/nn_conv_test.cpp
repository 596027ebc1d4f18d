// The convolutions: conv2d against a direct sum, the oneDNN float32 passes against the im2col
// reference kernel, conv_transpose as the adjoint of conv, and every error naming the op and the
// shapes.
#include "ember/ops/nn_conv.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ember/backend/cpu/conv.h"
#include "ember/base/error.h"
#include "ember/ops/ops.h"
#include "tests/test_support.h"

namespace ember {
namespace {

using testing::message_of;
using testing::values;

Tensor uniform(IntArrayRef shape, ScalarType dtype = kFloat64) {
  Tensor t = empty(shape, dtype);
  t.uniform_(-1.0, 1.0);
  return t;
}

// y[n, o, i, j] = sum over c, a, b of x[n, g * cg + c, i * s - p + a * d, j * s - p + b * d] w[o,
// c, a, b].
std::vector<double> direct_conv2d(const Tensor& x, const Tensor& w, int64_t stride, int64_t pad,
                                  int64_t dilation, int64_t groups, const Shape& out) {
  const std::vector<double> xv = values(x), wv = values(w);
  const int64_t channels = x.size(1), height = x.size(2), width = x.size(3);
  const int64_t group_in = w.size(1), group_out = w.size(0) / groups;
  const int64_t kh = w.size(2), kw = w.size(3);
  std::vector<double> result;
  for (int64_t n = 0; n < out[0]; ++n) {
    for (int64_t o = 0; o < out[1]; ++o) {
      for (int64_t i = 0; i < out[2]; ++i) {
        for (int64_t j = 0; j < out[3]; ++j) {
          double sum = 0;
          const int64_t g = o / group_out;
          for (int64_t c = 0; c < group_in; ++c) {
            for (int64_t a = 0; a < kh; ++a) {
              for (int64_t b = 0; b < kw; ++b) {
                const int64_t r = i * stride - pad + a * dilation;
                const int64_t q = j * stride - pad + b * dilation;
                if (r < 0 || r >= height || q < 0 || q >= width) continue;
                sum += xv[((n * channels + g * group_in + c) * height + r) * width + q] *
                       wv[((o * group_in + c) * kh + a) * kw + b];
              }
            }
          }
          result.push_back(sum);
        }
      }
    }
  }
  return result;
}

void expect_close(const std::vector<double>& actual, const std::vector<double>& expected,
                  double tolerance) {
  ASSERT_EQ(actual.size(), expected.size());
  for (size_t i = 0; i < actual.size(); ++i) {
    EXPECT_NEAR(actual[i], expected[i], tolerance) << "at " << i;
  }
}

TEST(Conv2d, MatchesTheDirectSum) {
  struct Case {
    int64_t stride, pad, dilation, groups;
  };
  for (const Case& c :
       {Case{1, 0, 1, 1}, Case{2, 1, 1, 1}, Case{1, 2, 2, 1}, Case{2, 1, 1, 2}, Case{1, 1, 1, 4}}) {
    for (ScalarType dtype : {kFloat64, kFloat32}) {
      const Tensor x = uniform({2, 4, 7, 6}, dtype);
      const Tensor w = uniform({4, 4 / c.groups, 3, 2}, dtype);
      const Tensor y = conv2d(x, w, std::nullopt, c.stride, c.pad, c.dilation, c.groups);
      expect_close(values(y), direct_conv2d(x, w, c.stride, c.pad, c.dilation, c.groups, y.shape()),
                   dtype == kFloat64 ? 1e-12 : 1e-5);
    }
  }
}

TEST(Conv2d, SamePaddingKeepsTheSizeWithAnEvenKernel) {
  const Tensor x = uniform({1, 2, 5, 6});
  const Tensor w = uniform({3, 2, 2, 4});
  const Tensor y = conv2d(x, w, std::nullopt, 1, "same");
  EXPECT_EQ(y.sizes(), (std::vector<int64_t>{1, 3, 5, 6}));
  // PyTorch pads the extra element after: the same as padding (0, 1) before and (1, 2) after.
  const Tensor padded = zeros({1, 2, 6, 9}, kFloat64);
  padded.narrow(2, 0, 5).narrow(3, 1, 6).copy_(x);
  expect_close(values(y), values(conv2d(padded, w)), 1e-12);
  EXPECT_EQ(conv2d(x, w, std::nullopt, 1, "valid").sizes(), (std::vector<int64_t>{1, 3, 4, 3}));
}

// The float32 passes of every kind of geometry through oneDNN equal the im2col reference.
TEST(Conv, OneDnnPassesEqualTheReference) {
  struct Case {
    Shape x, w;
    ConvGeometry geometry;
  };
  const std::vector<Case> cases{
      {{2, 3, 9}, {4, 3, 3}, {{2}, {1}, {1}, {1}, 1}},
      {{2, 4, 8, 7}, {6, 2, 3, 3}, {{1, 2}, {2, 1}, {1, 0}, {2, 1}, 2}},
      {{3, 8, 6, 6}, {8, 1, 3, 3}, {{1, 1}, {1, 1}, {1, 1}, {1, 1}, 8}},
      {{1, 2, 5, 4, 6}, {3, 2, 2, 3, 2}, {{1, 2, 1}, {1, 1, 2}, {0, 1, 1}, {1, 1, 0}, 1}},
  };
  for (const Case& c : cases) {
    const Tensor x = uniform(c.x, kFloat32);
    const Tensor w = uniform(c.w, kFloat32);
    const Tensor y = conv_forward(x, w, c.geometry);
    const Tensor expected_y = empty(y.shape(), kFloat32);
    cpu::conv_reference(ConvPass::Forward, c.geometry, x, w, expected_y);
    expect_close(values(y), values(expected_y), 1e-5);

    const Tensor grad_y = uniform(y.shape(), kFloat32);
    const Shape x_spatial(c.x.begin() + 2, c.x.end());
    const Shape w_spatial(c.w.begin() + 2, c.w.end());
    const Tensor expected_x = empty(c.x, kFloat32);
    cpu::conv_reference(ConvPass::BackwardData, c.geometry, expected_x, w, grad_y);
    expect_close(values(conv_backward_input(grad_y, w, x_spatial, c.geometry)), values(expected_x),
                 1e-5);
    const Tensor expected_w = empty(c.w, kFloat32);
    cpu::conv_reference(ConvPass::BackwardWeight, c.geometry, x, expected_w, grad_y);
    expect_close(values(conv_backward_weight(x, grad_y, w_spatial, c.geometry)), values(expected_w),
                 1e-4);
  }
}

// <conv(x, w), g> == <x, conv_transpose(g, w)>, with output_padding making up the sizes stride
// drops.
TEST(ConvTranspose, IsTheAdjointOfConv) {
  const Tensor x = uniform({2, 4, 9, 8});
  const Tensor w = uniform({6, 2, 3, 2});
  const Tensor y = conv2d(x, w, std::nullopt, {2, 3}, {1, 0}, {1, 2}, 2);
  const Tensor g = uniform(y.shape());
  const Tensor back = conv_transpose2d(g, w, std::nullopt, {2, 3}, {1, 0}, {0, 2}, 2, {1, 2});
  EXPECT_EQ(back.sizes(), x.sizes());
  EXPECT_NEAR(values((y * g).sum())[0], values((x * back).sum())[0], 1e-10);
}

TEST(Conv, EmptyBatchAndUnbatchedInput) {
  const Tensor w = uniform({3, 2, 3});
  EXPECT_EQ(conv1d(uniform({0, 2, 5}), w).sizes(), (std::vector<int64_t>{0, 3, 3}));
  const Tensor x = uniform({2, 5});
  expect_close(values(conv1d(x, w)), values(conv1d(x.unsqueeze(0), w)), 0);
  EXPECT_EQ(conv_transpose1d(x, uniform({2, 4, 3})).sizes(), (std::vector<int64_t>{4, 7}));
}

TEST(Conv, BadInputsNameTheOpAndShapes) {
  const Tensor x = uniform({1, 4, 5, 5});
  const Tensor w = uniform({6, 2, 3, 3});
  const auto throws = [](auto fn, const std::string& needle) {
    const std::string message = message_of(fn);
    EXPECT_NE(message.find(needle), std::string::npos) << message;
  };
  throws([&] { conv2d(x, w); }, "[conv2d] expected input with 2 channels");
  throws([&] { conv2d(x, w, std::nullopt, 1, 0, 1, 4); }, "divisible by groups=4");
  throws([&] { conv2d(x, uniform({6, 4, 7, 7})); }, "at least the dilated kernel size (7)");
  throws(
      [&] {
        conv2d(x, uniform({6, 4, 3, 3}), std::nullopt, 1, -1);
      },
      "[conv2d] negative padding is not supported");
  throws([&] { conv2d(uniform({4, 5}), w); }, "[conv2d] expected 3-D (unbatched) or 4-D");
  throws(
      [&] {
        conv2d(x, uniform({6, 4, 3}));
      },
      "[conv2d] expected 4-D weight; got weight of shape [6, 4, 3]");
  throws(
      [&] {
        conv2d(x, uniform({6, 4, 3, 3}), std::nullopt, 2, "same");
      },
      "padding='same' is not supported for strided convolutions");
  throws(
      [&] {
        conv2d(x, uniform({6, 4, 3, 3}), std::nullopt, 1, "full");
      },
      "expected padding 'same' or 'valid'");
  throws([&] { conv2d(x, uniform({6, 4, 3, 3}), uniform({5})); }, "expected bias of shape [6]");
  throws([&] { conv2d(x, uniform({6, 4, 3, 3}, kFloat32)); }, "of one dtype");
  throws(
      [&] {
        conv_transpose2d(x, uniform({3, 2, 3, 3}));
      },
      "[conv_transpose2d] expected weight with 4 in dim 0");
  throws(
      [&] {
        conv_transpose2d(x, uniform({4, 2, 3, 3}), std::nullopt, 1, 0, 1);
      },
      "expected output_padding smaller than stride or dilation");
  EXPECT_THROW(conv2d(x, w), RuntimeError);
  EXPECT_THROW(conv2d(x, uniform({6, 4, 3, 3}, kFloat32)), TypeError);
  EXPECT_THROW(conv2d(x, uniform({6, 4, 3, 3}), std::nullopt, 1, "full"), ValueError);
}

}  // namespace
}  // namespace ember
