// The recurrent layers and cells of rnn.h.
#include "ember/nn/modules/rnn.h"

#include <cmath>
#include <string_view>

#include "ember/base/error.h"
#include "ember/base/warning.h"
#include "ember/ops/nn_init.h"
#include "ember/ops/ops.h"
#include "ember/ops/rnn_ops.h"

namespace ember::nn {
namespace {

std::string_view mode_name(RNNMode mode) {
  constexpr std::string_view kNames[] = {"RNN", "RNN", "LSTM", "GRU"};
  return kNames[static_cast<int>(mode)];
}

int64_t gate_count(RNNMode mode) {
  constexpr int64_t kGates[] = {1, 1, 4, 3};
  return kGates[static_cast<int>(mode)];
}

std::string_view cell_name(RNNMode mode) {
  constexpr std::string_view kNames[] = {"RNNCell", "RNNCell", "LSTMCell", "GRUCell"};
  return kNames[static_cast<int>(mode)];
}

RNNMode rnn_mode(const RNNNonlinearity& nonlinearity) {
  return std::holds_alternative<enumtype::kTanh>(nonlinearity) ? RNNMode::kRNNTanh
                                                               : RNNMode::kRNNReLU;
}

void check_hidden(const Tensor& h, const std::vector<int64_t>& expected, std::string_view layer,
                  const char* which, const Tensor& input) {
  EMBER_CHECK(h.shape() == expected, "[", layer, "] expected ", which, " of shape ",
              IntArrayRef(expected), "; got ", h.shape());
  EMBER_CHECK_TYPE(h.dtype() == input.dtype(), "[", layer, "] expected ", which,
                   " of the input's dtype ", input.dtype(), "; got ", h.dtype());
}

}  // namespace

namespace detail {

void check_rnn_config(const RNNConfig& config) {
  const std::string_view layer = mode_name(config.mode);
  EMBER_CHECK_VALUE(config.dropout >= 0.0 && config.dropout <= 1.0, "[", layer,
                    "] dropout should be a number in range [0, 1] representing the probability "
                    "of an element being zeroed; got ",
                    config.dropout);
  EMBER_CHECK_VALUE(config.input_size >= 0, "[", layer, "] input_size must be non-negative; got ",
                    config.input_size);
  EMBER_CHECK_VALUE(config.hidden_size > 0, "[", layer,
                    "] hidden_size must be greater than zero; got ", config.hidden_size);
  EMBER_CHECK_VALUE(config.num_layers > 0, "[", layer,
                    "] num_layers must be greater than zero; got ", config.num_layers);
  EMBER_CHECK_VALUE(config.proj_size >= 0, "[", layer,
                    "] proj_size should be a positive integer or zero to disable projections; "
                    "got ",
                    config.proj_size);
  EMBER_CHECK_VALUE(config.proj_size < config.hidden_size, "[", layer,
                    "] proj_size has to be smaller than hidden_size; got proj_size ",
                    config.proj_size, " and hidden_size ", config.hidden_size);
  EMBER_CHECK_VALUE(config.proj_size == 0 || config.mode == RNNMode::kLSTM, "[", layer,
                    "] proj_size argument is only supported for LSTM, not RNN or GRU");
  if (config.dropout > 0.0 && config.num_layers == 1) {
    warn("[", layer,
         "] dropout option adds dropout after all but last recurrent layer, so non-zero dropout "
         "expects num_layers greater than 1, but got dropout=",
         config.dropout, " and num_layers=", config.num_layers);
  }
}

std::vector<std::pair<std::string, std::vector<int64_t>>> rnn_flat_weight_shapes(
    const RNNConfig& config) {
  const int64_t gate_size = gate_count(config.mode) * config.hidden_size;
  const int64_t real_hidden = config.proj_size > 0 ? config.proj_size : config.hidden_size;
  const int64_t directions = config.bidirectional ? 2 : 1;
  std::vector<std::pair<std::string, std::vector<int64_t>>> shapes;
  for (int64_t layer = 0; layer < config.num_layers; ++layer) {
    const int64_t layer_input = layer == 0 ? config.input_size : real_hidden * directions;
    for (int64_t direction = 0; direction < directions; ++direction) {
      const std::string suffix = "_l" + std::to_string(layer) + (direction == 1 ? "_reverse" : "");
      shapes.push_back({"weight_ih" + suffix, {gate_size, layer_input}});
      shapes.push_back({"weight_hh" + suffix, {gate_size, real_hidden}});
      if (config.bias) {
        shapes.push_back({"bias_ih" + suffix, {gate_size}});
        shapes.push_back({"bias_hh" + suffix, {gate_size}});
      }
      if (config.proj_size > 0) {
        shapes.push_back({"weight_hr" + suffix, {config.proj_size, config.hidden_size}});
      }
    }
  }
  return shapes;
}

std::tuple<Tensor, Tensor, Tensor> rnn_forward(const RNNConfig& config, bool train,
                                               const Tensor& input, const Tensor& batch_sizes,
                                               const Tensor& sorted_indices,
                                               const Tensor& unsorted_indices, const Tensor& hx,
                                               const Tensor& cx, TensorList flat_weights) {
  const std::string_view layer = mode_name(config.mode);
  const bool is_lstm = config.mode == RNNMode::kLSTM;
  const bool packed = batch_sizes.defined();
  const int64_t directions = config.bidirectional ? 2 : 1;
  const int64_t real_hidden = config.proj_size > 0 ? config.proj_size : config.hidden_size;
  const int64_t batch_dim = config.batch_first ? 0 : 1;
  Tensor x = input;
  bool unbatched = false;
  int64_t batch = 0;
  if (packed) {
    EMBER_CHECK(input.dim() == 2, "[", layer,
                "] expected packed data of 2 dims (rows, input_size); got shape ", input.shape());
    EMBER_CHECK(batch_sizes.numel() > 0, "[", layer, "] expected a non-empty packed sequence");
    batch = batch_sizes.select(0, 0).item<int64_t>();
  } else {
    EMBER_CHECK_VALUE(input.dim() == 2 || input.dim() == 3, "[", layer,
                      "] expected input of 2 (unbatched) or 3 dims; got shape ", input.shape());
    unbatched = input.dim() == 2;
    if (unbatched) x = input.unsqueeze(batch_dim);
    batch = x.size(batch_dim);
  }
  EMBER_CHECK(x.size(-1) == config.input_size, "[", layer,
              "] input.size(-1) must be equal to input_size. Expected ", config.input_size,
              ", got ", x.size(-1));
  Tensor h = hx;
  Tensor c = cx;
  const std::vector<int64_t> h_shape{config.num_layers * directions, batch, real_hidden};
  const std::vector<int64_t> c_shape{config.num_layers * directions, batch, config.hidden_size};
  if (!h.defined()) {
    h = zeros(h_shape, x.options());
    if (is_lstm) c = zeros(c_shape, x.options());
  } else {
    EMBER_CHECK(!is_lstm || c.defined(), "[", layer, "] expected hx as a pair (h_0, c_0)");
    const int64_t expected_dim = unbatched ? 2 : 3;
    EMBER_CHECK(h.dim() == expected_dim && (!is_lstm || c.dim() == expected_dim), "[", layer,
                "] for ", unbatched ? "unbatched 2-D" : "batched 3-D", " input, hx should be ",
                expected_dim, "-D; got shape ", h.shape());
    if (unbatched) {
      h = h.unsqueeze(1);
      if (is_lstm) c = c.unsqueeze(1);
    }
    if (sorted_indices.defined()) {
      h = h.index_select(1, sorted_indices);
      if (is_lstm) c = c.index_select(1, sorted_indices);
    }
  }
  check_hidden(h, h_shape, layer, is_lstm ? "h_0" : "hx", x);
  if (is_lstm) check_hidden(c, c_shape, layer, "c_0", x);
  EMBER_CHECK(static_cast<int64_t>(flat_weights.size()) ==
                  static_cast<int64_t>(rnn_flat_weight_shapes(config).size()),
              "[", layer, "] expected ", rnn_flat_weight_shapes(config).size(),
              " flat weights; got ", flat_weights.size());
  Tensor output;
  Tensor h_n;
  Tensor c_n;
  const int64_t layers = config.num_layers;
  const double p = config.dropout;
  const bool bias = config.bias;
  const bool bidir = config.bidirectional;
  switch (config.mode) {
    case RNNMode::kLSTM:
      std::tie(output, h_n, c_n) =
          packed ? lstm(x, batch_sizes, {h, c}, flat_weights, bias, layers, p, train, bidir)
                 : lstm(x, {h, c}, flat_weights, bias, layers, p, train, bidir, config.batch_first);
      break;
    case RNNMode::kGRU:
      std::tie(output, h_n) =
          packed ? gru(x, batch_sizes, h, flat_weights, bias, layers, p, train, bidir)
                 : gru(x, h, flat_weights, bias, layers, p, train, bidir, config.batch_first);
      break;
    case RNNMode::kRNNTanh:
      std::tie(output, h_n) =
          packed ? rnn_tanh(x, batch_sizes, h, flat_weights, bias, layers, p, train, bidir)
                 : rnn_tanh(x, h, flat_weights, bias, layers, p, train, bidir, config.batch_first);
      break;
    case RNNMode::kRNNReLU:
      std::tie(output, h_n) =
          packed ? rnn_relu(x, batch_sizes, h, flat_weights, bias, layers, p, train, bidir)
                 : rnn_relu(x, h, flat_weights, bias, layers, p, train, bidir, config.batch_first);
      break;
  }
  if (unsorted_indices.defined()) {
    h_n = h_n.index_select(1, unsorted_indices);
    if (is_lstm) c_n = c_n.index_select(1, unsorted_indices);
  }
  if (unbatched) {
    output = output.squeeze(batch_dim);
    h_n = h_n.squeeze(1);
    if (is_lstm) c_n = c_n.squeeze(1);
  }
  return {output, h_n, c_n};
}

std::tuple<Tensor, Tensor> rnn_cell_forward(RNNMode mode, const Tensor& input, const Tensor& hx,
                                            const Tensor& cx, const Tensor& w_ih,
                                            const Tensor& w_hh, const Tensor& b_ih,
                                            const Tensor& b_hh) {
  const std::string_view cell = cell_name(mode);
  const bool is_lstm = mode == RNNMode::kLSTM;
  EMBER_CHECK_VALUE(input.dim() == 1 || input.dim() == 2, "[", cell,
                    "] expected input to be 1D or 2D; got shape ", input.shape());
  EMBER_CHECK_VALUE(!hx.defined() || hx.dim() == 1 || hx.dim() == 2, "[", cell,
                    "] expected hidden to be 1D or 2D; got shape ", hx.shape());
  EMBER_CHECK(!is_lstm || hx.defined() == cx.defined(), "[", cell,
              "] expected hx as a pair (h_0, c_0)");
  const bool unbatched = input.dim() == 1;
  const Tensor x = unbatched ? input.unsqueeze(0) : input;
  const auto batched_state = [&](const Tensor& state) {
    if (!state.defined()) return zeros({x.size(0), w_hh.size(1)}, x.options());
    EMBER_CHECK_VALUE(state.dim() == input.dim(), "[", cell, "] expected hidden of ", input.dim(),
                      " dims for input of shape ", input.shape(), "; got shape ", state.shape());
    return unbatched ? state.unsqueeze(0) : state;
  };
  const Tensor h = batched_state(hx);
  Tensor h_next;
  Tensor c_next;
  switch (mode) {
    case RNNMode::kLSTM:
      std::tie(h_next, c_next) = lstm_cell(x, {h, batched_state(cx)}, w_ih, w_hh, b_ih, b_hh);
      break;
    case RNNMode::kGRU:
      h_next = gru_cell(x, h, w_ih, w_hh, b_ih, b_hh);
      break;
    case RNNMode::kRNNTanh:
      h_next = rnn_tanh_cell(x, h, w_ih, w_hh, b_ih, b_hh);
      break;
    case RNNMode::kRNNReLU:
      h_next = rnn_relu_cell(x, h, w_ih, w_hh, b_ih, b_hh);
      break;
  }
  if (unbatched) {
    h_next = h_next.squeeze(0);
    if (is_lstm) c_next = c_next.squeeze(0);
  }
  return {h_next, c_next};
}

}  // namespace detail

RNNImplBase::RNNImplBase(const RNNConfig& config) : config_(config) {
  detail::check_rnn_config(config_);
  reset();
}

void RNNImplBase::reset() {
  flat_weights_.clear();
  flat_weights_names_.clear();
  for (const auto& [name, shape] : detail::rnn_flat_weight_shapes(config_)) {
    flat_weights_.push_back(register_parameter(name, ember::empty(shape)));
    flat_weights_names_.push_back(name);
  }
  reset_parameters();
}

void RNNImplBase::reset_parameters() {
  const double bound = 1.0 / std::sqrt(static_cast<double>(config_.hidden_size));
  for (Tensor& weight : flat_weights_) init::uniform_(weight, -bound, bound);
}

std::vector<std::vector<Tensor>> RNNImplBase::all_weights() const {
  const size_t per_direction =
      flat_weights_.size() /
      static_cast<size_t>(config_.num_layers * (config_.bidirectional ? 2 : 1));
  std::vector<std::vector<Tensor>> groups;
  for (size_t start = 0; start < flat_weights_.size(); start += per_direction) {
    groups.emplace_back(flat_weights_.begin() + static_cast<std::ptrdiff_t>(start),
                        flat_weights_.begin() + static_cast<std::ptrdiff_t>(start + per_direction));
  }
  return groups;
}

void RNNImplBase::pretty_print(std::ostream& stream) const {
  stream << std::boolalpha << "ember::nn::" << mode_name(config_.mode)
         << "(input_size=" << config_.input_size << ", hidden_size=" << config_.hidden_size
         << ", num_layers=" << config_.num_layers << ", bias=" << config_.bias
         << ", batch_first=" << config_.batch_first << ", dropout=" << config_.dropout
         << ", bidirectional=" << config_.bidirectional;
  if (config_.proj_size > 0) stream << ", proj_size=" << config_.proj_size;
  if (config_.mode == RNNMode::kRNNReLU) stream << ", nonlinearity=relu";
  stream << ")";
}

std::tuple<Tensor, Tensor, Tensor> RNNImplBase::forward_layer(const Tensor& input,
                                                              const Tensor& batch_sizes,
                                                              const Tensor& sorted_indices,
                                                              const Tensor& unsorted_indices,
                                                              const Tensor& hx, const Tensor& cx) {
  return detail::rnn_forward(config_, is_training(), input, batch_sizes, sorted_indices,
                             unsorted_indices, hx, cx, flat_weights_);
}

namespace {

RNNConfig config_of(const RNNOptions& o) {
  return {rnn_mode(o.nonlinearity()),
          o.input_size(),
          o.hidden_size(),
          o.num_layers(),
          o.bias(),
          o.batch_first(),
          o.dropout(),
          o.bidirectional(),
          0};
}

RNNConfig config_of(const LSTMOptions& o) {
  return {RNNMode::kLSTM,  o.input_size(), o.hidden_size(),   o.num_layers(), o.bias(),
          o.batch_first(), o.dropout(),    o.bidirectional(), o.proj_size()};
}

RNNConfig config_of(const GRUOptions& o) {
  return {RNNMode::kGRU,  o.input_size(),    o.hidden_size(),
          o.num_layers(), o.bias(),          o.batch_first(),
          o.dropout(),    o.bidirectional(), 0};
}

using utils::rnn::PackedSequence;

PackedSequence packed_like(const Tensor& output, const PackedSequence& input) {
  return PackedSequence(output, input.batch_sizes(), input.sorted_indices(),
                        input.unsorted_indices());
}

}  // namespace

RNNImpl::RNNImpl(const RNNOptions& options_)
    : RNNImplBase(config_of(options_)), options(options_) {}

std::tuple<Tensor, Tensor> RNNImpl::forward(const Tensor& input, const Tensor& hx) {
  auto [output, h_n, c_n] = forward_layer(input, {}, {}, {}, hx, {});
  return {output, h_n};
}

std::tuple<PackedSequence, Tensor> RNNImpl::forward_with_packed_input(
    const PackedSequence& packed_input, const Tensor& hx) {
  auto [output, h_n, c_n] =
      forward_layer(packed_input.data(), packed_input.batch_sizes(), packed_input.sorted_indices(),
                    packed_input.unsorted_indices(), hx, {});
  return {packed_like(output, packed_input), h_n};
}

LSTMImpl::LSTMImpl(const LSTMOptions& options_)
    : RNNImplBase(config_of(options_)), options(options_) {}

std::tuple<Tensor, std::tuple<Tensor, Tensor>> LSTMImpl::forward(
    const Tensor& input, std::optional<std::tuple<Tensor, Tensor>> hx_opt) {
  const auto [h0, c0] = hx_opt.value_or(std::tuple<Tensor, Tensor>{});
  auto [output, h_n, c_n] = forward_layer(input, {}, {}, {}, h0, c0);
  return {output, {h_n, c_n}};
}

std::tuple<PackedSequence, std::tuple<Tensor, Tensor>> LSTMImpl::forward_with_packed_input(
    const PackedSequence& packed_input, std::optional<std::tuple<Tensor, Tensor>> hx_opt) {
  const auto [h0, c0] = hx_opt.value_or(std::tuple<Tensor, Tensor>{});
  auto [output, h_n, c_n] =
      forward_layer(packed_input.data(), packed_input.batch_sizes(), packed_input.sorted_indices(),
                    packed_input.unsorted_indices(), h0, c0);
  return {packed_like(output, packed_input), {h_n, c_n}};
}

GRUImpl::GRUImpl(const GRUOptions& options_)
    : RNNImplBase(config_of(options_)), options(options_) {}

std::tuple<Tensor, Tensor> GRUImpl::forward(const Tensor& input, const Tensor& hx) {
  auto [output, h_n, c_n] = forward_layer(input, {}, {}, {}, hx, {});
  return {output, h_n};
}

std::tuple<PackedSequence, Tensor> GRUImpl::forward_with_packed_input(
    const PackedSequence& packed_input, const Tensor& hx) {
  auto [output, h_n, c_n] =
      forward_layer(packed_input.data(), packed_input.batch_sizes(), packed_input.sorted_indices(),
                    packed_input.unsorted_indices(), hx, {});
  return {packed_like(output, packed_input), h_n};
}

RNNCellImplBase::RNNCellImplBase(RNNMode mode, int64_t input_size, int64_t hidden_size, bool bias)
    : mode_(mode), input_size_(input_size), hidden_size_(hidden_size), bias_(bias) {
  EMBER_CHECK_VALUE(input_size >= 0 && hidden_size > 0, "[", cell_name(mode),
                    "] expected input_size >= 0 and hidden_size > 0; got ", input_size, " and ",
                    hidden_size);
  reset();
}

void RNNCellImplBase::reset() {
  const int64_t gates = gate_count(mode_) * hidden_size_;
  weight_ih = register_parameter("weight_ih", ember::empty({gates, input_size_}));
  weight_hh = register_parameter("weight_hh", ember::empty({gates, hidden_size_}));
  if (bias_) {
    bias_ih = register_parameter("bias_ih", ember::empty({gates}));
    bias_hh = register_parameter("bias_hh", ember::empty({gates}));
  } else {
    bias_ih = register_parameter("bias_ih", Tensor(), /*requires_grad=*/false);
    bias_hh = register_parameter("bias_hh", Tensor(), /*requires_grad=*/false);
  }
  reset_parameters();
}

void RNNCellImplBase::reset_parameters() {
  const double bound = 1.0 / std::sqrt(static_cast<double>(hidden_size_));
  for (Tensor* weight : {&weight_ih, &weight_hh, &bias_ih, &bias_hh}) {
    if (weight->defined()) init::uniform_(*weight, -bound, bound);
  }
}

void RNNCellImplBase::pretty_print(std::ostream& stream) const {
  stream << std::boolalpha << "ember::nn::" << cell_name(mode_) << "(" << input_size_ << ", "
         << hidden_size_ << ", bias=" << bias_;
  if (mode_ == RNNMode::kRNNReLU) stream << ", nonlinearity=relu";
  stream << ")";
}

std::tuple<Tensor, Tensor> RNNCellImplBase::forward_cell(const Tensor& input, const Tensor& hx,
                                                         const Tensor& cx) {
  return detail::rnn_cell_forward(mode_, input, hx, cx, weight_ih, weight_hh, bias_ih, bias_hh);
}

RNNCellImpl::RNNCellImpl(const RNNCellOptions& options_)
    : RNNCellImplBase(rnn_mode(options_.nonlinearity()), options_.input_size(),
                      options_.hidden_size(), options_.bias()),
      options(options_) {}

Tensor RNNCellImpl::forward(const Tensor& input, const Tensor& hx) {
  return std::get<0>(forward_cell(input, hx, {}));
}

LSTMCellImpl::LSTMCellImpl(const LSTMCellOptions& options_)
    : RNNCellImplBase(RNNMode::kLSTM, options_.input_size(), options_.hidden_size(),
                      options_.bias()),
      options(options_) {}

std::tuple<Tensor, Tensor> LSTMCellImpl::forward(const Tensor& input,
                                                 std::optional<std::tuple<Tensor, Tensor>> hx_opt) {
  const auto [h0, c0] = hx_opt.value_or(std::tuple<Tensor, Tensor>{});
  return forward_cell(input, h0, c0);
}

GRUCellImpl::GRUCellImpl(const GRUCellOptions& options_)
    : RNNCellImplBase(RNNMode::kGRU, options_.input_size(), options_.hidden_size(),
                      options_.bias()),
      options(options_) {}

Tensor GRUCellImpl::forward(const Tensor& input, const Tensor& hx) {
  return std::get<0>(forward_cell(input, hx, {}));
}

}  // namespace ember::nn
