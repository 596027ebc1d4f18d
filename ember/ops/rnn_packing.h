// The tensor ops behind nn.utils.rnn's packed sequences, with PyTorch's names and argument orders:
// _pack_padded_sequence (padded -> time-major packed rows and batch_sizes), its inverse
// _pad_packed_sequence, and pad_sequence (a list of variable-length sequences -> one padded
// tensor). Composites of index_select, cat, pad and stack, so autograd differentiates them (twice)
// for free; the frontends (ember/nn/utils/rnn.h, python/ember/nn/utils/rnn.py) add the sorting
// and the PackedSequence structure.
#pragma once

#include <cstdint>
#include <string_view>
#include <tuple>

#include "ember/ops/shape.h"
#include "ember/tensor/scalar.h"
#include "ember/tensor/tensor.h"

namespace ember {

// input (T, B, *) (batch_first: (B, T, *)) with lengths (B,) int64, sorted decreasing, each in
// [1, T] -> (data, batch_sizes): data (sum(lengths), *) holds, step by step, the rows of the
// sequences still running at that step; batch_sizes (max(lengths),) int64 counts them.
std::tuple<Tensor, Tensor> _pack_padded_sequence(const Tensor& input, const Tensor& lengths,
                                                 bool batch_first);

// The inverse: (padded, lengths) with padded (total_length, B, *) (batch_first: (B, total_length,
// *)) filled with padding_value past each sequence's end, and lengths (B,) int64. batch_sizes
// must be non-increasing and positive with sum(batch_sizes) == data.size(0); total_length must be
// at least batch_sizes.size(0).
std::tuple<Tensor, Tensor> _pad_packed_sequence(const Tensor& data, const Tensor& batch_sizes,
                                                bool batch_first, const Scalar& padding_value,
                                                int64_t total_length);

// Sequences (L_i, *) with equal trailing dims and dtype -> (max L_i, N, *) (batch_first:
// (N, max L_i, *)), each padded with padding_value at its end (padding_side "right") or start
// ("left").
Tensor pad_sequence(TensorList sequences, bool batch_first = false, double padding_value = 0.0,
                    std::string_view padding_side = "right");

}  // namespace ember
