// The recurrent cells and layers (rnn_ops.h): argument checks, the per-step gate math and the
// layer driver shared by all four kinds, on padded and packed input. Each layer and direction
// projects the input of all its time steps in one GEMM; each step then adds one GEMM for the
// hidden projection and the gate math (Note [recurrent ops]).
#include "ember/ops/rnn_ops.h"

#include <algorithm>
#include <string_view>
#include <vector>

#include "ember/base/error.h"
#include "ember/ops/nn_dropout.h"
#include "ember/ops/nn_linear.h"
#include "ember/ops/ops.h"
#include "ember/ops/rnn_gates.h"

namespace ember {
namespace {

enum class CellKind { Tanh, Relu, Lstm, Gru };

int64_t gate_count(CellKind kind) {
  switch (kind) {
    case CellKind::Tanh:
    case CellKind::Relu:
      return 1;
    case CellKind::Lstm:
      return 4;
    case CellKind::Gru:
      return 3;
  }
  return 1;
}

// The weights of one layer and direction; the biases and w_hr undefined when absent.
struct CellWeights {
  Tensor w_ih, w_hh, b_ih, b_hh, w_hr;
};

struct CellState {
  Tensor h, c;
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

// The gate math of one step from its two projections.
CellState gates(CellKind kind, const Tensor& igates, const Tensor& hgates, const CellState& state,
                const Tensor& w_hr) {
  switch (kind) {
    case CellKind::Tanh:
      return {tanh(add(igates, hgates)), {}};
    case CellKind::Relu:
      return {relu(add(igates, hgates)), {}};
    case CellKind::Lstm: {
      auto [h, c] = detail::lstm_gates(igates, hgates, state.c);
      if (w_hr.defined()) h = linear(h, w_hr);
      return {h, c};
    }
    case CellKind::Gru:
      return {detail::gru_gates(igates, hgates, state.h), {}};
  }
  return {};
}

CellState step(CellKind kind, const Tensor& igates, const CellState& state,
               const CellWeights& weights) {
  const Tensor hgates = linear(state.h, weights.w_hh, weights.b_hh);
  return gates(kind, igates, hgates, state, weights.w_hr);
}

// ---- cells ----

CellState run_cell(CellKind kind, std::string_view op, const Tensor& input, const Tensor& hx,
                   const Tensor& cx, const Tensor& w_ih, const Tensor& w_hh, const Tensor& b_ih,
                   const Tensor& b_hh) {
  check_floating_input(op, input, 2, "(batch, input_size)");
  EMBER_CHECK(w_hh.defined() && w_hh.dim() == 2 && w_hh.size(0) % gate_count(kind) == 0, "[", op,
              "] expected w_hh of shape (", gate_count(kind), " * hidden_size, hidden_size); got ",
              shape_or_none(w_hh));
  const int64_t hidden = w_hh.size(0) / gate_count(kind);
  const int64_t batch = input.size(0);
  const ScalarType dtype = input.dtype();
  check_tensor(op, "w_hh", w_hh, dtype, {gate_count(kind) * hidden, hidden});
  check_tensor(op, "w_ih", w_ih, dtype, {gate_count(kind) * hidden, input.size(1)});
  check_tensor(op, "hx", hx, dtype, {batch, hidden});
  if (kind == CellKind::Lstm) check_tensor(op, "cx", cx, dtype, {batch, hidden});
  EMBER_CHECK(b_ih.defined() == b_hh.defined(), "[", op,
              "] expected both biases or neither; got b_ih ", shape_or_none(b_ih), " and b_hh ",
              shape_or_none(b_hh));
  if (b_ih.defined()) {
    check_tensor(op, "b_ih", b_ih, dtype, {gate_count(kind) * hidden});
    check_tensor(op, "b_hh", b_hh, dtype, {gate_count(kind) * hidden});
  }
  const Tensor igates = linear(input, w_ih, b_ih);
  return step(kind, igates, {hx, cx}, {w_ih, w_hh, b_ih, b_hh, {}});
}

// ---- layers ----

struct LayerSpec {
  CellKind kind;
  std::string_view op;
  bool has_biases;
  int64_t num_layers;
  double dropout;
  bool train;
  bool bidirectional;
};

struct LayerResult {
  Tensor output, h_n, c_n;
};

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
  const int64_t rows = gate_count(spec.kind) * hidden;
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

// The steps of one direction over the packed layer input. igates: (sum(batch_sizes), G * H).
// Forward: the batch shrinks as sequences end; the rows that leave keep their last state.
// Reverse: it grows, each new row starting from its initial state.
LayerResult run_direction(CellKind kind, const Tensor& igates,
                          const std::vector<int64_t>& batch_sizes, const CellState& initial,
                          const CellWeights& weights, bool reverse) {
  const auto steps = static_cast<int64_t>(batch_sizes.size());
  std::vector<int64_t> offsets(batch_sizes.size() + 1, 0);
  for (int64_t t = 0; t < steps; ++t) offsets[t + 1] = offsets[t] + batch_sizes[t];
  std::vector<Tensor> outputs(batch_sizes.size());
  const bool has_cell = initial.c.defined();
  if (steps == 0) {
    return {empty({0, initial.h.size(1)}, TensorOptions(igates.dtype())), initial.h, initial.c};
  }
  if (!reverse) {
    CellState state = initial;
    std::vector<Tensor> final_h, final_c;
    for (int64_t t = 0; t < steps; ++t) {
      const int64_t batch = batch_sizes[t];
      const int64_t current = state.h.size(0);
      if (batch < current) {
        final_h.push_back(state.h.narrow(0, batch, current - batch));
        state.h = state.h.narrow(0, 0, batch);
        if (has_cell) {
          final_c.push_back(state.c.narrow(0, batch, current - batch));
          state.c = state.c.narrow(0, 0, batch);
        }
      }
      state = step(kind, igates.narrow(0, offsets[t], batch), state, weights);
      outputs[t] = state.h;
    }
    final_h.push_back(state.h);
    std::reverse(final_h.begin(), final_h.end());
    LayerResult result{cat(outputs, 0), final_h.size() == 1 ? final_h[0] : cat(final_h, 0), {}};
    if (has_cell) {
      final_c.push_back(state.c);
      std::reverse(final_c.begin(), final_c.end());
      result.c_n = final_c.size() == 1 ? final_c[0] : cat(final_c, 0);
    }
    return result;
  }
  const int64_t last = batch_sizes[steps - 1];
  CellState state{initial.h.narrow(0, 0, last), has_cell ? initial.c.narrow(0, 0, last) : Tensor()};
  for (int64_t t = steps - 1; t >= 0; --t) {
    const int64_t batch = batch_sizes[t];
    const int64_t current = state.h.size(0);
    if (batch > current) {
      state.h = cat({state.h, initial.h.narrow(0, current, batch - current)}, 0);
      if (has_cell) state.c = cat({state.c, initial.c.narrow(0, current, batch - current)}, 0);
    }
    state = step(kind, igates.narrow(0, offsets[t], batch), state, weights);
    outputs[t] = state.h;
  }
  return {cat(outputs, 0), state.h, state.c};
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
  if (spec.kind == CellKind::Lstm) {
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
      const CellState initial{h0.select(0, cell),
                              spec.kind == CellKind::Lstm ? c0.select(0, cell) : Tensor()};
      LayerResult result =
          run_direction(spec.kind, igates, batch_sizes, initial, w, direction == 1);
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

LayerSpec spec_of(CellKind kind, std::string_view op, bool has_biases, int64_t num_layers,
                  double dropout, bool train, bool bidirectional) {
  return {kind, op, has_biases, num_layers, dropout, train, bidirectional};
}

}  // namespace

Tensor rnn_tanh_cell(const Tensor& input, const Tensor& hx, const Tensor& w_ih, const Tensor& w_hh,
                     const Tensor& b_ih, const Tensor& b_hh) {
  return run_cell(CellKind::Tanh, "rnn_tanh_cell", input, hx, {}, w_ih, w_hh, b_ih, b_hh).h;
}

Tensor rnn_relu_cell(const Tensor& input, const Tensor& hx, const Tensor& w_ih, const Tensor& w_hh,
                     const Tensor& b_ih, const Tensor& b_hh) {
  return run_cell(CellKind::Relu, "rnn_relu_cell", input, hx, {}, w_ih, w_hh, b_ih, b_hh).h;
}

std::tuple<Tensor, Tensor> lstm_cell(const Tensor& input, TensorList hx, const Tensor& w_ih,
                                     const Tensor& w_hh, const Tensor& b_ih, const Tensor& b_hh) {
  const CellState state =
      run_cell(CellKind::Lstm, "lstm_cell", input, lstm_state("lstm_cell", hx, 0),
               lstm_state("lstm_cell", hx, 1), w_ih, w_hh, b_ih, b_hh);
  return {state.h, state.c};
}

Tensor gru_cell(const Tensor& input, const Tensor& hx, const Tensor& w_ih, const Tensor& w_hh,
                const Tensor& b_ih, const Tensor& b_hh) {
  return run_cell(CellKind::Gru, "gru_cell", input, hx, {}, w_ih, w_hh, b_ih, b_hh).h;
}

std::tuple<Tensor, Tensor, Tensor> lstm(const Tensor& input, TensorList hx, TensorList params,
                                        bool has_biases, int64_t num_layers, double dropout,
                                        bool train, bool bidirectional, bool batch_first) {
  const LayerSpec spec =
      spec_of(CellKind::Lstm, "lstm", has_biases, num_layers, dropout, train, bidirectional);
  const LayerResult r = run_padded(spec, input, lstm_state("lstm", hx, 0),
                                   lstm_state("lstm", hx, 1), params, batch_first);
  return {r.output, r.h_n, r.c_n};
}

std::tuple<Tensor, Tensor, Tensor> lstm(const Tensor& data, const Tensor& batch_sizes,
                                        TensorList hx, TensorList params, bool has_biases,
                                        int64_t num_layers, double dropout, bool train,
                                        bool bidirectional) {
  const LayerSpec spec =
      spec_of(CellKind::Lstm, "lstm", has_biases, num_layers, dropout, train, bidirectional);
  const LayerResult r = run_packed(spec, data, batch_sizes, lstm_state("lstm", hx, 0),
                                   lstm_state("lstm", hx, 1), params);
  return {r.output, r.h_n, r.c_n};
}

#define EMBER_SINGLE_STATE_RNN(name, Kind)                                                         \
  std::tuple<Tensor, Tensor> name(const Tensor& input, const Tensor& hx, TensorList params,        \
                                  bool has_biases, int64_t num_layers, double dropout, bool train, \
                                  bool bidirectional, bool batch_first) {                          \
    const LayerResult r = run_padded(                                                              \
        spec_of(CellKind::Kind, #name, has_biases, num_layers, dropout, train, bidirectional),     \
        input, hx, {}, params, batch_first);                                                       \
    return {r.output, r.h_n};                                                                      \
  }                                                                                                \
  std::tuple<Tensor, Tensor> name(const Tensor& data, const Tensor& batch_sizes, const Tensor& hx, \
                                  TensorList params, bool has_biases, int64_t num_layers,          \
                                  double dropout, bool train, bool bidirectional) {                \
    const LayerResult r = run_packed(                                                              \
        spec_of(CellKind::Kind, #name, has_biases, num_layers, dropout, train, bidirectional),     \
        data, batch_sizes, hx, {}, params);                                                        \
    return {r.output, r.h_n};                                                                      \
  }

EMBER_SINGLE_STATE_RNN(gru, Gru)
EMBER_SINGLE_STATE_RNN(rnn_tanh, Tanh)
EMBER_SINGLE_STATE_RNN(rnn_relu, Relu)
#undef EMBER_SINGLE_STATE_RNN

}  // namespace ember
