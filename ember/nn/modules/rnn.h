// The recurrent layers and cells (libtorch's torch/nn/modules/rnn.h): RNN (tanh or relu), LSTM
// (with proj_size), GRU, RNNCell, LSTMCell, GRUCell. Each registers PyTorch's parameters
// (weight_ih_l{k}[_reverse], weight_hh_l{k}..., bias_ih_l{k}..., bias_hh_l{k}...,
// weight_hr_l{k}...) in PyTorch's order and draws every one from U(-1/sqrt(hidden_size),
// 1/sqrt(hidden_size)) in that order, so the same seed gives the same parameters in C++ and Python.
// The forwards are thin: the argument handling PyTorch's modules do (unbatched input, default
// and permuted initial states, the packed batch's order, shape checks) lives once in
// detail::rnn_forward / detail::rnn_cell_forward, which python/ember/nn/modules/rnn.py calls too,
// and the math in the ops of ember/ops/rnn_ops.h.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "ember/nn/module.h"
#include "ember/nn/options/rnn.h"
#include "ember/nn/pimpl.h"
#include "ember/nn/utils/rnn.h"

namespace ember::nn {

enum class RNNMode { kRNNTanh, kRNNReLU, kLSTM, kGRU };

// The settings of a recurrent layer, whichever its options struct.
struct RNNConfig {
  RNNMode mode = RNNMode::kLSTM;
  int64_t input_size = 0;
  int64_t hidden_size = 0;
  int64_t num_layers = 1;
  bool bias = true;
  bool batch_first = false;
  double dropout = 0.0;
  bool bidirectional = false;
  int64_t proj_size = 0;
};

namespace detail {

// Checks the settings (positive sizes, dropout in [0, 1], proj_size only for LSTM and below
// hidden_size) and warns, as PyTorch does, about dropout with a single layer.
void check_rnn_config(const RNNConfig& config);

// PyTorch's flat weights: names and shapes in registration order (for each layer, for each
// direction: w_ih, w_hh, [b_ih, b_hh], [w_hr]).
std::vector<std::pair<std::string, std::vector<int64_t>>> rnn_flat_weight_shapes(
    const RNNConfig& config);

// A recurrent layer's forward: input (T, N, in) / (N, T, in) / unbatched (T, in), or packed
// rows when batch_sizes is defined (then sorted_indices/unsorted_indices order the batch); hx
// (and cx for LSTM) undefined for zeros. Returns (output, h_n, c_n) (c_n undefined unless LSTM),
// output packed like the input when it is packed.
std::tuple<Tensor, Tensor, Tensor> rnn_forward(const RNNConfig& config, bool train,
                                               const Tensor& input, const Tensor& batch_sizes,
                                               const Tensor& sorted_indices,
                                               const Tensor& unsorted_indices, const Tensor& hx,
                                               const Tensor& cx, TensorList flat_weights);

// A cell's forward: input (N, in) or unbatched (in), hx (and cx for LSTM) undefined for zeros.
// Returns (h', c') (c' undefined unless LSTM).
std::tuple<Tensor, Tensor> rnn_cell_forward(RNNMode mode, const Tensor& input, const Tensor& hx,
                                            const Tensor& cx, const Tensor& w_ih,
                                            const Tensor& w_hh, const Tensor& b_ih,
                                            const Tensor& b_hh);

}  // namespace detail

// What RNN, LSTM and GRU share: the flat weights and their initialisation.
class RNNImplBase : public Module {
 public:
  explicit RNNImplBase(const RNNConfig& config);

  // Registers the parameters and initialises them (the constructor calls it).
  void reset();
  void reset_parameters();
  // The weights are always used as registered; kept for PyTorch's API.
  void flatten_parameters() {}
  // The parameters in PyTorch's flat order.
  const std::vector<Tensor>& flat_weights() const { return flat_weights_; }
  // The parameters grouped per layer and direction.
  std::vector<std::vector<Tensor>> all_weights() const;
  void pretty_print(std::ostream& stream) const override;

 protected:
  std::tuple<Tensor, Tensor, Tensor> forward_layer(const Tensor& input, const Tensor& batch_sizes,
                                                   const Tensor& sorted_indices,
                                                   const Tensor& unsorted_indices, const Tensor& hx,
                                                   const Tensor& cx);
  RNNConfig config_;
  std::vector<Tensor> flat_weights_;
  std::vector<std::string> flat_weights_names_;
};

// h_t = tanh (or relu)(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh), per layer and direction.
class RNNImpl : public RNNImplBase {
 public:
  RNNImpl(int64_t input_size, int64_t hidden_size) : RNNImpl(RNNOptions(input_size, hidden_size)) {}
  explicit RNNImpl(const RNNOptions& options_);

