// The recurrent ops with PyTorch's aten names, argument orders, shapes and gate orders: the four
// cells (rnn_tanh_cell, rnn_relu_cell, lstm_cell, gru_cell) and the full-sequence layers (lstm,
// gru, rnn_tanh, rnn_relu) on padded input or on a packed sequence (data, batch_sizes).
// The modules of both languages are thin shells over these (Note [recurrent ops]).
#pragma once

#include <cstdint>
#include <tuple>

#include "ember/ops/shape.h"
#include "ember/tensor/tensor.h"

namespace ember {

// h' = tanh(input @ w_ih^T + b_ih + hx @ w_hh^T + b_hh): input (N, in), hx (N, H), w_ih (H, in),
// w_hh (H, H), biases (H) or undefined (no bias).
Tensor rnn_tanh_cell(const Tensor& input, const Tensor& hx, const Tensor& w_ih, const Tensor& w_hh,
                     const Tensor& b_ih = {}, const Tensor& b_hh = {});
// rnn_tanh_cell with relu in place of tanh.
Tensor rnn_relu_cell(const Tensor& input, const Tensor& hx, const Tensor& w_ih, const Tensor& w_hh,
                     const Tensor& b_ih = {}, const Tensor& b_hh = {});
// One LSTM step -> (h', c'): hx = {h (N, H), c (N, H)}, w_ih (4H, in), w_hh (4H, H), gates in
// PyTorch's order i, f, g, o: c' = sigmoid(f) c + sigmoid(i) tanh(g), h' = sigmoid(o) tanh(c').
std::tuple<Tensor, Tensor> lstm_cell(const Tensor& input, TensorList hx, const Tensor& w_ih,
                                     const Tensor& w_hh, const Tensor& b_ih = {},
                                     const Tensor& b_hh = {});
// One GRU step: w_ih (3H, in), w_hh (3H, H), gates r, z, n: r = sigmoid(W_ir x + b_ir + W_hr h +
// b_hr), z likewise, n = tanh(W_in x + b_in + r (W_hn h + b_hn)), h' = (1 - z) n + z h.
Tensor gru_cell(const Tensor& input, const Tensor& hx, const Tensor& w_ih, const Tensor& w_hh,
                const Tensor& b_ih = {}, const Tensor& b_hh = {});

// Full-sequence layers on padded input (T, N, in) ((N, T, in) with batch_first) -> (output
// (T, N, D * H_out), h_n (L * D, N, H_out)[, c_n (L * D, N, H)]), D = 2 when bidirectional.
// params: PyTorch's flat order, for each layer and each direction (forward, then reverse):
// w_ih, w_hh, [b_ih, b_hh when has_biases], [w_hr when proj_size > 0]; proj_size is inferred from
// hx (h0.size(2) != c0.size(2)). Dropout with probability `dropout` on the outputs of every layer
// but the last, only when train.
std::tuple<Tensor, Tensor, Tensor> lstm(const Tensor& input, TensorList hx, TensorList params,
                                        bool has_biases, int64_t num_layers, double dropout,
                                        bool train, bool bidirectional, bool batch_first);
std::tuple<Tensor, Tensor> gru(const Tensor& input, const Tensor& hx, TensorList params,
                               bool has_biases, int64_t num_layers, double dropout, bool train,
                               bool bidirectional, bool batch_first);
std::tuple<Tensor, Tensor> rnn_tanh(const Tensor& input, const Tensor& hx, TensorList params,
                                    bool has_biases, int64_t num_layers, double dropout, bool train,
                                    bool bidirectional, bool batch_first);
std::tuple<Tensor, Tensor> rnn_relu(const Tensor& input, const Tensor& hx, TensorList params,
                                    bool has_biases, int64_t num_layers, double dropout, bool train,
                                    bool bidirectional, bool batch_first);

// The same on a packed sequence: data (sum(batch_sizes), in), time-major; batch_sizes a 1-D int64
// CPU tensor, positive and non-increasing. output is packed like data: (sum(batch_sizes), D * H).
std::tuple<Tensor, Tensor, Tensor> lstm(const Tensor& data, const Tensor& batch_sizes,
                                        TensorList hx, TensorList params, bool has_biases,
                                        int64_t num_layers, double dropout, bool train,
                                        bool bidirectional);
std::tuple<Tensor, Tensor> gru(const Tensor& data, const Tensor& batch_sizes, const Tensor& hx,
                               TensorList params, bool has_biases, int64_t num_layers,
                               double dropout, bool train, bool bidirectional);
std::tuple<Tensor, Tensor> rnn_tanh(const Tensor& data, const Tensor& batch_sizes, const Tensor& hx,
                                    TensorList params, bool has_biases, int64_t num_layers,
                                    double dropout, bool train, bool bidirectional);
std::tuple<Tensor, Tensor> rnn_relu(const Tensor& data, const Tensor& batch_sizes, const Tensor& hx,
                                    TensorList params, bool has_biases, int64_t num_layers,
                                    double dropout, bool train, bool bidirectional);

namespace detail {

// The gate math of one step from the two projections (igates = input @ w_ih^T + b_ih, hgates =
// hx @ w_hh^T + b_hh), written from ordinary ops: the reference the fused kernels are tested
// against.
std::tuple<Tensor, Tensor> lstm_gates_composite(const Tensor& igates, const Tensor& hgates,
                                                const Tensor& cx);
Tensor gru_gates_composite(const Tensor& igates, const Tensor& hgates, const Tensor& hx);

// Whether the ops use the fused gate kernels (true, the default) or the composites above; the
// tests switch it to compare the two paths. Thread-local.
bool use_fused_rnn_gates();
void set_use_fused_rnn_gates(bool fused);

}  // namespace detail

}  // namespace ember
