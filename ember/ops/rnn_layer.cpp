// One layer and direction of the recurrent ops (rnn_layer.h): the fused primitive's calls and the
// composite reference, which also holds the composite gate math of rnn_ops.h.
#include "ember/ops/rnn_layer.h"

#include <algorithm>

#include "ember/ops/dispatch.h"
#include "ember/ops/nn_linear.h"
#include "ember/ops/ops.h"
#include "ember/ops/rnn_ops.h"
#include "ember/ops/shape.h"

namespace ember::detail {
namespace {

thread_local bool fused_rnn_gates = true;

struct CellState {
  Tensor h, c;
};

// One composite step from the step's input projection.
CellState step(RnnCellKind kind, const Tensor& igates, const CellState& state, const Tensor& w_hh,
               const Tensor& b_hh, const Tensor& w_hr) {
  const Tensor hgates = linear(state.h, w_hh, b_hh);
  switch (kind) {
    case RnnCellKind::Tanh:
      return {tanh(add(igates, hgates)), {}};
    case RnnCellKind::Relu:
      return {relu(add(igates, hgates)), {}};
    case RnnCellKind::Lstm: {
      auto [h, c] = lstm_gates_composite(igates, hgates, state.c);
      if (w_hr.defined()) h = linear(h, w_hr);
      return {h, c};
    }
    case RnnCellKind::Gru:
      return {gru_gates_composite(igates, hgates, state.h), {}};
  }
  return {};
}

Tensor joined(std::vector<Tensor> parts) { return parts.size() == 1 ? parts[0] : cat(parts, 0); }

}  // namespace

bool use_fused_rnn_gates() { return fused_rnn_gates; }
void set_use_fused_rnn_gates(bool fused) { fused_rnn_gates = fused; }

std::tuple<Tensor, Tensor> lstm_gates_composite(const Tensor& igates, const Tensor& hgates,
                                                const Tensor& cx) {
  const std::vector<Tensor> g = chunk(add(igates, hgates), 4, 1);
  const Tensor cy = add(mul(sigmoid(g[1]), cx), mul(sigmoid(g[0]), tanh(g[2])));
  return {mul(sigmoid(g[3]), tanh(cy)), cy};
}

Tensor gru_gates_composite(const Tensor& igates, const Tensor& hgates, const Tensor& hx) {
  const std::vector<Tensor> i = chunk(igates, 3, 1);
  const std::vector<Tensor> h = chunk(hgates, 3, 1);
  const Tensor r = sigmoid(add(i[0], h[0]));
  const Tensor z = sigmoid(add(i[1], h[1]));
  const Tensor n = tanh(add(i[2], mul(r, h[2])));
  // (1 - z) n + z h = n + z (h - n)
  return add(n, mul(z, sub(hx, n)));
}

// Forward: the batch shrinks as sequences end, and the rows that leave keep their last state.
// Reverse: it grows, each new row starting from its initial state.
RnnLayerResult rnn_layer_composite(RnnCellKind kind, bool reverse,
                                   const std::vector<int64_t>& batch_sizes, const Tensor& igates,
                                   const Tensor& h0, const Tensor& c0, const Tensor& w_hh,
                                   const Tensor& b_hh, const Tensor& w_hr) {
  const auto steps = static_cast<int64_t>(batch_sizes.size());
  std::vector<int64_t> offsets(batch_sizes.size() + 1, 0);
  for (int64_t t = 0; t < steps; ++t) offsets[t + 1] = offsets[t] + batch_sizes[t];
  const bool has_cell = c0.defined();
  if (steps == 0)
    return {empty({0, h0.size(1)}, TensorOptions(igates.dtype()).device(igates.device())), h0, c0};
  std::vector<Tensor> outputs(batch_sizes.size());
  if (!reverse) {
    CellState state{h0, c0};
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
      state = step(kind, igates.narrow(0, offsets[t], batch), state, w_hh, b_hh, w_hr);
      outputs[t] = state.h;
    }
    final_h.push_back(state.h);
    std::reverse(final_h.begin(), final_h.end());
    RnnLayerResult result{cat(outputs, 0), joined(final_h), {}};
    if (has_cell) {
      final_c.push_back(state.c);
      std::reverse(final_c.begin(), final_c.end());
      result.c_n = joined(final_c);
    }
    return result;
  }
  const int64_t last = batch_sizes[steps - 1];
  CellState state{h0.narrow(0, 0, last), has_cell ? c0.narrow(0, 0, last) : Tensor()};
  for (int64_t t = steps - 1; t >= 0; --t) {
    const int64_t batch = batch_sizes[t];
    const int64_t current = state.h.size(0);
    if (batch > current) {
      state.h = cat({state.h, h0.narrow(0, current, batch - current)}, 0);
      if (has_cell) state.c = cat({state.c, c0.narrow(0, current, batch - current)}, 0);
    }
    state = step(kind, igates.narrow(0, offsets[t], batch), state, w_hh, b_hh, w_hr);
    outputs[t] = state.h;
  }
  return {cat(outputs, 0), state.h, state.c};
}

