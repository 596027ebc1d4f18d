// The fused recurrent kernels against the composite reference (ember::detail): outputs, final
// states and the gradients of every input and weight, over every kind and option combination,
// float32 and float64, contiguous and non-contiguous inputs, packed and padded, empty batches.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ember/autograd/engine.h"
#include "ember/autograd/gradcheck.h"
#include "ember/ops/ops.h"
#include "ember/ops/rnn_ops.h"
#include "tests/test_support.h"

namespace ember {
namespace {

using testing::values;

enum class Kind { Tanh, Relu, Lstm, Gru };

int64_t gates_of(Kind kind) { return kind == Kind::Lstm ? 4 : kind == Kind::Gru ? 3 : 1; }

struct Options {
  Kind kind;
  bool biases, bidirectional, packed, projected, batch_first, transposed;
  int64_t layers, batch;
  ScalarType dtype;
};

std::string describe(const Options& o) {
  return "kind " + std::to_string(static_cast<int>(o.kind)) + " biases " +
         std::to_string(o.biases) + " bidirectional " + std::to_string(o.bidirectional) +
         " packed " + std::to_string(o.packed) + " projected " + std::to_string(o.projected) +
         " batch_first " + std::to_string(o.batch_first) + " transposed " +
         std::to_string(o.transposed) + " layers " + std::to_string(o.layers) + " batch " +
         std::to_string(o.batch) + (o.dtype == kFloat32 ? " float32" : " float64");
}

Tensor uniform(IntArrayRef shape, ScalarType dtype) {
  Tensor t = empty(shape, kFloat64);
  t.uniform_(-0.7, 0.7);
  return t.to(dtype);
}

// A leaf holding uniform values; transposed: stored with its last two dims swapped.
Tensor leaf(IntArrayRef shape, ScalarType dtype, bool transposed) {
  Tensor t = uniform(shape, dtype);
  if (transposed && t.dim() >= 2) t = t.transpose(-1, -2).contiguous().transpose(-1, -2);
  return t.requires_grad_();
}

struct Run {
  std::vector<Tensor> results;  // outputs, then gradients of every leaf
};

Run run(const Options& o, const std::vector<Tensor>& leaves, const std::vector<Tensor>& weights,
        bool fused) {
  detail::set_use_fused_rnn_gates(fused);
  const bool lstm = o.kind == Kind::Lstm;
  const Tensor& x = leaves[0];
  const Tensor& h0 = leaves[1];
  const std::vector<Tensor> params(leaves.begin() + (lstm ? 3 : 2), leaves.end());
  std::vector<Tensor> outs;
  const Tensor batch_sizes =
      from_blob_copy(std::vector<int64_t>{o.batch, o.batch - 1, 1}.data(), {3}, kInt64);
  if (lstm) {
    auto [out, h_n, c_n] = o.packed ? ember::lstm(x, batch_sizes, {h0, leaves[2]}, params, o.biases,
                                                  o.layers, 0, false, o.bidirectional)
                                    : ember::lstm(x, {h0, leaves[2]}, params, o.biases, o.layers, 0,
                                                  false, o.bidirectional, o.batch_first);
    outs = {out, h_n, c_n};
  } else {
    using Padded = std::tuple<Tensor, Tensor> (*)(const Tensor&, const Tensor&, TensorList, bool,
                                                  int64_t, double, bool, bool, bool);
    using Packed = std::tuple<Tensor, Tensor> (*)(const Tensor&, const Tensor&, const Tensor&,
                                                  TensorList, bool, int64_t, double, bool, bool);
    Padded padded = o.kind == Kind::Gru    ? static_cast<Padded>(&gru)
                    : o.kind == Kind::Tanh ? static_cast<Padded>(&rnn_tanh)
                                           : static_cast<Padded>(&rnn_relu);
    Packed packed = o.kind == Kind::Gru    ? static_cast<Packed>(&gru)
                    : o.kind == Kind::Tanh ? static_cast<Packed>(&rnn_tanh)
                                           : static_cast<Packed>(&rnn_relu);
    auto [out, h_n] =
        o.packed
            ? packed(x, batch_sizes, h0, params, o.biases, o.layers, 0, false, o.bidirectional)
            : padded(x, h0, params, o.biases, o.layers, 0, false, o.bidirectional, o.batch_first);
    outs = {out, h_n};
  }
  Tensor loss = zeros({}, TensorOptions(o.dtype));
  for (size_t i = 0; i < outs.size(); ++i) loss = add(loss, sum(mul(outs[i], weights[i])));
  Run result{outs};
  // An empty batch gives empty results: only their shapes and dtypes are compared.
  if (o.batch == 0) return result;
  const std::vector<Tensor> grads = autograd::grad({loss}, leaves, {}, std::nullopt, false, true);
  for (size_t i = 0; i < grads.size(); ++i) {
    result.results.push_back(grads[i].defined() ? grads[i] : zeros_like(leaves[i]));
  }
  detail::set_use_fused_rnn_gates(true);
  return result;
}

void compare(const Options& o) {
  SCOPED_TRACE(describe(o));
  const bool lstm = o.kind == Kind::Lstm;
  const int64_t in = 3, hidden = 4, proj = o.projected ? 2 : 0, out = proj ? proj : hidden;
  const int64_t directions = o.bidirectional ? 2 : 1, gates = gates_of(o.kind) * hidden;
  std::vector<Tensor> leaves;
  int64_t rows = 0;
  if (o.packed) {
    rows = o.batch + (o.batch - 1) + 1;
    leaves.push_back(leaf({rows, in}, o.dtype, o.transposed));
  } else {
    leaves.push_back(leaf(o.batch_first ? IntArrayRef{o.batch, 3, in} : IntArrayRef{3, o.batch, in},
                          o.dtype, o.transposed));
  }
  leaves.push_back(leaf({o.layers * directions, o.batch, out}, o.dtype, o.transposed));
  if (lstm) leaves.push_back(leaf({o.layers * directions, o.batch, hidden}, o.dtype, false));
  for (int64_t layer = 0; layer < o.layers; ++layer) {
    for (int64_t d = 0; d < directions; ++d) {
      leaves.push_back(leaf({gates, layer == 0 ? in : directions * out}, o.dtype, o.transposed));
      leaves.push_back(leaf({gates, out}, o.dtype, o.transposed));
      if (o.biases) {
        leaves.push_back(leaf({gates}, o.dtype, false));
        leaves.push_back(leaf({gates}, o.dtype, false));
      }
      if (proj) leaves.push_back(leaf({proj, hidden}, o.dtype, o.transposed));
    }
  }
  // Weights of the loss, shaped like each result (computed once with the composite).
  const Run reference = run(o, leaves, std::vector<Tensor>(3, ones({}, o.dtype)), false);
  std::vector<Tensor> weights;
  for (size_t i = 0; i < (lstm ? 3u : 2u); ++i) {
    weights.push_back(uniform(reference.results[i].shape(), o.dtype));
  }
  const Run composite = run(o, leaves, weights, false);
  const Run fused = run(o, leaves, weights, true);
  const double tolerance = o.dtype == kFloat32 ? 2e-5 : 1e-12;
  ASSERT_EQ(composite.results.size(), fused.results.size());
  for (size_t i = 0; i < fused.results.size(); ++i) {
    SCOPED_TRACE("result " + std::to_string(i));
    ASSERT_EQ(fused.results[i].shape(), composite.results[i].shape());
    EXPECT_EQ(fused.results[i].dtype(), o.dtype);
    const std::vector<double> a = values(fused.results[i]), b = values(composite.results[i]);
    for (size_t k = 0; k < a.size(); ++k) ASSERT_NEAR(a[k], b[k], tolerance) << "element " << k;
  }
}

TEST(RnnFused, LayersMatchTheCompositeInEveryOptionCombination) {
  for (Kind kind : {Kind::Tanh, Kind::Relu, Kind::Lstm, Kind::Gru}) {
    for (int mask = 0; mask < 32; ++mask) {
      Options o{kind,
                (mask & 1) != 0,
                (mask & 2) != 0,
                (mask & 4) != 0,
                kind == Kind::Lstm && (mask & 8) != 0,
                (mask & 16) != 0,
                (mask & 8) != 0,
                1 + (mask & 1),
                3,
                (mask & 4) != 0 ? kFloat32 : kFloat64};
      compare(o);
    }
  }
}

TEST(RnnFused, EmptyBatchAndBothDtypes) {
  for (Kind kind : {Kind::Lstm, Kind::Gru, Kind::Tanh}) {
    for (ScalarType dtype : {kFloat32, kFloat64}) {
      compare({kind, true, true, false, false, false, false, 2, 0, dtype});
    }
  }
}

TEST(RnnFused, CellsMatchTheComposite) {
  for (ScalarType dtype : {kFloat32, kFloat64}) {
    const Tensor x = leaf({2, 3}, dtype, true), h = leaf({2, 4}, dtype, false),
                 c = leaf({2, 4}, dtype, false);
    const Tensor w_ih = leaf({16, 3}, dtype, true), w_hh = leaf({16, 4}, dtype, false),
                 b_ih = leaf({16}, dtype, false), b_hh = leaf({16}, dtype, false);
    std::vector<std::vector<double>> results[2];
    for (int fused = 0; fused < 2; ++fused) {
      detail::set_use_fused_rnn_gates(fused == 1);
      auto [hy, cy] = lstm_cell(x, {h, c}, w_ih, w_hh, b_ih, b_hh);
      const Tensor g = gru_cell(x, h, w_ih.narrow(0, 0, 12), w_hh.narrow(0, 0, 12));
      const Tensor r = rnn_tanh_cell(x, h, w_ih.narrow(0, 0, 4), w_hh.narrow(0, 0, 4));
      const Tensor loss = add(add(sum(mul(hy, hy)), sum(mul(cy, g))), sum(r));
      results[fused] = {values(hy), values(cy), values(g), values(r)};
      for (const Tensor& grad : autograd::grad({loss}, {x, h, c, w_ih, w_hh, b_ih, b_hh})) {
        results[fused].push_back(values(grad));
      }
    }
    detail::set_use_fused_rnn_gates(true);
    for (size_t i = 0; i < results[0].size(); ++i) {
      for (size_t k = 0; k < results[0][i].size(); ++k) {
        EXPECT_NEAR(results[1][i][k], results[0][i][k], dtype == kFloat32 ? 2e-5 : 1e-12);
      }
    }
  }
}

// One step of a cell of `kind` on in = {x, h, c, w_ih, w_hh[, b_ih, b_hh]} -> {h'[, c']}.
std::vector<Tensor> cell_step(Kind kind, const std::vector<Tensor>& in) {
  const Tensor b_ih = in.size() > 5 ? in[5] : Tensor(), b_hh = in.size() > 6 ? in[6] : Tensor();
  switch (kind) {
    case Kind::Lstm: {
      auto [h, c] = lstm_cell(in[0], {in[1], in[2]}, in[3], in[4], b_ih, b_hh);
      return {h, c};
    }
    case Kind::Gru:
      return {gru_cell(in[0], in[1], in[3], in[4], b_ih, b_hh)};
    case Kind::Tanh:
      return {rnn_tanh_cell(in[0], in[1], in[3], in[4], b_ih, b_hh)};
    case Kind::Relu:
      break;
  }
  return {rnn_relu_cell(in[0], in[1], in[3], in[4], b_ih, b_hh)};
}

// The cell's leaves: batch rows, input 3, hidden 4; c unused but for LSTM; x and w_ih stored
// transposed (non-contiguous) when asked.
std::vector<Tensor> cell_leaves(Kind kind, int64_t batch, bool biases, ScalarType dtype,
                                bool transposed = true) {
  const int64_t gates = gates_of(kind) * 4;
  std::vector<Tensor> in{leaf({batch, 3}, dtype, transposed), leaf({batch, 4}, dtype, false),
                         leaf({batch, 4}, dtype, false), leaf({gates, 3}, dtype, transposed),
                         leaf({gates, 4}, dtype, false)};
  if (biases) {
    in.push_back(leaf({gates}, dtype, false));
    in.push_back(leaf({gates}, dtype, false));
  }
  return in;
}

TEST(RnnFused, EveryCellKindMatchesTheCompositeWithAndWithoutBiases) {
  for (Kind kind : {Kind::Tanh, Kind::Relu, Kind::Lstm, Kind::Gru}) {
    for (int mask = 0; mask < 8; ++mask) {
      const bool biases = (mask & 1) != 0;
      const ScalarType dtype = (mask & 2) != 0 ? kFloat32 : kFloat64;
      const int64_t batch = (mask & 4) != 0 ? 0 : 3;
      SCOPED_TRACE("kind " + std::to_string(static_cast<int>(kind)) + " mask " +
                   std::to_string(mask));
      const std::vector<Tensor> in = cell_leaves(kind, batch, biases, dtype);
      std::vector<std::vector<double>> results[2];
      for (int fused = 0; fused < 2; ++fused) {
        detail::set_use_fused_rnn_gates(fused == 1);
        const std::vector<Tensor> out = cell_step(kind, in);
        Tensor loss = sum(mul(out[0], out[0]));
        if (out.size() > 1) loss = add(loss, sum(mul(out[1], in[1])));
        for (const Tensor& t : out) results[fused].push_back(values(t));
        // An empty batch: only the results' (empty) shapes are compared.
        if (batch == 0) continue;
        for (const Tensor& grad : autograd::grad({loss}, in, {}, std::nullopt, false, true)) {
          results[fused].push_back(grad.defined() ? values(grad) : std::vector<double>{});
        }
      }
      detail::set_use_fused_rnn_gates(true);
      ASSERT_EQ(results[0].size(), results[1].size());
      for (size_t i = 0; i < results[0].size(); ++i) {
        ASSERT_EQ(results[1][i].size(), results[0][i].size()) << "result " << i;
        for (size_t k = 0; k < results[0][i].size(); ++k) {
          EXPECT_NEAR(results[1][i][k], results[0][i][k], dtype == kFloat32 ? 2e-5 : 1e-12)
              << "result " << i << " element " << k;
        }
      }
    }
  }
}

// A fused cell step is one autograd node whose edges lead straight to the leaves.
TEST(RnnFused, ACellStepIsOneNode) {
  const std::vector<Tensor> in = cell_leaves(Kind::Lstm, 1, true, kFloat32, false);
  const std::vector<Tensor> out = cell_step(Kind::Lstm, in);
  ASSERT_NE(out[0].grad_fn(), nullptr);
  EXPECT_EQ(out[0].grad_fn(), out[1].grad_fn());
  EXPECT_EQ(out[0].grad_fn()->name(), "LstmCellBackward0");
  for (const autograd::Edge& edge : out[0].grad_fn()->next_edges()) {
    ASSERT_TRUE(edge.valid());
    EXPECT_EQ(edge.function->name(), "AccumulateGrad");
  }
}

TEST(RnnFused, GradcheckAndGradgradcheckOfTheFusedCells) {
  for (Kind kind : {Kind::Tanh, Kind::Relu, Kind::Lstm, Kind::Gru}) {
    for (bool biases : {false, true}) {
      SCOPED_TRACE("kind " + std::to_string(static_cast<int>(kind)) + " biases " +
                   std::to_string(biases));
      std::vector<Tensor> in = cell_leaves(kind, 2, biases, kFloat64);
      if (kind != Kind::Lstm) in[2] = in[2].detach();
      const autograd::MultiOutputFunction step = [kind](const std::vector<Tensor>& args) {
        return cell_step(kind, args);
      };
      EXPECT_EQ(autograd::gradcheck(step, in), "");
      EXPECT_EQ(autograd::gradgradcheck(step, in), "");
    }
  }
}

// The fused primitive's rule: first order by its kernel, second order through the composite.
TEST(RnnFused, GradcheckAndGradgradcheckOfTheFusedLayers) {
  const Tensor batch_sizes = from_blob_copy(std::vector<int64_t>{2, 1}.data(), {2}, kInt64);
  const std::vector<Tensor> lstm_inputs = {
      leaf({3, 2}, kFloat64, false),    leaf({2, 2, 2}, kFloat64, false),
      leaf({2, 2, 3}, kFloat64, false), leaf({12, 2}, kFloat64, true),
      leaf({12, 2}, kFloat64, false),   leaf({12}, kFloat64, false),
      leaf({12}, kFloat64, false),      leaf({2, 3}, kFloat64, false),
      leaf({12, 2}, kFloat64, false),   leaf({12, 2}, kFloat64, false),
      leaf({12}, kFloat64, false),      leaf({12}, kFloat64, false),
      leaf({2, 3}, kFloat64, false)};
  const autograd::MultiOutputFunction packed_lstm = [&](const std::vector<Tensor>& in) {
    const std::vector<Tensor> params(in.begin() + 3, in.end());
    auto [out, h_n, c_n] =
        ember::lstm(in[0], batch_sizes, {in[1], in[2]}, params, true, 1, 0, false, true);
    return std::vector<Tensor>{out, h_n, c_n};
  };
  EXPECT_EQ(autograd::gradcheck(packed_lstm, lstm_inputs), "");
  EXPECT_EQ(autograd::gradgradcheck(packed_lstm, lstm_inputs), "");
  const std::vector<Tensor> gru_inputs = {
      leaf({2, 3, 2}, kFloat64, false), leaf({1, 3, 2}, kFloat64, false),
      leaf({6, 2}, kFloat64, true),     leaf({6, 2}, kFloat64, false),
      leaf({6}, kFloat64, false),       leaf({6}, kFloat64, false)};
  const autograd::MultiOutputFunction padded_gru = [](const std::vector<Tensor>& in) {
    const std::vector<Tensor> params(in.begin() + 2, in.end());
    auto [out, h_n] = ember::gru(in[0], in[1], params, true, 1, 0, false, false, false);
    return std::vector<Tensor>{out, h_n};
  };
  EXPECT_EQ(autograd::gradcheck(padded_gru, gru_inputs), "");
  EXPECT_EQ(autograd::gradgradcheck(padded_gru, gru_inputs), "");
}

}  // namespace
}  // namespace ember