  // -> (output, h_n).
  std::tuple<Tensor, Tensor> forward(const Tensor& input, const Tensor& hx = {});
  std::tuple<utils::rnn::PackedSequence, Tensor> forward_with_packed_input(
      const utils::rnn::PackedSequence& packed_input, const Tensor& hx = {});

  RNNOptions options;
};
EMBER_MODULE(RNN);

// LSTM with PyTorch's gates i, f, g, o (and weight_hr with proj_size > 0).
class LSTMImpl : public RNNImplBase {
 public:
  LSTMImpl(int64_t input_size, int64_t hidden_size)
      : LSTMImpl(LSTMOptions(input_size, hidden_size)) {}
  explicit LSTMImpl(const LSTMOptions& options_);

  // -> (output, (h_n, c_n)).
  std::tuple<Tensor, std::tuple<Tensor, Tensor>> forward(
      const Tensor& input, std::optional<std::tuple<Tensor, Tensor>> hx_opt = {});
  std::tuple<utils::rnn::PackedSequence, std::tuple<Tensor, Tensor>> forward_with_packed_input(
      const utils::rnn::PackedSequence& packed_input,
      std::optional<std::tuple<Tensor, Tensor>> hx_opt = {});

  LSTMOptions options;
};
EMBER_MODULE(LSTM);

// GRU with PyTorch's gates r, z, n.
class GRUImpl : public RNNImplBase {
 public:
  GRUImpl(int64_t input_size, int64_t hidden_size) : GRUImpl(GRUOptions(input_size, hidden_size)) {}
  explicit GRUImpl(const GRUOptions& options_);

  // -> (output, h_n).
  std::tuple<Tensor, Tensor> forward(const Tensor& input, const Tensor& hx = {});
  std::tuple<utils::rnn::PackedSequence, Tensor> forward_with_packed_input(
      const utils::rnn::PackedSequence& packed_input, const Tensor& hx = {});

  GRUOptions options;
};
EMBER_MODULE(GRU);

// What the cells share: weight_ih (G * hidden, input), weight_hh (G * hidden, hidden), bias_ih,
// bias_hh (G * hidden), G gates, all from U(-1/sqrt(hidden), 1/sqrt(hidden)).
class RNNCellImplBase : public Module {
 public:
  RNNCellImplBase(RNNMode mode, int64_t input_size, int64_t hidden_size, bool bias);

  void reset();
  void reset_parameters();
  void pretty_print(std::ostream& stream) const override;

  Tensor weight_ih;
  Tensor weight_hh;
  Tensor bias_ih;  // undefined with bias(false)
  Tensor bias_hh;

 protected:
  std::tuple<Tensor, Tensor> forward_cell(const Tensor& input, const Tensor& hx, const Tensor& cx);
  RNNMode mode_;
  int64_t input_size_;
  int64_t hidden_size_;
  bool bias_;
};

class RNNCellImpl : public RNNCellImplBase {
 public:
  RNNCellImpl(int64_t input_size, int64_t hidden_size)
      : RNNCellImpl(RNNCellOptions(input_size, hidden_size)) {}
  explicit RNNCellImpl(const RNNCellOptions& options_);
  Tensor forward(const Tensor& input, const Tensor& hx = {});
  RNNCellOptions options;
};
EMBER_MODULE(RNNCell);

class LSTMCellImpl : public RNNCellImplBase {
 public:
  LSTMCellImpl(int64_t input_size, int64_t hidden_size)
      : LSTMCellImpl(LSTMCellOptions(input_size, hidden_size)) {}
  explicit LSTMCellImpl(const LSTMCellOptions& options_);
  // -> (h', c').
  std::tuple<Tensor, Tensor> forward(const Tensor& input,
                                     std::optional<std::tuple<Tensor, Tensor>> hx_opt = {});
  LSTMCellOptions options;
};
EMBER_MODULE(LSTMCell);

class GRUCellImpl : public RNNCellImplBase {
 public:
  GRUCellImpl(int64_t input_size, int64_t hidden_size)
      : GRUCellImpl(GRUCellOptions(input_size, hidden_size)) {}
  explicit GRUCellImpl(const GRUCellOptions& options_);
  Tensor forward(const Tensor& input, const Tensor& hx = {});
  GRUCellOptions options;
};
EMBER_MODULE(GRUCell);

}  // namespace ember::nn
