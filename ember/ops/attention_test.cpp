// scaled_dot_product_attention: values against explicit loops, masks, is_causal, scale, GQA,
// fully masked rows, the fused kernel against the math composite, and every error path.
#include "ember/ops/attention.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "ember/base/error.h"
#include "ember/ops/nn_activation.h"
#include "ember/ops/ops.h"
#include "ember/ops/shape.h"
#include "tests/test_support.h"

namespace ember {
namespace {

using testing::message_of;
using testing::tensor_of;
using testing::values;

Tensor uniform(IntArrayRef shape, ScalarType dtype = kFloat64) {
  Tensor t = empty(shape, dtype);
  t.uniform_(-1.0, 1.0);
  return t;
}

// softmax(q k^T scale, keeping keep(i, j)) v for 2-D q (L, E), k (S, E), v (S, Ev).
template <typename Keep>
std::vector<double> by_loops(const Tensor& q, const Tensor& k, const Tensor& v, double scale,
                             Keep keep) {
  const int64_t L = q.size(0), S = k.size(0), E = q.size(1), Ev = v.size(1);
  const std::vector<double> qv = values(q), kv = values(k), vv = values(v);
  std::vector<double> out(L * Ev, 0.0);
  for (int64_t i = 0; i < L; ++i) {
    std::vector<double> w(S, 0.0);
    double max = -std::numeric_limits<double>::infinity(), total = 0.0;
    for (int64_t j = 0; j < S; ++j) {
      double dot = 0.0;
      for (int64_t e = 0; e < E; ++e) dot += qv[i * E + e] * kv[j * E + e];
      w[j] = keep(i, j) ? dot * scale : -std::numeric_limits<double>::infinity();
      max = std::max(max, w[j]);
    }
    if (std::isinf(max)) continue;
    for (int64_t j = 0; j < S; ++j) total += w[j] = std::exp(w[j] - max);
    for (int64_t j = 0; j < S; ++j) {
      for (int64_t e = 0; e < Ev; ++e) out[i * Ev + e] += w[j] / total * vv[j * Ev + e];
    }
  }
  return out;
}

void expect_near(const std::vector<double>& got, const std::vector<double>& want, double tol) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], tol) << "at " << i;
}

TEST(Attention, MatchesLoopsWithDefaultScaleAndCausalMask) {
  const Tensor q = uniform({3, 4}), k = uniform({5, 4}), v = uniform({5, 2});
  const double scale = 0.5;  // 1 / sqrt(4)
  expect_near(values(scaled_dot_product_attention(q, k, v)),
              by_loops(q, k, v, scale, [](int64_t, int64_t) { return true; }), 1e-12);
  expect_near(values(scaled_dot_product_attention(q, k, v, {}, 0.0, true)),
              by_loops(q, k, v, scale, [](int64_t i, int64_t j) { return j <= i; }), 1e-12);
  expect_near(values(scaled_dot_product_attention(q, k, v, {}, 0.0, false, 0.25)),
              by_loops(q, k, v, 0.25, [](int64_t, int64_t) { return true; }), 1e-12);
}

TEST(Attention, BoolMaskKeepsTrueAndAFullyMaskedRowGivesZeros) {
  const Tensor q = uniform({2, 3}), k = uniform({3, 3}), v = uniform({3, 2});
  const Tensor mask = tensor_of({1, 0, 1, 0, 0, 0}, {2, 3}, kBool);
  const std::vector<double> got = values(scaled_dot_product_attention(q, k, v, mask));
  const std::vector<double> want = by_loops(q, k, v, 1.0 / std::sqrt(3.0),
                                            [](int64_t i, int64_t j) { return i == 0 && j != 1; });
  expect_near(got, want, 1e-12);
  EXPECT_EQ(got[2], 0.0);
  EXPECT_EQ(got[3], 0.0);
}

TEST(Attention, FloatMaskIsAddedAndBroadcasts) {
  const Tensor q = uniform({2, 3, 4}), k = uniform({2, 5, 4}), v = uniform({2, 5, 3});
  const Tensor bias = uniform({5});
  const Tensor want = std::get<0>(_scaled_dot_product_attention_math(q, k, v, bias));
  const Tensor scores = matmul(q, k.transpose(-2, -1)) * 0.5 + bias;
  expect_near(values(scaled_dot_product_attention(q, k, v, bias)),
              values(matmul(softmax(scores, -1), v)), 1e-12);
  expect_near(values(want), values(matmul(softmax(scores, -1), v)), 1e-12);
}

TEST(Attention, GroupedQueryHeadsShareKeyAndValueHeads) {
  const Tensor q = uniform({1, 4, 3, 2}), k = uniform({1, 2, 5, 2}), v = uniform({1, 2, 5, 3});
  const Tensor got = scaled_dot_product_attention(q, k, v, {}, 0.0, false, std::nullopt, true);
  const Tensor want =
      scaled_dot_product_attention(q, repeat_interleave(k, 2, 1), repeat_interleave(v, 2, 1));
  EXPECT_EQ(got.shape(), (Shape{1, 4, 3, 3}));
  expect_near(values(got), values(want), 1e-12);
}

