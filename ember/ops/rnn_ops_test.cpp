// The recurrent ops: the cells against element-by-element equations, the layers against loops of
// the cells, packed against padded input, the option combinations' shapes, and every error path.
#include "ember/ops/rnn_ops.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "ember/base/error.h"
#include "ember/ops/ops.h"
#include "tests/test_support.h"

namespace ember {
namespace {

using testing::message_of;
using testing::values;

Tensor uniform(IntArrayRef shape, ScalarType dtype = kFloat64) {
  Tensor t = empty(shape, dtype);
  t.uniform_(-0.8, 0.8);
  return t;
}

void expect_near(const Tensor& actual, const Tensor& expected, double tolerance = 1e-12) {
  ASSERT_EQ(actual.shape(), expected.shape());
  const std::vector<double> a = values(actual), e = values(expected);
  for (size_t i = 0; i < a.size(); ++i) EXPECT_NEAR(a[i], e[i], tolerance) << "at " << i;
}

double sigmoid_of(double x) { return 1 / (1 + std::exp(-x)); }

TEST(RnnOps, LstmCellMatchesTheEquationsElementByElement) {
  const int64_t batch = 2, in = 3, hidden = 2;
  const Tensor x = uniform({batch, in}), h = uniform({batch, hidden}), c = uniform({batch, hidden});
  const Tensor w_ih = uniform({4 * hidden, in}), w_hh = uniform({4 * hidden, hidden});
  const Tensor b_ih = uniform({4 * hidden}), b_hh = uniform({4 * hidden});
  const auto [hy, cy] = lstm_cell(x, {h, c}, w_ih, w_hh, b_ih, b_hh);
  const auto xv = values(x), hv = values(h), cv = values(c), wi = values(w_ih), wh = values(w_hh),
             bi = values(b_ih), bh = values(b_hh), hyv = values(hy), cyv = values(cy);
  for (int64_t n = 0; n < batch; ++n) {
    for (int64_t j = 0; j < hidden; ++j) {
      double gate[4];
      for (int64_t g = 0; g < 4; ++g) {
        const int64_t row = g * hidden + j;
        double sum = bi[row] + bh[row];
        for (int64_t k = 0; k < in; ++k) sum += wi[row * in + k] * xv[n * in + k];
        for (int64_t k = 0; k < hidden; ++k) sum += wh[row * hidden + k] * hv[n * hidden + k];
        gate[g] = sum;
      }
      const double c_new =
          sigmoid_of(gate[1]) * cv[n * hidden + j] + sigmoid_of(gate[0]) * std::tanh(gate[2]);
      EXPECT_NEAR(cyv[n * hidden + j], c_new, 1e-12);
      EXPECT_NEAR(hyv[n * hidden + j], sigmoid_of(gate[3]) * std::tanh(c_new), 1e-12);
    }
  }
}

TEST(RnnOps, GruCellMatchesTheEquations) {
  const Tensor x = uniform({3, 4}), h = uniform({3, 5});
  const Tensor w_ih = uniform({15, 4}), w_hh = uniform({15, 5}), b_ih = uniform({15}),
               b_hh = uniform({15});
  const auto i = chunk(add(matmul(x, w_ih.t()), b_ih), 3, 1);
  const auto g = chunk(add(matmul(h, w_hh.t()), b_hh), 3, 1);
  const Tensor r = sigmoid(add(i[0], g[0])), z = sigmoid(add(i[1], g[1]));
  const Tensor n = tanh(add(i[2], mul(r, g[2])));
  const Tensor expected = add(mul(sub(ones_like(z), z), n), mul(z, h));
  expect_near(gru_cell(x, h, w_ih, w_hh, b_ih, b_hh), expected);
  expect_near(rnn_relu_cell(x, h, w_ih.narrow(0, 0, 5), w_hh.narrow(0, 0, 5)),
              relu(add(matmul(x, w_ih.narrow(0, 0, 5).t()), matmul(h, w_hh.narrow(0, 0, 5).t()))));
}

// Two layers of LSTM with projection, bidirectional, batch_first: the layer op against the cells
// run by hand, direction by direction.
TEST(RnnOps, BidirectionalProjectedLstmMatchesTheCells) {
  const int64_t steps = 4, batch = 3, in = 2, hidden = 3, proj = 2, layers = 2;
  std::vector<Tensor> params;
  for (int64_t layer = 0; layer < layers; ++layer) {
    for (int d = 0; d < 2; ++d) {
      const int64_t layer_in = layer == 0 ? in : 2 * proj;
      params.push_back(uniform({4 * hidden, layer_in}));
      params.push_back(uniform({4 * hidden, proj}));
      params.push_back(uniform({4 * hidden}));
      params.push_back(uniform({4 * hidden}));
      params.push_back(uniform({proj, hidden}));
    }
  }
  const Tensor x = uniform({batch, steps, in});
  const Tensor h0 = uniform({2 * layers, batch, proj}), c0 = uniform({2 * layers, batch, hidden});
  const auto [out, h_n, c_n] = lstm(x, {h0, c0}, params, true, layers, 0.0, false, true, true);
  ASSERT_EQ(out.shape(), Shape({batch, steps, 2 * proj}));

  Tensor layer_input = x.transpose(0, 1);
  for (int64_t layer = 0; layer < layers; ++layer) {
    std::vector<Tensor> direction_out;
    for (int d = 0; d < 2; ++d) {
      const int64_t cell = layer * 2 + d;
      const Tensor* p = params.data() + cell * 5;
      Tensor h = h0.select(0, cell), c = c0.select(0, cell);
      std::vector<Tensor> outs(steps);
      for (int64_t s = 0; s < steps; ++s) {
        const int64_t t = d == 0 ? s : steps - 1 - s;
        const Tensor igates = add(matmul(layer_input.select(0, t), p[0].t()), p[2]);
        auto [hy, cy] = detail::lstm_gates_composite(igates, add(matmul(h, p[1].t()), p[3]), c);
        h = matmul(hy, p[4].t());
        c = cy;
        outs[t] = h;
      }
      expect_near(h_n.select(0, cell), h);
      expect_near(c_n.select(0, cell), c);
      direction_out.push_back(stack(outs, 0));
    }
    layer_input = cat(direction_out, 2);
  }
  expect_near(out, layer_input.transpose(0, 1));
}

// Packed sequences of lengths 3, 2, 2, 1: each sequence alone (padded, batch 1) gives the same
// outputs and final states, in both directions, for every kind.
TEST(RnnOps, PackedMatchesEachSequenceAlone) {
  const std::vector<int64_t> lengths = {3, 2, 2, 1};
  const Tensor batch_sizes = from_blob_copy(std::vector<int64_t>{4, 3, 1}.data(), {3}, kInt64);
  const int64_t in = 3, hidden = 2;
  const Tensor data = uniform({8, in});
  const Tensor h0 = uniform({2, 4, hidden}), c0 = uniform({2, 4, hidden});
  for (const int64_t gates : {1, 3, 4}) {
    std::vector<Tensor> params;
    for (int d = 0; d < 2; ++d) {
      params.push_back(uniform({gates * hidden, in}));
      params.push_back(uniform({gates * hidden, hidden}));
    }
    Tensor out, h_n, c_n;
    if (gates == 4) {
      std::tie(out, h_n, c_n) = lstm(data, batch_sizes, {h0, c0}, params, false, 1, 0, false, true);
    } else if (gates == 3) {
      std::tie(out, h_n) = gru(data, batch_sizes, h0, params, false, 1, 0, false, true);
    } else {
      std::tie(out, h_n) = rnn_tanh(data, batch_sizes, h0, params, false, 1, 0, false, true);
    }
    const std::vector<int64_t> offsets = {0, 4, 7};
    for (int64_t b = 0; b < 4; ++b) {
      std::vector<Tensor> rows;
      for (int64_t t = 0; t < lengths[b]; ++t) rows.push_back(data.narrow(0, offsets[t] + b, 1));
      const Tensor alone = stack(rows, 0);
      const Tensor hb = h0.narrow(1, b, 1), cb = c0.narrow(1, b, 1);
      Tensor alone_out, alone_h, alone_c;
      if (gates == 4) {
        std::tie(alone_out, alone_h, alone_c) =
            lstm(alone, {hb, cb}, params, false, 1, 0, false, true, false);
        expect_near(c_n.narrow(1, b, 1), alone_c);
      } else if (gates == 3) {
        std::tie(alone_out, alone_h) = gru(alone, hb, params, false, 1, 0, false, true, false);
      } else {
        std::tie(alone_out, alone_h) = rnn_tanh(alone, hb, params, false, 1, 0, false, true, false);
      }
      expect_near(h_n.narrow(1, b, 1), alone_h);
      for (int64_t t = 0; t < lengths[b]; ++t) {
        expect_near(out.narrow(0, offsets[t] + b, 1), alone_out.select(0, t));
      }
    }
  }
}

TEST(RnnOps, DropoutOnlyBetweenLayersAndOnlyWhenTraining) {
  std::vector<Tensor> params;
  for (int64_t layer = 0; layer < 2; ++layer) {
    params.push_back(uniform({3, layer == 0 ? 2 : 3}));
    params.push_back(uniform({3, 3}));
  }
  const Tensor x = uniform({5, 2, 2}), h0 = zeros({2, 2, 3}, kFloat64);
  const auto [eval_out, eval_h] = rnn_relu(x, h0, params, false, 2, 1.0, false, false, false);
  const auto [train_out, train_h] = rnn_relu(x, h0, params, false, 2, 1.0, true, false, false);
  // p = 1 zeroes the first layer's output: the second layer sees only zeros.
  expect_near(train_h.select(0, 0), eval_h.select(0, 0));
  EXPECT_EQ(values(train_out), std::vector<double>(values(train_out).size(), 0.0));
}

TEST(RnnOps, EmptyBatchAndFloat32) {
  const Tensor x = uniform({3, 0, 2}, kFloat32), h0 = zeros({1, 0, 4}, kFloat32);
  const std::vector<Tensor> params = {uniform({12, 2}, kFloat32), uniform({12, 4}, kFloat32)};
  const auto [out, h_n] = gru(x, h0, params, false, 1, 0, false, false, false);
  EXPECT_EQ(out.shape(), Shape({3, 0, 4}));
  EXPECT_EQ(h_n.shape(), Shape({1, 0, 4}));
  EXPECT_EQ(out.dtype(), kFloat32);
}

TEST(RnnOps, ErrorsNameTheOpAndWhatWasExpected) {
  const Tensor x = uniform({2, 3}), h = uniform({2, 4});
  const Tensor w_ih = uniform({16, 3}), w_hh = uniform({16, 4});
  EXPECT_NE(message_of([&] {
              lstm_cell(x, {h}, w_ih, w_hh);
            }).find("[lstm_cell] expected hx as two tensors (h, c); got 1"),
            std::string::npos);
  EXPECT_NE(message_of([&] { gru_cell(x, h, w_ih, w_hh); }).find("[gru_cell] expected w_hh"),
            std::string::npos);
  EXPECT_NE(message_of([&] {
              lstm_cell(x.to(kFloat32), {h, h}, w_ih, w_hh);
            }).find("[lstm_cell] expected w_hh of the input's dtype float32; got float64"),
            std::string::npos);
  EXPECT_NE(message_of([&] {
              rnn_tanh_cell(x.unsqueeze(0), h, w_ih, w_hh);
            }).find("[rnn_tanh_cell] expected input of rank 2"),
            std::string::npos);
  EXPECT_NE(message_of([&] {
              lstm_cell(x, {h, h}, w_ih, w_hh, uniform({16}));
            }).find("expected both biases or neither"),
            std::string::npos);
  const Tensor seq = uniform({5, 2, 3}), h0 = uniform({1, 2, 4});
  EXPECT_NE(message_of([&] {
              gru(seq, h0, {w_ih}, false, 1, 0, false, false, false);
            }).find("[gru] expected 2 parameter tensors"),
            std::string::npos);
  EXPECT_NE(message_of([&] {
              rnn_tanh(seq, h0, {w_ih, w_hh}, false, 1, 0, false, false, false);
            }).find("[rnn_tanh] expected w_ih of shape [4, 3]; got shape [16, 3]"),
            std::string::npos);
  EXPECT_NE(message_of([&] {
              gru(seq, uniform({2, 2, 4}), {w_ih}, false, 1, 0, false, false, false);
            }).find("[gru] expected hx of shape (1, 2, hidden_size)"),
            std::string::npos);
  const Tensor unsorted = from_blob_copy(std::vector<int64_t>{1, 2}.data(), {2}, kInt64);
  EXPECT_NE(message_of([&] {
              rnn_relu(uniform({3, 3}), unsorted, uniform({1, 1, 4}),
                       std::vector<Tensor>{uniform({4, 3}), uniform({4, 4})}, false, 1, 0, false,
                       false);
            }).find("[rnn_relu] expected batch_sizes positive and non-increasing"),
            std::string::npos);
  EXPECT_THROW(lstm(seq, {h0, h0}, {}, false, 0, 0, false, false, false), RuntimeError);
  EXPECT_THROW(lstm(seq, {h0, h0}, {}, false, 1, 1.5, false, false, false), ValueError);
}

}  // namespace
}  // namespace ember
