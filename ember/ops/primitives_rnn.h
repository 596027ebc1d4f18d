// Primitives of the recurrent family (see primitives.h for the contract): all time steps of one
// layer and direction of an RNN, LSTM or GRU in one kernel, and its first-order gradient in one
// kernel (Note [recurrent ops]). The composite of rnn_ops.h stays the reference, and the
// gradient of the gradient differentiates it (autograd/derivatives_rnn.cpp).
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "ember/ops/primitive.h"

namespace ember {

enum class RnnCellKind : uint8_t { Tanh, Relu, Lstm, Gru };

// The gates of a kind: 1 (Elman), 4 (LSTM: i, f, g, o) or 3 (GRU: r, z, n).
inline int64_t rnn_gate_count(RnnCellKind kind) {
  return kind == RnnCellKind::Lstm ? 4 : kind == RnnCellKind::Gru ? 3 : 1;
}

// What both primitives share: the kind, the direction, the batch size of each time step (packed
// layout, non-increasing), which optional weights are present and whether the primitive is one
// cell step with its input projection inside (is_cell: one autograd node per step, the cell ops'
// path, where per-op overhead is the cost at small batches; then reverse and has_projection
// are false and batch_sizes is {N}).
// Where each part of a workspace row starts (RnnLayerShape::workspace_size): the activated gates
// at 0, then h_prev; for LSTM c_t, c_prev and h before the projection; for Elman h (y).
struct RnnWorkspaceLayout {
  int64_t h_prev, c_t, c_prev, h_raw, y;
};

class RnnLayerShape {
 public:
  RnnLayerShape(RnnCellKind kind, bool reverse, std::vector<int64_t> batch_sizes, bool has_bias,
                bool has_projection, bool is_cell = false)
      : kind_(kind),
        reverse_(reverse),
        batch_sizes_(std::move(batch_sizes)),
        has_bias_(has_bias),
        has_projection_(has_projection),
        is_cell_(is_cell) {}
  RnnCellKind cell_kind() const { return kind_; }
  bool reverse() const { return reverse_; }
  const std::vector<int64_t>& batch_sizes() const { return batch_sizes_; }
  bool has_bias() const { return has_bias_; }
  bool has_projection() const { return has_projection_; }
  bool is_lstm() const { return kind_ == RnnCellKind::Lstm; }
  bool is_cell() const { return is_cell_; }
  // Elements per time-step row of the workspace the forward saves for the backward, for hidden
  // size H and output size P: LSTM: activated gates (4H), c_t, c_prev (H each), h_prev (P) and,
  // with a projection, h before it (H); GRU: r, z, n, W_hn h + b_hn (4H), h_prev (P); Elman:
  // h_prev and h (P each).
  int64_t workspace_size(int64_t hidden, int64_t out) const {
    switch (kind_) {
      case RnnCellKind::Lstm:
        return 6 * hidden + out + (has_projection_ ? hidden : 0);
      case RnnCellKind::Gru:
        return 4 * hidden + out;
      case RnnCellKind::Tanh:
      case RnnCellKind::Relu:
        break;
    }
    return 2 * out;
  }
  RnnWorkspaceLayout workspace_layout(int64_t hidden, int64_t out) const {
    switch (kind_) {
      case RnnCellKind::Lstm:
        return {6 * hidden, 4 * hidden, 5 * hidden, 6 * hidden + out, 0};
      case RnnCellKind::Gru:
        return {4 * hidden, 0, 0, 0, 0};
      case RnnCellKind::Tanh:
      case RnnCellKind::Relu:
        break;
    }
    return {0, 0, 0, 0, out};
  }

 private:
  RnnCellKind kind_;
  bool reverse_;
  std::vector<int64_t> batch_sizes_;
  bool has_bias_;
  bool has_projection_;
  bool is_cell_;
};

// inputs (contiguous, one floating dtype): igates (S = sum(batch_sizes), G * H: the input
// projection with b_ih), h0 (N, P), w_hh (G * H, P), then c0 (N, H) for LSTM, b_hh (G * H) when
// has_bias, w_hr (P, H) when has_projection. outputs: output (S, P), h_n (N, P), workspace (S,
// workspace_size), then c_n (N, H) for LSTM.
// A cell (is_cell): inputs: input (N, in), hx (N, H), w_ih (G * H, in), w_hh (G * H, H), then cx
// (N, H) for LSTM, b_ih and b_hh (G * H) when has_bias; outputs: h' (N, H), workspace (N,
// workspace_size), then c' (N, H) for LSTM.
class RnnLayer final : public Primitive, public RnnLayerShape {
 public:
  EMBER_PRIMITIVE(RnnLayer, RnnLayer)
  using RnnLayerShape::RnnLayerShape;
  std::string_view name() const override {
    if (!is_cell()) return is_lstm() ? "lstm" : "rnn_layer";
    switch (cell_kind()) {
      case RnnCellKind::Lstm:
        return "lstm_cell";
      case RnnCellKind::Gru:
        return "gru_cell";
      case RnnCellKind::Relu:
        return "rnn_relu_cell";
      case RnnCellKind::Tanh:
        break;
    }
    return "rnn_tanh_cell";
  }
  void eval_cpu(TensorSpan inputs, TensorSpan outputs) const override;
};

// The gradient of RnnLayer (first order). inputs: grad_output (S, P), grad_h_n (N, P),
// workspace, w_hh, then grad_c_n (N, H) for LSTM, w_hr when has_projection (zeros for gradients
// that did not arrive). outputs: grad_igates (S, G * H), grad_h0 (N, P), grad_w_hh, grad_b_hh
// (G * H), then grad_c0 for LSTM, grad_w_hr when has_projection.
// A cell's: inputs: grad_h (N, H), workspace, input, w_ih, w_hh, then grad_c (N, H) for LSTM;
// outputs (in the order of the cell's inputs): grad_input, grad_hx, grad_w_ih, grad_w_hh, then
// grad_cx for LSTM, grad_b_ih and grad_b_hh when has_bias.
class RnnLayerBackward final : public Primitive, public RnnLayerShape {
 public:
  EMBER_PRIMITIVE(RnnLayerBackward, RnnLayerBackward)
  using RnnLayerShape::RnnLayerShape;
  std::string_view name() const override {
    return is_cell() ? "rnn_cell_backward" : "rnn_layer_backward";
  }
  void eval_cpu(TensorSpan inputs, TensorSpan outputs) const override;
};

}  // namespace ember
