// The recurrent cells and layers (rnn_ops.h): argument checks, the per-step gate math and the
// layer driver shared by all four kinds, on padded and packed input. Each layer and direction
// projects the input of all its time steps in one GEMM; each step then adds one GEMM for the
// hidden projection and the gate math (Note [recurrent ops]).
#include "ember/ops/rnn_ops.h"
#include "ember/ops/autocast.h"

#include <algorithm>
#include <string_view>
#include <vector>

#include "ember/base/error.h"
#include "ember/ops/nn_dropout.h"
#include "ember/ops/nn_linear.h"
#include "ember/ops/ops.h"
#include "ember/ops/rnn_layer.h"

namespace ember {
namespace {

using Kind = RnnCellKind;

// The weights of one layer and direction; the biases and w_hr undefined when absent.
struct CellWeights {
  Tensor w_ih, w_hh, b_ih, b_hh, w_hr;
};

Shape shape_or_none(const Tensor& t) { return t.defined() ? t.shape() : Shape{}; }

void check_tensor(std::string_view op, std::string_view what, const Tensor& t, ScalarType dtype,
                  const Shape& expected) {
  EMBER_CHECK(t.defined(), "[", op, "] expected ", what, " of shape ", expected,
              "; got an undefined tensor");
  EMBER_CHECK(t.shape() == expected, "[", op, "] expected ", what, " of shape ", expected,
              "; got shape ", t.shape());
  EMBER_CHECK(t.dtype() == dtype, "[", op, "] expected ", what, " of the input's dtype ", dtype,
              "; got ", t.dtype());
}

void check_floating_input(std::string_view op, const Tensor& input, int64_t rank,
                          std::string_view layout) {
  EMBER_CHECK(input.defined() && input.dim() == rank, "[", op, "] expected input of rank ", rank,
              " ", layout, "; got shape ", shape_or_none(input));
  EMBER_CHECK(input.dtype() == kFloat32 || input.dtype() == kFloat64, "[", op,
              "] expected a float32 or float64 input; got ", input.dtype());
}

// ---- cells ----

detail::RnnLayerResult run_cell(Kind kind, std::string_view op, const Tensor& input,
                                const Tensor& hx, const Tensor& cx, const Tensor& w_ih,
                                const Tensor& w_hh, const Tensor& b_ih, const Tensor& b_hh) {
  if (autocast::active()) {
    return autocast::float32({input, hx, cx, w_ih, w_hh, b_ih, b_hh}, [&](const auto& in) {
      return run_cell(kind, op, in[0], in[1], in[2], in[3], in[4], in[5], in[6]);
    });
  }
  check_floating_input(op, input, 2, "(batch, input_size)");
  EMBER_CHECK(w_hh.defined() && w_hh.dim() == 2 && w_hh.size(0) % rnn_gate_count(kind) == 0, "[",
              op, "] expected w_hh of shape (", rnn_gate_count(kind),
              " * hidden_size, hidden_size); got ", shape_or_none(w_hh));
  const int64_t hidden = w_hh.size(0) / rnn_gate_count(kind);
  const int64_t batch = input.size(0);
  const ScalarType dtype = input.dtype();
  check_tensor(op, "w_hh", w_hh, dtype, {rnn_gate_count(kind) * hidden, hidden});
  check_tensor(op, "w_ih", w_ih, dtype, {rnn_gate_count(kind) * hidden, input.size(1)});
  check_tensor(op, "hx", hx, dtype, {batch, hidden});
  if (kind == Kind::Lstm) check_tensor(op, "cx", cx, dtype, {batch, hidden});
  EMBER_CHECK(b_ih.defined() == b_hh.defined(), "[", op,
              "] expected both biases or neither; got b_ih ", shape_or_none(b_ih), " and b_hh ",
              shape_or_none(b_hh));
  if (b_ih.defined()) {
    check_tensor(op, "b_ih", b_ih, dtype, {rnn_gate_count(kind) * hidden});
    check_tensor(op, "b_hh", b_hh, dtype, {rnn_gate_count(kind) * hidden});
  }
  return detail::rnn_cell(kind, input, hx, cx, w_ih, w_hh, b_ih, b_hh);
}

// ---- layers ----

struct LayerSpec {
  Kind kind;
  std::string_view op;
  bool has_biases;
  int64_t num_layers;
  double dropout;
  bool train;
  bool bidirectional;
};

using LayerResult = detail::RnnLayerResult;

int64_t directions(const LayerSpec& spec) { return spec.bidirectional ? 2 : 1; }

// Checks params against PyTorch's flat layout and returns them per layer and direction.
std::vector<CellWeights> layer_weights(const LayerSpec& spec, TensorList params, ScalarType dtype,
                                       int64_t input_size, int64_t hidden, int64_t hidden_out,
                                       bool has_projection) {
  const int64_t per_cell = 2 + (spec.has_biases ? 2 : 0) + (has_projection ? 1 : 0);
  const int64_t cells = spec.num_layers * directions(spec);
  EMBER_CHECK(static_cast<int64_t>(params.size()) == cells * per_cell, "[", spec.op, "] expected ",
              cells * per_cell, " parameter tensors (", spec.num_layers, " layers x ",
              directions(spec), " directions x ", per_cell, " each: w_ih, w_hh",
              spec.has_biases ? ", b_ih, b_hh" : "", has_projection ? ", w_hr" : "", "); got ",
              params.size());
  const int64_t rows = rnn_gate_count(spec.kind) * hidden;
  std::vector<CellWeights> result;
  for (int64_t cell = 0; cell < cells; ++cell) {
    const int64_t layer = cell / directions(spec);
    const Tensor* p = params.data() + cell * per_cell;
    CellWeights w;
    w.w_ih = p[0];
    w.w_hh = p[1];
    const int64_t in = layer == 0 ? input_size : directions(spec) * hidden_out;
    check_tensor(spec.op, "w_ih", w.w_ih, dtype, {rows, in});
    check_tensor(spec.op, "w_hh", w.w_hh, dtype, {rows, hidden_out});
    if (spec.has_biases) {
      w.b_ih = p[2];
      w.b_hh = p[3];
      check_tensor(spec.op, "b_ih", w.b_ih, dtype, {rows});
      check_tensor(spec.op, "b_hh", w.b_hh, dtype, {rows});
    }
    if (has_projection) {
      w.w_hr = p[per_cell - 1];
      check_tensor(spec.op, "w_hr", w.w_hr, dtype, {hidden_out, hidden});
    }
    result.push_back(w);
  }
  return result;
}

// All layers over packed data (sum(batch_sizes), input_size) -> packed output, h_n, c_n.
LayerResult run_layers(const LayerSpec& spec, const Tensor& data,
                       const std::vector<int64_t>& batch_sizes, int64_t batch, const Tensor& h0,
                       const Tensor& c0, TensorList params) {
  const std::string_view op = spec.op;
  const ScalarType dtype = data.dtype();
  EMBER_CHECK(spec.num_layers >= 1, "[", op, "] expected num_layers >= 1; got ", spec.num_layers);
  EMBER_CHECK_VALUE(spec.dropout >= 0 && spec.dropout <= 1, "[", op,
                    "] expected dropout in [0, 1]; got ", spec.dropout);
  const int64_t cells = spec.num_layers * directions(spec);
  EMBER_CHECK(h0.defined() && h0.dim() == 3 && h0.size(0) == cells && h0.size(1) == batch, "[", op,
              "] expected hx of shape (", cells, ", ", batch,
              ", hidden_size) (num_layers * num_directions, batch, hidden_size); got ",
              shape_or_none(h0));
  EMBER_CHECK(h0.dtype() == dtype, "[", op, "] expected hx of the input's dtype ", dtype, "; got ",
              h0.dtype());
  const int64_t hidden_out = h0.size(2);
  int64_t hidden = hidden_out;
  if (spec.kind == Kind::Lstm) {
    EMBER_CHECK(c0.defined() && c0.dim() == 3 && c0.size(0) == cells && c0.size(1) == batch, "[",
                op, "] expected the cell state hx[1] of shape (", cells, ", ", batch,
                ", hidden_size); got ", shape_or_none(c0));
    EMBER_CHECK(c0.dtype() == dtype, "[", op, "] expected hx[1] of the input's dtype ", dtype,
                "; got ", c0.dtype());
    hidden = c0.size(2);
  }
  const bool has_projection = hidden != hidden_out;
  const std::vector<CellWeights> weights =
      layer_weights(spec, params, dtype, data.size(1), hidden, hidden_out, has_projection);

  Tensor layer_input = data;
  std::vector<Tensor> h_n, c_n;
  for (int64_t layer = 0; layer < spec.num_layers; ++layer) {
    std::vector<Tensor> direction_outputs;
    for (int64_t direction = 0; direction < directions(spec); ++direction) {
      const int64_t cell = layer * directions(spec) + direction;
      const CellWeights& w = weights[static_cast<size_t>(cell)];
      const Tensor igates = linear(layer_input, w.w_ih, w.b_ih);
      const LayerResult result = detail::rnn_layer(
          spec.kind, direction == 1, batch_sizes, igates, h0.select(0, cell),
          spec.kind == Kind::Lstm ? c0.select(0, cell) : Tensor(), w.w_hh, w.b_hh, w.w_hr);
      direction_outputs.push_back(result.output);
      h_n.push_back(result.h_n);
      if (result.c_n.defined()) c_n.push_back(result.c_n);
    }
    layer_input = direction_outputs.size() == 1 ? direction_outputs[0] : cat(direction_outputs, 1);
    if (spec.dropout > 0 && spec.train && layer + 1 < spec.num_layers) {
      layer_input = dropout(layer_input, spec.dropout, true);
    }
  }
  return {layer_input, stack(h_n, 0), c_n.empty() ? Tensor() : stack(c_n, 0)};
}

LayerResult run_padded(const LayerSpec& spec, const Tensor& input, const Tensor& h0,
                       const Tensor& c0, TensorList params, bool batch_first) {
  if (autocast::active()) {
    std::vector<Tensor> all{input, h0, c0};
    all.insert(all.end(), params.begin(), params.end());
    return autocast::float32_list(all, [&](const auto& in) {
      return run_padded(spec, in[0], in[1], in[2], TensorList(in.data() + 3, in.size() - 3),
                        batch_first);
    });
  }
  check_floating_input(spec.op, input, 3,
                       batch_first ? "(batch, seq, input_size)" : "(seq, batch, input_size)");
  const Tensor time_major = batch_first ? input.transpose(0, 1) : input;
  const int64_t steps = time_major.size(0), batch = time_major.size(1);
  const std::vector<int64_t> batch_sizes(static_cast<size_t>(steps), batch);
  LayerResult result = run_layers(spec, time_major.reshape({steps * batch, time_major.size(2)}),
                                  batch_sizes, batch, h0, c0, params);
  result.output = result.output.reshape({steps, batch, result.output.size(1)});
  if (batch_first) result.output = result.output.transpose(0, 1);
  return result;
}

LayerResult run_packed(const LayerSpec& spec, const Tensor& data, const Tensor& batch_sizes,
                       const Tensor& h0, const Tensor& c0, TensorList params) {
  if (autocast::active()) {
    std::vector<Tensor> all{data, h0, c0};
    all.insert(all.end(), params.begin(), params.end());
    return autocast::float32_list(all, [&](const auto& in) {
      return run_packed(spec, in[0], batch_sizes, in[1], in[2],
                        TensorList(in.data() + 3, in.size() - 3));
    });
  }
  check_floating_input(spec.op, data, 2, "(sum(batch_sizes), input_size)");
  EMBER_CHECK(batch_sizes.defined() && batch_sizes.dim() == 1 && batch_sizes.dtype() == kInt64 &&
                  batch_sizes.device().type() == DeviceType::CPU,
              "[", spec.op, "] expected batch_sizes as a 1-D int64 CPU tensor; got ",
              batch_sizes.defined() ? batch_sizes.shape() : Shape{}, " ",
              batch_sizes.defined() ? batch_sizes.dtype() : kInt64);
  const Tensor sizes = batch_sizes.contiguous();
  const int64_t* values = sizes.data_ptr<int64_t>();
  std::vector<int64_t> steps(values, values + sizes.numel());
  int64_t total = 0;
  for (size_t t = 0; t < steps.size(); ++t) {
    EMBER_CHECK(steps[t] > 0 && (t == 0 || steps[t] <= steps[t - 1]), "[", spec.op,
                "] expected batch_sizes positive and non-increasing (sequences sorted by "
                "decreasing length); got batch_sizes[",
                t, "] = ", steps[t], t > 0 ? " after " : "", t > 0 ? steps[t - 1] : 0);
    total += steps[t];
  }
  EMBER_CHECK(total == data.size(0), "[", spec.op, "] expected data of sum(batch_sizes) = ", total,
              " rows; got shape ", data.shape());
  return run_layers(spec, data, steps, steps.empty() ? 0 : steps[0], h0, c0, params);
}

const Tensor& lstm_state(std::string_view op, TensorList hx, size_t index) {
  EMBER_CHECK(hx.size() == 2, "[", op, "] expected hx as two tensors (h, c); got ", hx.size());
  return hx[index];
}

LayerSpec spec_of(Kind kind, std::string_view op, bool has_biases, int64_t num_layers,
                  double dropout, bool train, bool bidirectional) {
  return {kind, op, has_biases, num_layers, dropout, train, bidirectional};
}

}  // namespace

Tensor rnn_tanh_cell(const Tensor& input, const Tensor& hx, const Tensor& w_ih, const Tensor& w_hh,
                     const Tensor& b_ih, const Tensor& b_hh) {
  return run_cell(Kind::Tanh, "rnn_tanh_cell", input, hx, {}, w_ih, w_hh, b_ih, b_hh).output;
}

Tensor rnn_relu_cell(const Tensor& input, const Tensor& hx, const Tensor& w_ih, const Tensor& w_hh,
                     const Tensor& b_ih, const Tensor& b_hh) {
  return run_cell(Kind::Relu, "rnn_relu_cell", input, hx, {}, w_ih, w_hh, b_ih, b_hh).output;
}

std::tuple<Tensor, Tensor> lstm_cell(const Tensor& input, TensorList hx, const Tensor& w_ih,
                                     const Tensor& w_hh, const Tensor& b_ih, const Tensor& b_hh) {
  const LayerResult state = run_cell(Kind::Lstm, "lstm_cell", input, lstm_state("lstm_cell", hx, 0),
                                     lstm_state("lstm_cell", hx, 1), w_ih, w_hh, b_ih, b_hh);
  return {state.output, state.c_n};
}

Tensor gru_cell(const Tensor& input, const Tensor& hx, const Tensor& w_ih, const Tensor& w_hh,
                const Tensor& b_ih, const Tensor& b_hh) {
  return run_cell(Kind::Gru, "gru_cell", input, hx, {}, w_ih, w_hh, b_ih, b_hh).output;
}

std::tuple<Tensor, Tensor, Tensor> lstm(const Tensor& input, TensorList hx, TensorList params,
                                        bool has_biases, int64_t num_layers, double dropout,
                                        bool train, bool bidirectional, bool batch_first) {
  const LayerSpec spec =
      spec_of(Kind::Lstm, "lstm", has_biases, num_layers, dropout, train, bidirectional);
  const LayerResult r = run_padded(spec, input, lstm_state("lstm", hx, 0),
                                   lstm_state("lstm", hx, 1), params, batch_first);
  return {r.output, r.h_n, r.c_n};
}

std::tuple<Tensor, Tensor, Tensor> lstm(const Tensor& data, const Tensor& batch_sizes,
                                        TensorList hx, TensorList params, bool has_biases,
                                        int64_t num_layers, double dropout, bool train,
                                        bool bidirectional) {
  const LayerSpec spec =
      spec_of(Kind::Lstm, "lstm", has_biases, num_layers, dropout, train, bidirectional);
  const LayerResult r = run_packed(spec, data, batch_sizes, lstm_state("lstm", hx, 0),
                                   lstm_state("lstm", hx, 1), params);
  return {r.output, r.h_n, r.c_n};
}

#define EMBER_SINGLE_STATE_RNN(name, Which)                                                        \
  std::tuple<Tensor, Tensor> name(const Tensor& input, const Tensor& hx, TensorList params,        \
                                  bool has_biases, int64_t num_layers, double dropout, bool train, \
                                  bool bidirectional, bool batch_first) {                          \
    const LayerResult r = run_padded(                                                              \
        spec_of(Kind::Which, #name, has_biases, num_layers, dropout, train, bidirectional), input, \
        hx, {}, params, batch_first);                                                              \
    return {r.output, r.h_n};                                                                      \
  }                                                                                                \
  std::tuple<Tensor, Tensor> name(const Tensor& data, const Tensor& batch_sizes, const Tensor& hx, \
                                  TensorList params, bool has_biases, int64_t num_layers,          \
                                  double dropout, bool train, bool bidirectional) {                \
    const LayerResult r = run_packed(                                                              \
        spec_of(Kind::Which, #name, has_biases, num_layers, dropout, train, bidirectional), data,  \
        batch_sizes, hx, {}, params);                                                              \
    return {r.output, r.h_n};                                                                      \
  }

EMBER_SINGLE_STATE_RNN(gru, Gru)
EMBER_SINGLE_STATE_RNN(rnn_tanh, Tanh)
EMBER_SINGLE_STATE_RNN(rnn_relu, Relu)
#undef EMBER_SINGLE_STATE_RNN

}  // namespace ember
