// The recurrent ops (ember/ops/rnn_ops.h) at the top level of ember, as torch.lstm_cell,
// torch.lstm, ...: the cells, and the layers in both of PyTorch's forms (padded input, or a
// packed sequence's data and batch_sizes), told apart by their arguments' types.
#include <nanobind/nanobind.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/tuple.h>
#include <nanobind/stl/vector.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "convert.h"
#include "ember/base/error.h"
#include "ember/ops/rnn_ops.h"
#include "nn.h"

namespace ember::python {
namespace {

Tensor or_undefined(const std::optional<Tensor>& t) { return t ? *t : Tensor(); }

std::vector<Tensor> tensors_of(std::string_view op, std::string_view what, nb::handle sequence) {
  EMBER_CHECK_TYPE(nb::isinstance<nb::sequence>(sequence) && !nb::isinstance<Tensor>(sequence), "[",
                   op, "] expected ", what, " as a tuple or list of Tensors; got ",
                   nb::inst_name(sequence).c_str());
  std::vector<Tensor> tensors;
  for (nb::handle item : sequence) {
    EMBER_CHECK_TYPE(nb::isinstance<Tensor>(item), "[", op, "] expected ", what,
                     " as Tensors; got an element of type ", nb::inst_name(item).c_str());
    tensors.push_back(nb::cast<Tensor>(item));
  }
  return tensors;
}

// The arguments after `input` of a layer op in either of PyTorch's forms:
//   padded: hx, params, has_biases, num_layers, dropout, train, bidirectional, batch_first
//   packed: batch_sizes, hx, params, has_biases, num_layers, dropout, train, bidirectional
struct LayerArguments {
  std::optional<Tensor> batch_sizes;
  nb::handle hx;
  std::vector<Tensor> params;
  bool has_biases = true;
  int64_t num_layers = 1;
  double dropout = 0;
  bool train = false, bidirectional = false, batch_first = false;
};

LayerArguments parse_layer_arguments(std::string_view op, const nb::args& args, bool packed) {
  EMBER_CHECK_TYPE(args.size() == 8, "[", op, "] expected 9 arguments (",
                   packed ? "data, batch_sizes, hx, params, has_biases, num_layers, dropout, "
                            "train, bidirectional"
                          : "input, hx, params, has_biases, num_layers, dropout, train, "
                            "bidirectional, batch_first",
                   "); got ", args.size() + 1);
  LayerArguments parsed;
  size_t next = 0;
  if (packed) parsed.batch_sizes = nb::cast<Tensor>(args[next++]);
  parsed.hx = args[next++];
  parsed.params = tensors_of(op, "params", args[next++]);
  parsed.has_biases = nb::cast<bool>(args[next++]);
  parsed.num_layers = nb::cast<int64_t>(args[next++]);
  parsed.dropout = nb::cast<double>(args[next++]);
  parsed.train = nb::cast<bool>(args[next++]);
  parsed.bidirectional = nb::cast<bool>(args[next++]);
  if (!packed) parsed.batch_first = nb::cast<bool>(args[next++]);
  return parsed;
}

using SingleStatePadded = std::tuple<Tensor, Tensor> (*)(const Tensor&, const Tensor&, TensorList,
                                                         bool, int64_t, double, bool, bool, bool);
using SingleStatePacked = std::tuple<Tensor, Tensor> (*)(const Tensor&, const Tensor&,
                                                         const Tensor&, TensorList, bool, int64_t,
                                                         double, bool, bool);

// gru, rnn_tanh, rnn_relu: packed when the third argument is a Tensor (hx after batch_sizes).
template <SingleStatePadded padded, SingleStatePacked packed_op>
std::tuple<Tensor, Tensor> single_state_layer(std::string_view op, const Tensor& input,
                                              const nb::args& args) {
  const bool packed = args.size() > 1 && nb::isinstance<Tensor>(args[1]);
  const LayerArguments a = parse_layer_arguments(op, args, packed);
  const Tensor hx = nb::cast<Tensor>(a.hx);
  if (packed) {
    return packed_op(input, *a.batch_sizes, hx, a.params, a.has_biases, a.num_layers, a.dropout,
                     a.train, a.bidirectional);
  }
  return padded(input, hx, a.params, a.has_biases, a.num_layers, a.dropout, a.train,
                a.bidirectional, a.batch_first);
}

constexpr const char* kLayerForms =
    " Also called as (data, batch_sizes, hx, params, has_biases, num_layers, dropout, train, "
    "bidirectional) on a packed sequence (data (sum(batch_sizes), input_size), batch_sizes "
    "int64, non-increasing), whose output is packed alike. params: for each layer and direction "
    "w_ih, w_hh[, b_ih, b_hh]";

}  // namespace

void init_rnn_ops(nb::module_& module) {
  // Kept for the life of the module: nanobind stores docstrings by pointer.
  static const std::string lstm_doc =
      std::string(
          "A multi-layer LSTM over a sequence -> (output, h_n, c_n): input (T, N, in) "
          "((N, T, in) with batch_first), hx = (h0, c0).") +
      kLayerForms + "[, w_hr when h0.size(2) != c0.size(2) (proj_size)].";
  static const std::string gru_doc =
      std::string("A multi-layer GRU over a sequence -> (output, h_n).") + kLayerForms + ".";
  static const std::string rnn_tanh_doc =
      std::string("A multi-layer Elman RNN (tanh) over a sequence -> (output, h_n).") +
      kLayerForms + ".";
  static const std::string rnn_relu_doc =
      std::string("A multi-layer Elman RNN (relu) over a sequence -> (output, h_n).") +
      kLayerForms + ".";
  module.def(
      "rnn_tanh_cell",
      [](const Tensor& input, const Tensor& hx, const Tensor& w_ih, const Tensor& w_hh,
         const std::optional<Tensor>& b_ih, const std::optional<Tensor>& b_hh) {
        return rnn_tanh_cell(input, hx, w_ih, w_hh, or_undefined(b_ih), or_undefined(b_hh));
      },
      nb::arg("input"), nb::arg("hx"), nb::arg("w_ih"), nb::arg("w_hh"),
      nb::arg("b_ih") = nb::none(), nb::arg("b_hh") = nb::none(),
      nb::sig("def rnn_tanh_cell(input, hx, w_ih, w_hh, b_ih=None, b_hh=None) -> Tensor"),
      "One Elman RNN step: tanh(input @ w_ih.T + b_ih + hx @ w_hh.T + b_hh); input (N, in), "
      "hx (N, H).");
  module.def(
      "rnn_relu_cell",
      [](const Tensor& input, const Tensor& hx, const Tensor& w_ih, const Tensor& w_hh,
         const std::optional<Tensor>& b_ih, const std::optional<Tensor>& b_hh) {
        return rnn_relu_cell(input, hx, w_ih, w_hh, or_undefined(b_ih), or_undefined(b_hh));
      },
      nb::arg("input"), nb::arg("hx"), nb::arg("w_ih"), nb::arg("w_hh"),
      nb::arg("b_ih") = nb::none(), nb::arg("b_hh") = nb::none(),
      nb::sig("def rnn_relu_cell(input, hx, w_ih, w_hh, b_ih=None, b_hh=None) -> Tensor"),
      "One Elman RNN step with relu: relu(input @ w_ih.T + b_ih + hx @ w_hh.T + b_hh).");
  module.def(
      "lstm_cell",
      [](const Tensor& input, nb::handle hx, const Tensor& w_ih, const Tensor& w_hh,
         const std::optional<Tensor>& b_ih, const std::optional<Tensor>& b_hh) {
        return lstm_cell(input, tensors_of("lstm_cell", "hx", hx), w_ih, w_hh, or_undefined(b_ih),
                         or_undefined(b_hh));
      },
      nb::arg("input"), nb::arg("hx"), nb::arg("w_ih"), nb::arg("w_hh"),
      nb::arg("b_ih") = nb::none(), nb::arg("b_hh") = nb::none(),
      nb::sig("def lstm_cell(input, hx, w_ih, w_hh, b_ih=None, b_hh=None) -> tuple[Tensor, "
              "Tensor]"),
      "One LSTM step -> (h', c'): hx = (h, c), gates i, f, g, o (w_ih (4H, in), w_hh (4H, H)).");
  module.def(
      "gru_cell",
      [](const Tensor& input, const Tensor& hx, const Tensor& w_ih, const Tensor& w_hh,
         const std::optional<Tensor>& b_ih, const std::optional<Tensor>& b_hh) {
        return gru_cell(input, hx, w_ih, w_hh, or_undefined(b_ih), or_undefined(b_hh));
      },
      nb::arg("input"), nb::arg("hx"), nb::arg("w_ih"), nb::arg("w_hh"),
      nb::arg("b_ih") = nb::none(), nb::arg("b_hh") = nb::none(),
      nb::sig("def gru_cell(input, hx, w_ih, w_hh, b_ih=None, b_hh=None) -> Tensor"),
      "One GRU step: gates r, z, n (w_ih (3H, in), w_hh (3H, H)), h' = (1 - z) n + z h.");
  module.def(
      "lstm",
      [](const Tensor& input, const nb::args& args) {
        const bool packed = args.size() > 0 && nb::isinstance<Tensor>(args[0]);
        const LayerArguments a = parse_layer_arguments("lstm", args, packed);
        const std::vector<Tensor> hx = tensors_of("lstm", "hx", a.hx);
        if (packed) {
          return lstm(input, *a.batch_sizes, hx, a.params, a.has_biases, a.num_layers, a.dropout,
                      a.train, a.bidirectional);
        }
        return lstm(input, hx, a.params, a.has_biases, a.num_layers, a.dropout, a.train,
                    a.bidirectional, a.batch_first);
      },
      nb::arg("input"), nb::arg("args"),
      nb::sig("def lstm(input, hx, params, has_biases, num_layers, dropout, train, bidirectional, "
              "batch_first) -> tuple[Tensor, Tensor, Tensor]"),
      lstm_doc.c_str());
  module.def(
      "gru",
      [](const Tensor& input, const nb::args& args) {
        return single_state_layer<&gru, &gru>("gru", input, args);
      },
      nb::arg("input"), nb::arg("args"),
      nb::sig("def gru(input, hx, params, has_biases, num_layers, dropout, train, bidirectional, "
              "batch_first) -> tuple[Tensor, Tensor]"),
      gru_doc.c_str());
  module.def(
      "rnn_tanh",
      [](const Tensor& input, const nb::args& args) {
        return single_state_layer<&rnn_tanh, &rnn_tanh>("rnn_tanh", input, args);
      },
      nb::arg("input"), nb::arg("args"),
      nb::sig("def rnn_tanh(input, hx, params, has_biases, num_layers, dropout, train, "
              "bidirectional, batch_first) -> tuple[Tensor, Tensor]"),
      rnn_tanh_doc.c_str());
  module.def(
      "rnn_relu",
      [](const Tensor& input, const nb::args& args) {
        return single_state_layer<&rnn_relu, &rnn_relu>("rnn_relu", input, args);
      },
      nb::arg("input"), nb::arg("args"),
      nb::sig("def rnn_relu(input, hx, params, has_biases, num_layers, dropout, train, "
              "bidirectional, batch_first) -> tuple[Tensor, Tensor]"),
      rnn_relu_doc.c_str());
}

}  // namespace ember::python
