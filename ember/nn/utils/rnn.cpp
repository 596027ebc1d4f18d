// The packed-sequence frontend of rnn.h: the ops of ember/ops/rnn_packing.h plus the batch
// permutation of enforce_sorted=false.
#include "ember/nn/utils/rnn.h"

#include <utility>

#include "ember/base/error.h"
#include "ember/ops/ops.h"
#include "ember/ops/rnn_packing.h"

namespace ember::nn::utils::rnn {

Tensor invert_permutation(const Tensor& permutation) {
  if (!permutation.defined()) return {};
  Tensor inverse = empty_like(permutation);
  inverse.scatter_(0, permutation, arange(permutation.numel(), permutation.options()));
  return inverse;
}

PackedSequence::PackedSequence(Tensor data, Tensor batch_sizes, Tensor sorted_indices,
                               Tensor unsorted_indices)
    : data_(std::move(data)),
      batch_sizes_(std::move(batch_sizes)),
      sorted_indices_(std::move(sorted_indices)),
      unsorted_indices_(unsorted_indices.defined() ? std::move(unsorted_indices)
                                                   : invert_permutation(sorted_indices_)) {}

PackedSequence PackedSequence::to(const TensorOptions& options) const {
  const Tensor data = data_.to(options);
  const auto follow = [&](const Tensor& indices) {
    return indices.defined() ? indices.to(data.device()) : indices;
  };
  return PackedSequence(data, batch_sizes_, follow(sorted_indices_), follow(unsorted_indices_));
}

PackedSequence PackedSequence::to(ScalarType dtype) const {
  return PackedSequence(data_.to(dtype), batch_sizes_, sorted_indices_, unsorted_indices_);
}

PackedSequence PackedSequence::cpu() const { return to(TensorOptions().device(Device(kCPU))); }

PackedSequence PackedSequence::pin_memory() const { return *this; }

bool PackedSequence::is_cuda() const { return data_.device().type() != kCPU; }

bool PackedSequence::is_pinned() const { return false; }

PackedSequence pack_padded_sequence(Tensor input, Tensor lengths, bool batch_first,
                                    bool enforce_sorted) {
  EMBER_CHECK_VALUE(lengths.defined(), "[pack_padded_sequence] expected lengths; got none");
  EMBER_CHECK_TYPE(!is_floating_point(lengths.dtype()) && lengths.dtype() != kBool,
                   "[pack_padded_sequence] expected integer lengths; got dtype ", lengths.dtype());
  lengths = lengths.to(TensorOptions(kInt64).device(Device(kCPU)));
  Tensor sorted_indices;
  if (!enforce_sorted) {
    EMBER_CHECK_VALUE(lengths.dim() == 1, "[pack_padded_sequence] expected 1-D lengths; got shape ",
                      lengths.shape());
    sorted_indices = lengths.argsort(/*stable=*/true, 0, /*descending=*/true);
    lengths = lengths.index_select(0, sorted_indices);
    sorted_indices = sorted_indices.to(input.device());
    EMBER_CHECK_VALUE(input.dim() >= 2,
                      "[pack_padded_sequence] expected input of at least 2 dims (time and batch); "
                      "got shape ",
                      input.shape());
    input = input.index_select(batch_first ? 0 : 1, sorted_indices);
  }
  auto [data, batch_sizes] = _pack_padded_sequence(input, lengths, batch_first);
  return PackedSequence(data, batch_sizes, sorted_indices);
}

std::tuple<Tensor, Tensor> pad_packed_sequence(const PackedSequence& sequence, bool batch_first,
                                               double padding_value,
                                               std::optional<int64_t> total_length) {
  const int64_t longest = sequence.batch_sizes().numel();
  auto [padded, lengths] =
      _pad_packed_sequence(sequence.data(), sequence.batch_sizes(), batch_first, padding_value,
                           total_length.value_or(longest));
  const Tensor& unsorted = sequence.unsorted_indices();
  if (unsorted.defined()) {
    padded = padded.index_select(batch_first ? 0 : 1, unsorted);
    lengths = lengths.index_select(0, unsorted.to(lengths.device()));
  }
  return {padded, lengths};
}

Tensor pad_sequence(TensorList sequences, bool batch_first, double padding_value,
                    std::string_view padding_side) {
  return ember::pad_sequence(sequences, batch_first, padding_value, padding_side);
}

PackedSequence pack_sequence(TensorList sequences, bool enforce_sorted) {
  std::vector<int64_t> lengths;
  lengths.reserve(sequences.size());
  for (const Tensor& sequence : sequences) {
    EMBER_CHECK_VALUE(sequence.dim() >= 1,
                      "[pack_sequence] expected sequences of at least 1 dim; got a 0-d tensor");
    lengths.push_back(sequence.size(0));
  }
  return pack_padded_sequence(
      ember::pad_sequence(sequences),
      from_blob_copy(lengths.data(), {static_cast<int64_t>(lengths.size())}, kInt64),
      /*batch_first=*/false, enforce_sorted);
}

std::vector<Tensor> unpad_sequence(const Tensor& padded_sequences, const Tensor& lengths,
                                   bool batch_first) {
  EMBER_CHECK_VALUE(padded_sequences.dim() >= 2,
                    "[unpad_sequence] expected padded_sequences of at least 2 dims; got shape ",
                    padded_sequences.shape());
  const Tensor batch_major = batch_first ? padded_sequences : padded_sequences.transpose(0, 1);
  const Tensor counts = lengths.to(TensorOptions(kInt64).device(Device(kCPU))).contiguous();
  EMBER_CHECK_VALUE(counts.dim() == 1 && counts.numel() == batch_major.size(0),
                    "[unpad_sequence] expected one length per batch entry (", batch_major.size(0),
                    "); got lengths of shape ", lengths.shape());
  std::vector<Tensor> sequences;
  const int64_t* length = counts.data_ptr<int64_t>();
  for (int64_t b = 0; b < counts.numel(); ++b) {
    EMBER_CHECK_VALUE(length[b] >= 0 && length[b] <= batch_major.size(1),
                      "[unpad_sequence] expected lengths in [0, ", batch_major.size(1), "]; got ",
                      length[b], " at position ", b);
    sequences.push_back(batch_major.select(0, b).narrow(0, 0, length[b]));
  }
  return sequences;
}

std::vector<Tensor> unpack_sequence(const PackedSequence& packed_sequences) {
  auto [padded, lengths] = pad_packed_sequence(packed_sequences, /*batch_first=*/true);
  return unpad_sequence(padded, lengths, /*batch_first=*/true);
}

}  // namespace ember::nn::utils::rnn