TEST(Attention, EmptyShapes) {
  EXPECT_EQ(scaled_dot_product_attention(uniform({2, 0, 4}), uniform({2, 5, 4}), uniform({2, 5, 3}))
                .shape(),
            (Shape{2, 0, 3}));
  const Tensor no_keys =
      scaled_dot_product_attention(uniform({2, 3, 4}), uniform({2, 0, 4}), uniform({2, 0, 3}));
  EXPECT_EQ(no_keys.shape(), (Shape{2, 3, 3}));
  for (double x : values(no_keys)) EXPECT_EQ(x, 0.0);
}

TEST(Attention, DropoutOneDropsEverything) {
  const Tensor out =
      scaled_dot_product_attention(uniform({2, 3}), uniform({4, 3}), uniform({4, 2}), {}, 1.0);
  for (double x : values(out)) EXPECT_EQ(x, 0.0);
}

// The fused kernel draws its dropout mask as one bernoulli fill of the (..., L, S) weights, the
// fill the composite's dropout takes: the same seed gives both the same mask, over several query
// (64) and key (128) blocks.
TEST(Attention, FusedDropoutMatchesTheCompositeUnderTheSameSeed) {
  const Tensor q = uniform({2, 70, 4}), k = uniform({2, 130, 4}), v = uniform({2, 130, 3});
  manual_seed(21);
  const Tensor fused = scaled_dot_product_attention(q, k, v, {}, 0.25, /*is_causal=*/true);
  manual_seed(21);
  const Tensor math =
      std::get<0>(_scaled_dot_product_attention_math(q, k, v, {}, 0.25, /*is_causal=*/true));
  expect_near(values(fused), values(math), 1e-12);
  manual_seed(22);
  const Tensor other = scaled_dot_product_attention(q, k, v, {}, 0.25, /*is_causal=*/true);
  EXPECT_NE(values(other), values(fused));
}

TEST(Attention, ErrorsNameTheOpShapesAndDtypes) {
  const Tensor q = uniform({2, 3, 4}), k = uniform({2, 5, 4}), v = uniform({2, 5, 3});
  auto sdpa_error = [](auto&& call) { return message_of(call); };
  EXPECT_NE(sdpa_error([&] {
              scaled_dot_product_attention(uniform({4}), k, v);
            }).find("[scaled_dot_product_attention] expected query (..., L, E)"),
            std::string::npos);
  EXPECT_NE(sdpa_error([&] {
              scaled_dot_product_attention(q, uniform({2, 5, 3}), v);
            }).find("the same E; got shapes [2, 3, 4] and [2, 5, 3]"),
            std::string::npos);
  EXPECT_NE(sdpa_error([&] {
              scaled_dot_product_attention(q, k, uniform({2, 4, 3}));
            }).find("the same S"),
            std::string::npos);
  EXPECT_NE(sdpa_error([&] {
              scaled_dot_product_attention(q, k.to(kFloat32), v);
            }).find("of one dtype; got float64, float32"),
            std::string::npos);
  EXPECT_NE(sdpa_error([&] {
              scaled_dot_product_attention(q.to(kInt64), k, v);
            }).find("floating-point query"),
            std::string::npos);
  EXPECT_NE(sdpa_error([&] {
              scaled_dot_product_attention(q, k, v, uniform({3, 4}));
            }).find("attn_mask broadcastable"),
            std::string::npos);
  EXPECT_NE(sdpa_error([&] {
              scaled_dot_product_attention(q, k, v, uniform({5}).to(kFloat32));
            }).find("bool attn_mask or one of query's dtype"),
            std::string::npos);
  EXPECT_NE(sdpa_error([&] {
              scaled_dot_product_attention(q, k, v, uniform({5}), 0.0, true);
            }).find("either attn_mask or is_causal"),
            std::string::npos);
  EXPECT_NE(sdpa_error([&] {
              scaled_dot_product_attention(q, k, v, {}, 1.5);
            }).find("dropout_p in [0, 1]; got 1.5"),
            std::string::npos);
  EXPECT_NE(sdpa_error([&] {
              scaled_dot_product_attention(uniform({1, 3, 2, 4}), uniform({1, 2, 5, 4}),
                                           uniform({1, 2, 5, 4}), {}, 0.0, false, std::nullopt,
                                           true);
            }).find("enable_gqa expects"),
            std::string::npos);
  EXPECT_FALSE(sdpa_error([&] {
                 scaled_dot_product_attention(q, uniform({3, 5, 4}), uniform({3, 5, 3}));
               }).empty());
}

}  // namespace
}  // namespace ember
