// The recurrent modules' shared forwards (ember/nn/modules/rnn.h detail::rnn_forward,
// detail::rnn_cell_forward) and their flat-weight table into ember._C._nn, for
// python/ember/nn/modules/rnn.py: the Python layers keep their parameters and call these.
#include <nanobind/nanobind.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/pair.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/string_view.h>
#include <nanobind/stl/tuple.h>
#include <nanobind/stl/vector.h>

#include <optional>
#include <string_view>
#include <vector>

#include "convert.h"
#include "ember/base/error.h"
#include "ember/nn/modules/rnn.h"
#include "nn.h"

namespace ember::python {
namespace {

using OptionalTensor = std::optional<Tensor>;
using nn::RNNMode;

RNNMode mode_of(std::string_view mode) {
  if (mode == "RNN_TANH") return RNNMode::kRNNTanh;
  if (mode == "RNN_RELU") return RNNMode::kRNNReLU;
  if (mode == "LSTM") return RNNMode::kLSTM;
  EMBER_CHECK_VALUE(mode == "GRU", "[RNNBase] unrecognized RNN mode '", mode,
                    "'; expected 'RNN_TANH', 'RNN_RELU', 'LSTM' or 'GRU'");
  return RNNMode::kGRU;
}

// (mode, input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional,
// proj_size), as RNNBase keeps them.
using ConfigTuple =
    std::tuple<std::string_view, int64_t, int64_t, int64_t, bool, bool, double, bool, int64_t>;

nn::RNNConfig config_of(const ConfigTuple& c) {
  return {mode_of(std::get<0>(c)), std::get<1>(c), std::get<2>(c), std::get<3>(c), std::get<4>(c),
          std::get<5>(c),          std::get<6>(c), std::get<7>(c), std::get<8>(c)};
}

Tensor or_undefined(const OptionalTensor& t) { return t.value_or(Tensor()); }

nb::object tensor_or_none(const Tensor& t) { return t.defined() ? nb::cast(t) : nb::none(); }

}  // namespace

void init_nn_rnn(nb::module_& nn) {
  nn.def(
      "_rnn_check_config",
      [](const ConfigTuple& config) { nn::detail::check_rnn_config(config_of(config)); },
      nb::arg("config"), nb::sig("def _rnn_check_config(config) -> None"),
      "Checks a recurrent layer's settings (mode, input_size, hidden_size, num_layers, bias, "
      "batch_first, dropout, bidirectional, proj_size).");
  nn.def(
      "_rnn_flat_weight_shapes",
      [](const ConfigTuple& config) {
        return nn::detail::rnn_flat_weight_shapes(config_of(config));
      },
      nb::arg("config"),
      nb::sig("def _rnn_flat_weight_shapes(config) -> list[tuple[str, list[int]]]"),
      "PyTorch's flat weights of a recurrent layer: (name, shape) in registration order.");
  nn.def(
      "_rnn_forward",
      [](const ConfigTuple& config, bool train, const Tensor& input,
         const OptionalTensor& batch_sizes, const OptionalTensor& sorted_indices,
         const OptionalTensor& unsorted_indices, const OptionalTensor& hx, const OptionalTensor& cx,
         const std::vector<Tensor>& flat_weights) {
        auto [output, h_n, c_n] =
            nn::detail::rnn_forward(config_of(config), train, input, or_undefined(batch_sizes),
                                    or_undefined(sorted_indices), or_undefined(unsorted_indices),
                                    or_undefined(hx), or_undefined(cx), flat_weights);
        return nb::make_tuple(output, h_n, tensor_or_none(c_n));
      },
      nb::arg("config"), nb::arg("train"), nb::arg("input"), nb::arg("batch_sizes").none(),
      nb::arg("sorted_indices").none(), nb::arg("unsorted_indices").none(), nb::arg("hx").none(),
      nb::arg("cx").none(), nb::arg("flat_weights"),
      nb::sig("def _rnn_forward(config, train, input, batch_sizes, sorted_indices, "
              "unsorted_indices, hx, cx, flat_weights) -> tuple"),
      "A recurrent layer's forward on padded, unbatched or packed input: (output, h_n, c_n).");
  nn.def(
      "_rnn_cell_forward",
      [](std::string_view mode, const Tensor& input, const OptionalTensor& hx,
         const OptionalTensor& cx, const Tensor& w_ih, const Tensor& w_hh,
         const OptionalTensor& b_ih, const OptionalTensor& b_hh) {
        auto [h, c] =
            nn::detail::rnn_cell_forward(mode_of(mode), input, or_undefined(hx), or_undefined(cx),
                                         w_ih, w_hh, or_undefined(b_ih), or_undefined(b_hh));
        return nb::make_tuple(h, tensor_or_none(c));
      },
      nb::arg("mode"), nb::arg("input"), nb::arg("hx").none(), nb::arg("cx").none(),
      nb::arg("w_ih"), nb::arg("w_hh"), nb::arg("b_ih").none(), nb::arg("b_hh").none(),
      nb::sig("def _rnn_cell_forward(mode, input, hx, cx, w_ih, w_hh, b_ih, b_hh) -> tuple"),
      "A recurrent cell's forward on batched or unbatched input: (h', c').");
}

}  // namespace ember::python