RnnLayerResult rnn_layer(RnnCellKind kind, bool reverse, const std::vector<int64_t>& batch_sizes,
                         const Tensor& igates, const Tensor& h0, const Tensor& c0,
                         const Tensor& w_hh, const Tensor& b_hh, const Tensor& w_hr) {
  if (!use_fused_rnn_gates()) {
    return rnn_layer_composite(kind, reverse, batch_sizes, igates, h0, c0, w_hh, b_hh, w_hr);
  }
  const RnnLayer op(kind, reverse, batch_sizes, b_hh.defined(), w_hr.defined());
  const TensorOptions options = TensorOptions(igates.dtype()).device(igates.device());
  const int64_t hidden = w_hh.size(0) / rnn_gate_count(kind);
  const int64_t batch = h0.size(0), out = h0.size(1);
  std::vector<Tensor> inputs{igates.contiguous(), h0.contiguous(), w_hh.contiguous()};
  if (op.is_lstm()) inputs.push_back(c0.contiguous());
  if (op.has_bias()) inputs.push_back(b_hh.contiguous());
  if (op.has_projection()) inputs.push_back(w_hr.contiguous());
  std::vector<Tensor> outputs{empty({igates.size(0), out}, options), empty({batch, out}, options),
                              empty({igates.size(0), op.workspace_size(hidden, out)}, options)};
  if (op.is_lstm()) outputs.push_back(empty({batch, hidden}, options));
  run(op, TensorSpan(inputs), TensorSpan(outputs));
  return {outputs[0], outputs[1], op.is_lstm() ? outputs[3] : Tensor()};
}

std::vector<Tensor> rnn_layer_backward(const RnnLayerShape& shape, const Tensor& grad_output,
                                       const Tensor& grad_h_n, const Tensor& grad_c_n,
                                       const Tensor& workspace, const Tensor& w_hh,
                                       const Tensor& w_hr) {
  const RnnLayerBackward op(shape.cell_kind(), shape.reverse(), shape.batch_sizes(),
                            shape.has_bias(), shape.has_projection());
  const TensorOptions options = TensorOptions(grad_output.dtype()).device(grad_output.device());
  const int64_t gates = w_hh.size(0), hidden = gates / rnn_gate_count(shape.cell_kind());
  const int64_t batch = grad_h_n.size(0), out = grad_h_n.size(1);
  std::vector<Tensor> inputs{grad_output.contiguous(), grad_h_n.contiguous(),
                             workspace.contiguous(), w_hh.contiguous()};
  if (op.is_lstm()) inputs.push_back(grad_c_n.contiguous());
  if (op.has_projection()) inputs.push_back(w_hr.contiguous());
  std::vector<Tensor> outputs{empty({grad_output.size(0), gates}, options),
                              empty({batch, out}, options), empty({gates, out}, options),
                              empty({gates}, options)};
  if (op.is_lstm()) outputs.push_back(empty({batch, hidden}, options));
  if (op.has_projection()) outputs.push_back(empty({out, hidden}, options));
  run(op, TensorSpan(inputs), TensorSpan(outputs));
  return outputs;
}

RnnLayerResult rnn_cell_composite(RnnCellKind kind, const Tensor& input, const Tensor& hx,
                                  const Tensor& cx, const Tensor& w_ih, const Tensor& w_hh,
                                  const Tensor& b_ih, const Tensor& b_hh) {
  const RnnLayerResult result = rnn_layer_composite(
      kind, false, {input.size(0)}, linear(input, w_ih, b_ih), hx, cx, w_hh, b_hh, {});
  return {result.output, {}, result.c_n};
}

RnnLayerResult rnn_cell(RnnCellKind kind, const Tensor& input, const Tensor& hx, const Tensor& cx,
                        const Tensor& w_ih, const Tensor& w_hh, const Tensor& b_ih,
                        const Tensor& b_hh) {
  if (!use_fused_rnn_gates()) {
    return rnn_cell_composite(kind, input, hx, cx, w_ih, w_hh, b_ih, b_hh);
  }
  const int64_t batch = input.size(0), hidden = hx.size(1);
  const RnnLayer op(kind, false, {batch}, b_ih.defined(), false, true);
  const TensorOptions options = TensorOptions(input.dtype()).device(input.device());
  std::vector<Tensor> inputs{input.contiguous(), hx.contiguous(), w_ih.contiguous(),
                             w_hh.contiguous()};
  if (op.is_lstm()) inputs.push_back(cx.contiguous());
  if (op.has_bias()) {
    inputs.push_back(b_ih.contiguous());
    inputs.push_back(b_hh.contiguous());
  }
  std::vector<Tensor> outputs{empty({batch, hidden}, options),
                              empty({batch, op.workspace_size(hidden, hidden)}, options)};
  if (op.is_lstm()) outputs.push_back(empty({batch, hidden}, options));
  run(op, TensorSpan(inputs), TensorSpan(outputs));
  return {outputs[0], {}, op.is_lstm() ? outputs[2] : Tensor()};
}

std::vector<Tensor> rnn_cell_backward(const RnnLayerShape& shape, const Tensor& grad_h,
                                      const Tensor& grad_c, const Tensor& workspace,
                                      const Tensor& input, const Tensor& w_ih, const Tensor& w_hh) {
  const RnnLayerBackward op(shape.cell_kind(), false, shape.batch_sizes(), shape.has_bias(), false,
                            true);
  const TensorOptions options = TensorOptions(grad_h.dtype()).device(grad_h.device());
  std::vector<Tensor> inputs{grad_h.contiguous(), workspace.contiguous(), input.contiguous(),
                             w_ih.contiguous(), w_hh.contiguous()};
  if (op.is_lstm()) inputs.push_back(grad_c.contiguous());
  std::vector<Tensor> outputs{empty(input.shape(), options), empty(grad_h.shape(), options),
                              empty(w_ih.shape(), options), empty(w_hh.shape(), options)};
  if (op.is_lstm()) outputs.push_back(empty(grad_h.shape(), options));
  if (op.has_bias()) {
    outputs.push_back(empty({w_hh.size(0)}, options));
    outputs.push_back(empty({w_hh.size(0)}, options));
  }
  run(op, TensorSpan(inputs), TensorSpan(outputs));
  return outputs;
}

}  // namespace ember::detail
