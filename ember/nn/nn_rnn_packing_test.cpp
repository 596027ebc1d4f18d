// ember::nn::utils::rnn (PackedSequence, pack_padded_sequence, pad_packed_sequence,
// pack_sequence, pad_sequence, unpad_sequence, unpack_sequence) and the ops under them
// (_pack_padded_sequence, _pad_packed_sequence, pad_sequence): hand-derived layouts, round trips,
// gradients and the error paths.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ember/autograd/gradcheck.h"
#include "ember/base/error.h"
#include "ember/nn/utils.h"
#include "ember/ops/ops.h"
#include "ember/ops/rnn_packing.h"
#include "tests/test_support.h"

namespace ember::nn {
namespace {

using testing::leaf;
using testing::message_of;
using testing::tensor_of;
using testing::values;
namespace rnn = utils::rnn;

Tensor int64_of(const std::vector<double>& data) {
  return tensor_of(data, {static_cast<int64_t>(data.size())}, kInt64);
}

// (T=3, B=3) with value 10 * t + b, lengths {3, 2, 1}.
Tensor time_major_steps() { return tensor_of({0, 1, 2, 10, 11, 12, 20, 21, 22}, {3, 3}, kFloat64); }

TEST(PackPaddedSequence, TakesTheRunningRowsStepByStep) {
  const auto [data, batch_sizes] =
      ember::_pack_padded_sequence(time_major_steps(), int64_of({3, 2, 1}), false);
  EXPECT_EQ(values(data), (std::vector<double>{0, 1, 2, 10, 11, 20}));
  EXPECT_EQ(values(batch_sizes), (std::vector<double>{3, 2, 1}));
  EXPECT_EQ(batch_sizes.dtype(), kInt64);
  // batch_first reads (B, T): the transposed input gives the same packing.
  const auto [data_bf, sizes_bf] = ember::_pack_padded_sequence(
      time_major_steps().transpose(0, 1).contiguous(), int64_of({3, 2, 1}), true);
  EXPECT_TRUE(equal(data_bf, data));
  EXPECT_TRUE(equal(sizes_bf, batch_sizes));
}

TEST(PadPackedSequence, PadsWithTheValueUpToTotalLength) {
  const Tensor data = tensor_of({0, 1, 2, 10, 11, 20}, {6, 1}, kFloat64);
  const auto [padded, lengths] =
      ember::_pad_packed_sequence(data, int64_of({3, 2, 1}), true, -1.0, 4);
  EXPECT_EQ(padded.sizes(), (std::vector<int64_t>{3, 4, 1}));
  EXPECT_EQ(values(padded), (std::vector<double>{0, 10, 20, -1, 1, 11, -1, -1, 2, -1, -1, -1}));
  EXPECT_EQ(values(lengths), (std::vector<double>{3, 2, 1}));
}

TEST(PackedSequence, UnsortedBatchRoundTripsInTheCallersOrder) {
  const Tensor input = randn({4, 3, 2}, kFloat64);
  const Tensor lengths = int64_of({2, 4, 3});
  const rnn::PackedSequence packed =
      rnn::pack_padded_sequence(input, lengths, /*batch_first=*/false, /*enforce_sorted=*/false);
  EXPECT_EQ(values(packed.sorted_indices()), (std::vector<double>{1, 2, 0}));
  EXPECT_EQ(values(packed.unsorted_indices()), (std::vector<double>{2, 0, 1}));
  EXPECT_EQ(values(packed.batch_sizes()), (std::vector<double>{3, 3, 2, 1}));
  const auto [padded, out_lengths] = rnn::pad_packed_sequence(packed, false, 0.0, 5);
  EXPECT_EQ(padded.sizes(), (std::vector<int64_t>{5, 3, 2}));
  EXPECT_TRUE(equal(out_lengths, lengths));
  for (int64_t b = 0; b < 3; ++b) {
    const int64_t n = static_cast<int64_t>(values(lengths)[b]);
    EXPECT_TRUE(equal(padded.select(1, b).narrow(0, 0, n), input.select(1, b).narrow(0, 0, n)));
    EXPECT_EQ(values(padded.select(1, b).narrow(0, n, 5 - n).abs().sum()),
              (std::vector<double>{0}));
  }
}

TEST(PackSequence, PackAndUnpackAndPadAndUnpad) {
  const std::vector<Tensor> sequences = {randn({2, 3}), randn({4, 3}), randn({1, 3})};
  const rnn::PackedSequence packed = rnn::pack_sequence(sequences, /*enforce_sorted=*/false);
  EXPECT_EQ(packed.data().sizes(), (std::vector<int64_t>{7, 3}));
  const std::vector<Tensor> unpacked = rnn::unpack_sequence(packed);
  ASSERT_EQ(unpacked.size(), 3u);
  for (size_t i = 0; i < 3; ++i) EXPECT_TRUE(equal(unpacked[i], sequences[i]));
  const Tensor padded = rnn::pad_sequence(sequences, /*batch_first=*/true, 5.0, "left");
  EXPECT_EQ(padded.sizes(), (std::vector<int64_t>{3, 4, 3}));
  EXPECT_EQ(values(padded.select(0, 2).narrow(0, 0, 3)), std::vector<double>(9, 5.0));
  EXPECT_TRUE(equal(padded.select(0, 2).select(0, 3), sequences[2].select(0, 0)));
  const std::vector<Tensor> unpadded =
      rnn::unpad_sequence(rnn::pad_sequence(sequences), int64_of({2, 4, 1}));
  for (size_t i = 0; i < 3; ++i) EXPECT_TRUE(equal(unpadded[i], sequences[i]));
  EXPECT_EQ(packed.to(kFloat64).data().dtype(), kFloat64);
  EXPECT_FALSE(packed.is_pinned());
}

TEST(PackingOps, GradcheckAndGradgradcheck) {
  const Tensor input = leaf({3, 2, 2});
  const auto pack = [](const std::vector<Tensor>& in) {
    return std::get<0>(ember::_pack_padded_sequence(in[0], int64_of({3, 1}), false));
  };
  EXPECT_EQ(autograd::gradcheck(pack, {input}), "");
  EXPECT_EQ(autograd::gradgradcheck(pack, {input}), "");
  const auto pad = [](const std::vector<Tensor>& in) {
    return std::get<0>(ember::_pad_packed_sequence(in[0], int64_of({2, 1}), true, 0.5, 3));
  };
  EXPECT_EQ(autograd::gradcheck(pad, {leaf({3, 2})}), "");
  EXPECT_EQ(autograd::gradgradcheck(pad, {leaf({3, 2})}), "");
  const auto pad_list = [](const std::vector<Tensor>& in) {
    return ember::pad_sequence({in[0], in[1]}, false, 1.0, "left");
  };
  EXPECT_EQ(autograd::gradcheck(pad_list, {leaf({3, 2}), leaf({1, 2})}), "");
  EXPECT_EQ(autograd::gradgradcheck(pad_list, {leaf({3, 2}), leaf({1, 2})}), "");
}

TEST(PackingOps, TypedErrors) {
  const Tensor input = randn({3, 2, 1});
  EXPECT_THROW(ember::_pack_padded_sequence(input, int64_of({1, 2}), false), RuntimeError);
  EXPECT_NE(message_of([&] {
              ember::_pack_padded_sequence(input, int64_of({1, 2}), false);
            }).find("[pack_padded_sequence] expected lengths sorted in decreasing order"),
            std::string::npos);
  EXPECT_THROW(ember::_pack_padded_sequence(input, int64_of({4, 2}), false), RuntimeError);
  EXPECT_THROW(ember::_pack_padded_sequence(input, int64_of({3}), false), RuntimeError);
  EXPECT_THROW(ember::_pack_padded_sequence(input, int64_of({3, 0}), false), RuntimeError);
  EXPECT_THROW(ember::_pack_padded_sequence(input, tensor_of({3, 2}, {2}), false), TypeError);
  EXPECT_THROW(ember::_pack_padded_sequence(randn({3}), int64_of({3}), false), RuntimeError);
  EXPECT_THROW(rnn::pack_padded_sequence(input, tensor_of({3, 2}, {2})), TypeError);
  const Tensor data = randn({3, 2});
  EXPECT_THROW(ember::_pad_packed_sequence(data, int64_of({1, 2}), false, 0.0, 2), RuntimeError);
  EXPECT_THROW(ember::_pad_packed_sequence(data, int64_of({2, 2}), false, 0.0, 2), RuntimeError);
  EXPECT_NE(message_of([&] {
              ember::_pad_packed_sequence(data, int64_of({2, 1}), false, 0.0, 1);
            }).find("total_length"),
            std::string::npos);
  EXPECT_THROW(ember::pad_sequence({}), RuntimeError);
  EXPECT_THROW(ember::pad_sequence({randn({2, 3}), randn({2, 4})}), RuntimeError);
  EXPECT_THROW(ember::pad_sequence({randn({2, 3}), randn({2, 3}, kFloat64)}), TypeError);
  EXPECT_THROW(ember::pad_sequence({randn({2})}, false, 0.0, "middle"), ValueError);
}

}  // namespace
}  // namespace ember::nn
