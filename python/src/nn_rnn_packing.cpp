// Packed sequences: the ops _pack_padded_sequence / _pad_packed_sequence at the top level (as
// torch's) and pad_sequence plus the PackedSequence frontend functions of
// ember/nn/utils/rnn.h into ember._C._nn, for python/ember/nn/utils/rnn.py. A PackedSequence
// crosses the boundary as its four fields, undefined indices as None.
#include <nanobind/nanobind.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/string_view.h>
#include <nanobind/stl/tuple.h>
#include <nanobind/stl/vector.h>

#include <optional>
#include <string_view>
#include <vector>

#include "convert.h"
#include "ember/nn/utils/rnn.h"
#include "ember/ops/rnn_packing.h"
#include "nn.h"

namespace ember::python {
namespace {

using OptionalTensor = std::optional<Tensor>;
namespace rnn = ember::nn::utils::rnn;

nb::object tensor_or_none(const Tensor& t) { return t.defined() ? nb::cast(t) : nb::none(); }

nb::tuple fields_of(const rnn::PackedSequence& packed) {
  return nb::make_tuple(packed.data(), packed.batch_sizes(),
                        tensor_or_none(packed.sorted_indices()),
                        tensor_or_none(packed.unsorted_indices()));
}

rnn::PackedSequence packed_of(const Tensor& data, const Tensor& batch_sizes,
                              const OptionalTensor& sorted_indices,
                              const OptionalTensor& unsorted_indices) {
  return rnn::PackedSequence(data, batch_sizes, sorted_indices.value_or(Tensor()),
                             unsorted_indices.value_or(Tensor()));
}

}  // namespace

void init_nn_rnn_packing(nb::module_& nn, nb::module_& module) {
  module.def(
      "_pack_padded_sequence",
      [](const Tensor& input, const Tensor& lengths, bool batch_first) {
        return ember::_pack_padded_sequence(input, lengths, batch_first);
      },
      nb::arg("input"), nb::arg("lengths"), nb::arg("batch_first"),
      nb::sig("def _pack_padded_sequence(input, lengths, batch_first) -> tuple[Tensor, Tensor]"),
      "Packs a padded batch with lengths sorted decreasing: (data, batch_sizes).");
  module.def(
      "_pad_packed_sequence",
      [](const Tensor& data, const Tensor& batch_sizes, bool batch_first, nb::handle padding_value,
         int64_t total_length) {
        return ember::_pad_packed_sequence(data, batch_sizes, batch_first, to_scalar(padding_value),
                                           total_length);
      },
      nb::arg("data"), nb::arg("batch_sizes"), nb::arg("batch_first"), nb::arg("padding_value"),
      nb::arg("total_length"),
      nb::sig("def _pad_packed_sequence(data, batch_sizes, batch_first, padding_value, "
              "total_length) -> tuple[Tensor, Tensor]"),
      "Unpacks packed rows into a padded batch of total_length steps: (padded, lengths).");
  nn.def(
      "pad_sequence",
      [](const std::vector<Tensor>& sequences, bool batch_first, double padding_value,
         std::string_view padding_side) {
        return ember::pad_sequence(sequences, batch_first, padding_value, padding_side);
      },
      nb::arg("sequences"), nb::arg("batch_first") = false, nb::arg("padding_value") = 0.0,
      nb::arg("padding_side") = "right",
      nb::sig("def pad_sequence(sequences, batch_first=False, padding_value=0.0, "
              "padding_side='right') -> Tensor"),
      "Pads a list of variable-length sequences (L_i, *) into one tensor.");
  nn.def(
      "_invert_permutation",
      [](const OptionalTensor& permutation) {
        return permutation ? tensor_or_none(rnn::invert_permutation(*permutation)) : nb::none();
      },
      nb::arg("permutation").none(),
      nb::sig("def _invert_permutation(permutation) -> Tensor | None"),
      "The inverse permutation (None for None).");
  nn.def(
      "_pack_padded_sequence_sorted",
      [](const Tensor& input, const Tensor& lengths, bool batch_first, bool enforce_sorted) {
        return fields_of(rnn::pack_padded_sequence(input, lengths, batch_first, enforce_sorted));
      },
      nb::arg("input"), nb::arg("lengths"), nb::arg("batch_first"), nb::arg("enforce_sorted"),
      nb::sig("def _pack_padded_sequence_sorted(input, lengths, batch_first, enforce_sorted) -> "
              "tuple"),
      "pack_padded_sequence's fields (data, batch_sizes, sorted_indices, unsorted_indices).");
  nn.def(
      "_pad_packed_sequence_unsorted",
      [](const Tensor& data, const Tensor& batch_sizes, const OptionalTensor& sorted_indices,
         const OptionalTensor& unsorted_indices, bool batch_first, double padding_value,
         std::optional<int64_t> total_length) {
        return rnn::pad_packed_sequence(
            packed_of(data, batch_sizes, sorted_indices, unsorted_indices), batch_first,
            padding_value, total_length);
      },
      nb::arg("data"), nb::arg("batch_sizes"), nb::arg("sorted_indices").none(),
      nb::arg("unsorted_indices").none(), nb::arg("batch_first"), nb::arg("padding_value"),
      nb::arg("total_length").none(),
      nb::sig("def _pad_packed_sequence_unsorted(data, batch_sizes, sorted_indices, "
              "unsorted_indices, batch_first, padding_value, total_length) -> "
              "tuple[Tensor, Tensor]"),
      "pad_packed_sequence of a PackedSequence given by its fields, in the original order.");
  nn.def(
      "_pack_sequence",
      [](const std::vector<Tensor>& sequences, bool enforce_sorted) {
        return fields_of(rnn::pack_sequence(sequences, enforce_sorted));
      },
      nb::arg("sequences"), nb::arg("enforce_sorted"),
      nb::sig("def _pack_sequence(sequences, enforce_sorted) -> tuple"),
      "pack_sequence's fields (data, batch_sizes, sorted_indices, unsorted_indices).");
  nn.def("_unpad_sequence", &rnn::unpad_sequence, nb::arg("padded_sequences"), nb::arg("lengths"),
         nb::arg("batch_first") = false,
         nb::sig("def _unpad_sequence(padded_sequences, lengths, batch_first=False) -> "
                 "list[Tensor]"),
         "The sequences padded_sequences[i, :lengths[i]] (batch_first) of a padded batch.");
}

}  // namespace ember::python
