// libtorch's torch/nn/utils/rnn.h: PackedSequence, a batch of variable-length sequences stored
// time-major without padding (the recurrent layers' packed input), and the functions that build
// and undo it over the ops of ember/ops/rnn_packing.h. enforce_sorted=false sorts the batch by
// decreasing length and keeps the permutation, so that unpacking restores the caller's order.
// python/ember/nn/utils/rnn.py calls these functions through bindings.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <tuple>
#include <vector>

#include "ember/ops/shape.h"
#include "ember/tensor/tensor.h"

namespace ember::nn::utils::rnn {

// The inverse permutation: result[permutation[i]] = i. Undefined in, undefined out.
Tensor invert_permutation(const Tensor& permutation);

class PackedSequence {
 public:
  // unsorted_indices defaults to the inverse of sorted_indices (both undefined: the batch is in
  // its original order).
  explicit PackedSequence(Tensor data, Tensor batch_sizes, Tensor sorted_indices = {},
                          Tensor unsorted_indices = {});

  const Tensor& data() const { return data_; }
  const Tensor& batch_sizes() const { return batch_sizes_; }
  const Tensor& sorted_indices() const { return sorted_indices_; }
  const Tensor& unsorted_indices() const { return unsorted_indices_; }

  // data converted (dtype and/or device); the indices follow the device, batch_sizes stays on the
  // CPU (it is read by the host), as PyTorch's.
  PackedSequence to(const TensorOptions& options) const;
  PackedSequence to(ScalarType dtype) const;
  PackedSequence cpu() const;
  PackedSequence pin_memory() const;
  bool is_cuda() const;
  bool is_pinned() const;
  bool defined() const { return data_.defined(); }

 private:
  Tensor data_;
  Tensor batch_sizes_;
  Tensor sorted_indices_;
  Tensor unsorted_indices_;
};

// input (T, B, *) (batch_first: (B, T, *)) and lengths (B,) -> the packed batch. lengths must be
// sorted decreasing unless enforce_sorted is false.
PackedSequence pack_padded_sequence(Tensor input, Tensor lengths, bool batch_first = false,
                                    bool enforce_sorted = true);

// The inverse: (padded, lengths) in the caller's original batch order, padded to total_length
// steps (default: the longest sequence) with padding_value.
std::tuple<Tensor, Tensor> pad_packed_sequence(const PackedSequence& sequence,
                                               bool batch_first = false, double padding_value = 0.0,
                                               std::optional<int64_t> total_length = std::nullopt);

// Sequences (L_i, *) -> one padded tensor (ember::pad_sequence).
Tensor pad_sequence(TensorList sequences, bool batch_first = false, double padding_value = 0.0,
                    std::string_view padding_side = "right");

// Sequences (L_i, *) -> the packed batch (lengths sorted decreasing unless enforce_sorted false).
PackedSequence pack_sequence(TensorList sequences, bool enforce_sorted = true);

// The inverse of pad_sequence: sequence i is padded[i, :lengths[i]] (batch_first) or
// padded[:lengths[i], i].
std::vector<Tensor> unpad_sequence(const Tensor& padded_sequences, const Tensor& lengths,
                                   bool batch_first = false);

// The inverse of pack_sequence.
std::vector<Tensor> unpack_sequence(const PackedSequence& packed_sequences);

}  // namespace ember::nn::utils::rnn
