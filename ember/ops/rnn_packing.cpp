// _pack_padded_sequence, _pad_packed_sequence and pad_sequence (rnn_packing.h) as composites: each
// gathers rows through one int64 index (index_select), so its gradient is the matching scatter.
#include "ember/ops/rnn_packing.h"

#include <algorithm>
#include <vector>

#include "ember/base/error.h"
#include "ember/ops/nn_pad.h"
#include "ember/ops/ops.h"

namespace ember {
namespace {

// The values of a 1-D int64 tensor (lengths, batch_sizes), copied to the host if on a device (as
// PyTorch's pack_padded_sequence moves lengths to the CPU).
std::vector<int64_t> int64_values(const Tensor& t, const char* op, const char* what) {
  EMBER_CHECK_TYPE(t.dtype() == kInt64, "[", op, "] expected ", what,
                   " as an int64 tensor; got dtype ", t.dtype(), " (shape ", t.shape(), ")");
  EMBER_CHECK(t.dim() == 1, "[", op, "] expected ", what, " as a 1-D tensor; got shape ",
              t.shape());
  const Tensor flat = t.cpu().contiguous();
  const int64_t* begin = flat.data_ptr<int64_t>();
  return std::vector<int64_t>(begin, begin + flat.numel());
}

// The shape of the first two dims merged: (T, B, *) -> (T * B, *).
Tensor merge_time_and_batch(const Tensor& t) { return t.flatten(0, 1); }

Tensor index_tensor(const std::vector<int64_t>& index, const Tensor& like) {
  return from_blob_copy(index.data(), {static_cast<int64_t>(index.size())}, kInt64)
      .to(like.device());
}

}  // namespace

std::tuple<Tensor, Tensor> _pack_padded_sequence(const Tensor& input, const Tensor& lengths,
                                                 bool batch_first) {
  constexpr const char* op = "pack_padded_sequence";
  EMBER_CHECK(input.dim() >= 2, "[", op,
              "] expected input of at least 2 dims (time and batch); got shape ", input.shape());
  const Tensor time_major = batch_first ? input.transpose(0, 1) : input;
  const int64_t steps = time_major.size(0);
  const int64_t batch = time_major.size(1);
  const std::vector<int64_t> length = int64_values(lengths, op, "lengths");
  EMBER_CHECK(!length.empty() && batch > 0, "[", op,
              "] cannot pack empty tensors; got input of shape ", input.shape(),
              " and lengths of shape ", lengths.shape());
  EMBER_CHECK(static_cast<int64_t>(length.size()) == batch, "[", op,
              "] expected one length per batch entry (", batch, "); got lengths of shape ",
              lengths.shape(), " for input of shape ", input.shape(),
              batch_first ? " (batch_first)" : "");
  for (size_t b = 0; b < length.size(); ++b) {
    EMBER_CHECK(length[b] > 0 && length[b] <= steps, "[", op, "] expected every length in [1, ",
                steps, "] (the input's time steps); got ", length[b], " at position ", b);
    EMBER_CHECK(b == 0 || length[b] <= length[b - 1], "[", op,
                "] expected lengths sorted in decreasing order (enforce_sorted=True); got ",
                length[b - 1], " before ", length[b], " (pass enforce_sorted=False to sort)");
  }
  std::vector<int64_t> batch_sizes;
  std::vector<int64_t> rows;
  for (int64_t t = 0; t < length.front(); ++t) {
    int64_t running = 0;
    while (running < batch && length[static_cast<size_t>(running)] > t) {
      rows.push_back(t * batch + running);
      ++running;
    }
    batch_sizes.push_back(running);
  }
  const Tensor data = index_select(merge_time_and_batch(time_major), 0, index_tensor(rows, input));
  const Tensor sizes =
      from_blob_copy(batch_sizes.data(), {static_cast<int64_t>(batch_sizes.size())}, kInt64);
  return {data, sizes};
}

std::tuple<Tensor, Tensor> _pad_packed_sequence(const Tensor& data, const Tensor& batch_sizes,
                                                bool batch_first, const Scalar& padding_value,
                                                int64_t total_length) {
  constexpr const char* op = "pad_packed_sequence";
  const std::vector<int64_t> sizes = int64_values(batch_sizes, op, "batch_sizes");
  EMBER_CHECK(!sizes.empty(), "[", op, "] expected at least one time step; got empty ",
              "batch_sizes");
  EMBER_CHECK(data.dim() >= 1, "[", op, "] expected data of at least 1 dim; got a 0-d tensor");
  int64_t total_rows = 0;
  for (size_t t = 0; t < sizes.size(); ++t) {
    EMBER_CHECK(sizes[t] > 0 && (t == 0 || sizes[t] <= sizes[t - 1]), "[", op,
                "] expected batch_sizes positive and non-increasing; got ", sizes[t], " at step ",
                t, t == 0 ? "" : " after ", t == 0 ? 0 : sizes[t - 1]);
    total_rows += sizes[t];
  }
  EMBER_CHECK(total_rows == data.size(0), "[", op,
              "] expected data with sum(batch_sizes) = ", total_rows, " rows; got shape ",
              data.shape());
  const int64_t steps = static_cast<int64_t>(sizes.size());
  EMBER_CHECK_VALUE(total_length >= steps, "[", op,
                    "] expected total_length to be at least the length of the longest sequence (",
                    steps, "); got total_length ", total_length);
  const int64_t batch = sizes.front();
  // Row total_rows of the extended data is the padding row.
  std::vector<int64_t> rows(static_cast<size_t>(total_length * batch), total_rows);
  int64_t offset = 0;
  for (int64_t t = 0; t < steps; ++t) {
    for (int64_t b = 0; b < sizes[static_cast<size_t>(t)]; ++b) {
      rows[static_cast<size_t>(t * batch + b)] = offset + b;
    }
    offset += sizes[static_cast<size_t>(t)];
  }
  std::vector<int64_t> feature_shape(data.shape().begin() + 1, data.shape().end());
  std::vector<int64_t> padding_shape{1};
  padding_shape.insert(padding_shape.end(), feature_shape.begin(), feature_shape.end());
  const Tensor extended = cat({data, full(padding_shape, padding_value, data.options())}, 0);
  std::vector<int64_t> padded_shape{total_length, batch};
  padded_shape.insert(padded_shape.end(), feature_shape.begin(), feature_shape.end());
  Tensor padded = index_select(extended, 0, index_tensor(rows, data)).reshape(padded_shape);
  if (batch_first) padded = padded.transpose(0, 1);
  std::vector<int64_t> lengths(static_cast<size_t>(batch), 0);
  for (int64_t size : sizes) {
    for (int64_t b = 0; b < size; ++b) ++lengths[static_cast<size_t>(b)];
  }
  return {padded, from_blob_copy(lengths.data(), {batch}, kInt64)};
}

Tensor pad_sequence(TensorList sequences, bool batch_first, double padding_value,
                    std::string_view padding_side) {
  constexpr const char* op = "pad_sequence";
  EMBER_CHECK(!sequences.empty(), "[", op, "] received an empty list of sequences");
  EMBER_CHECK_VALUE(padding_side == "right" || padding_side == "left", "[", op,
                    "] expected padding_side 'right' or 'left'; got '", padding_side, "'");
  const Tensor& first = sequences[0];
  int64_t longest = 0;
  for (size_t i = 0; i < sequences.size(); ++i) {
    const Tensor& sequence = sequences[i];
    EMBER_CHECK(sequence.dim() >= 1, "[", op,
                "] expected sequences of at least 1 dim; got a 0-d tensor at position ", i);
    EMBER_CHECK(sequence.dim() == first.dim() &&
                    std::equal(sequence.shape().begin() + 1, sequence.shape().end(),
                               first.shape().begin() + 1),
                "[", op, "] expected every sequence to have the trailing dims of the first (",
                first.shape(), "); got shape ", sequence.shape(), " at position ", i);
    EMBER_CHECK_TYPE(sequence.dtype() == first.dtype(), "[", op,
                     "] expected every sequence to have the dtype of the first (", first.dtype(),
                     "); got ", sequence.dtype(), " at position ", i);
    longest = std::max(longest, sequence.size(0));
  }
  std::vector<Tensor> padded;
  padded.reserve(sequences.size());
  for (const Tensor& sequence : sequences) {
    // pad's list runs from the last dim backwards: only the first dim's pair is non-zero.
    std::vector<int64_t> widths(static_cast<size_t>(2 * sequence.dim()), 0);
    const int64_t missing = longest - sequence.size(0);
    widths[widths.size() - (padding_side == "right" ? 1 : 2)] = missing;
    padded.push_back(missing == 0 ? sequence : pad(sequence, widths, "constant", padding_value));
  }
  return stack(padded, batch_first ? 0 : 1);
}

}  // namespace ember
