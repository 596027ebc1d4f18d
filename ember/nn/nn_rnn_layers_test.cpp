// The recurrent layers and cells (RNN, LSTM, GRU, RNNCell, LSTMCell, GRUCell): PyTorch's
// parameter names, shapes and initialisation, outputs against the cells stepped by hand, packed
// against padded input, unbatched input, gradients through the layers and the error paths.
#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <vector>

#include "ember/autograd/gradcheck.h"
#include "ember/base/error.h"
#include "ember/nn/nn.h"
#include "ember/nn/utils.h"
#include "ember/ops/ops.h"
#include "ember/ops/random.h"
#include "ember/ops/rnn_ops.h"
#include "tests/test_support.h"

namespace ember::nn {
namespace {

using testing::message_of;
using testing::tensor_of;
namespace rnn = utils::rnn;

std::vector<std::vector<int64_t>> shapes_of(const Module& module) {
  std::vector<std::vector<int64_t>> shapes;
  for (const Tensor& parameter : module.parameters()) shapes.push_back(parameter.sizes().vec());
  return shapes;
}

bool close(const Tensor& a, const Tensor& b, double tolerance = 1e-12) {
  return a.sizes() == b.sizes() && (a - b).abs().max().item<double>() <= tolerance;
}

TEST(LSTM, ParameterNamesAndShapesArePyTorchs) {
  LSTM lstm(LSTMOptions(3, 4).num_layers(2).bidirectional(true).proj_size(2));
  const std::vector<std::string> names = {
      "weight_ih_l0",         "weight_hh_l0",         "bias_ih_l0",
      "bias_hh_l0",           "weight_hr_l0",         "weight_ih_l0_reverse",
      "weight_hh_l0_reverse", "bias_ih_l0_reverse",   "bias_hh_l0_reverse",
      "weight_hr_l0_reverse", "weight_ih_l1",         "weight_hh_l1",
      "bias_ih_l1",           "bias_hh_l1",           "weight_hr_l1",
      "weight_ih_l1_reverse", "weight_hh_l1_reverse", "bias_ih_l1_reverse",
      "bias_hh_l1_reverse",   "weight_hr_l1_reverse"};
  EXPECT_EQ(lstm->named_parameters().keys(), names);
  const std::vector<int64_t> w_ih0{16, 3}, w_hh{16, 2}, bias{16}, w_hr{2, 4}, w_ih1{16, 4};
  EXPECT_EQ(shapes_of(*lstm), (std::vector<std::vector<int64_t>>{
                                  w_ih0, w_hh, bias, bias, w_hr, w_ih0, w_hh, bias, bias, w_hr,
                                  w_ih1, w_hh, bias, bias, w_hr, w_ih1, w_hh, bias, bias, w_hr}));
  EXPECT_EQ(lstm->all_weights().size(), 4u);
  GRU gru(GRUOptions(2, 3).bias(false));
  EXPECT_EQ(gru->named_parameters().keys(),
            (std::vector<std::string>{"weight_ih_l0", "weight_hh_l0"}));
  EXPECT_EQ(shapes_of(*gru), (std::vector<std::vector<int64_t>>{{9, 2}, {9, 3}}));
  LSTMCell cell(2, 3);
  EXPECT_EQ(cell->named_parameters().keys(),
            (std::vector<std::string>{"weight_ih", "weight_hh", "bias_ih", "bias_hh"}));
  EXPECT_EQ(shapes_of(*cell), (std::vector<std::vector<int64_t>>{{12, 2}, {12, 3}, {12}, {12}}));
}

TEST(RNNLayers, InitialisationIsUniformOverOneOverSqrtHidden) {
  LSTM lstm(LSTMOptions(5, 16).num_layers(2));
  for (const Tensor& parameter : lstm->parameters()) {
    EXPECT_LE(parameter.abs().max().item<double>(), 0.25);
    EXPECT_TRUE(parameter.requires_grad() && parameter.is_leaf());
  }
  manual_seed(7);
  GRUCell first(3, 4);
  manual_seed(7);
  GRUCell second(3, 4);
  EXPECT_TRUE(equal(first->weight_hh, second->weight_hh));
}

// The cross-language check: python/tests/test_nn_init.py builds the same layers after the same
// seed and expects this table bit for bit (test_recurrent_initialisation_matches_the_cpp_frontend).
TEST(RNNLayers, SeededInitialisationIsTheTableSharedWithPython) {
  manual_seed(2024);
  RNN rnn_layer(2, 1);
  LSTM lstm(LSTMOptions(1, 2).bias(false).proj_size(1));
  GRUCell cell(GRUCellOptions(1, 1).bias(false));
  std::vector<Tensor> parameters = rnn_layer->parameters();
  for (const Tensor& parameter : lstm->parameters()) parameters.push_back(parameter);
  for (const Tensor& parameter : cell->parameters()) parameters.push_back(parameter);
  std::vector<float> drawn;
  for (const Tensor& parameter : parameters) {
    const Tensor flat = parameter.detach().contiguous();
    drawn.insert(drawn.end(), flat.data_ptr<float>(), flat.data_ptr<float>() + flat.numel());
  }
  const std::vector<float> expected = {
      0x1.a8b6bp-3f,   -0x1.d9fb8p-2f,  -0x1.9e9a18p-2f, 0x1.7fba18p-2f,  0x1.e95bc8p-2f,
      -0x1.22844cp-1f, 0x1.0b2bcep-2f,  0x1.56fd46p-1f,  0x1.8fe28p-5f,   -0x1.e91f1p-2f,
      0x1.52ee1ap-1f,  -0x1.428642p-1f, 0x1.793f3ap-6f,  -0x1.03b46ep-2f, -0x1.3d6834p-4f,
      -0x1.5c7a0ap-1f, 0x1.52947p-3f,   -0x1.52f26cp-1f, -0x1.10eedap-3f, -0x1.480246p-1f,
      -0x1.bfe0bep-2f, -0x1.b7bb32p-2f, -0x1.3770a2p-1f, -0x1.c37ba8p-2f, -0x1.3a2978p-2f,
      0x1.b90b08p-1f,  0x1.681cb8p-1f,  -0x1.963cep-4f,  0x1.4d0538p-1f};
  EXPECT_EQ(drawn, expected);
}

// One direction of one layer stepped with the cell op.
TEST(LSTM, MatchesTheCellSteppedByHand) {
  LSTM lstm(LSTMOptions(3, 4));
  lstm->to(kFloat64);
  const Tensor input = randn({5, 2, 3}, kFloat64);
  const Tensor h0 = randn({1, 2, 4}, kFloat64);
  const Tensor c0 = randn({1, 2, 4}, kFloat64);
  const auto [output, state] = lstm->forward(input, std::make_tuple(h0, c0));
  Tensor h = h0.select(0, 0);
  Tensor c = c0.select(0, 0);
  const auto& w = lstm->flat_weights();
  for (int64_t t = 0; t < 5; ++t) {
    std::tie(h, c) = ember::lstm_cell(input.select(0, t), {h, c}, w[0], w[1], w[2], w[3]);
    EXPECT_TRUE(close(output.select(0, t), h)) << "step " << t;
  }
  EXPECT_TRUE(close(std::get<0>(state).select(0, 0), h));
  EXPECT_TRUE(close(std::get<1>(state).select(0, 0), c));
}

TEST(RNNLayers, PackedInputGivesThePaddedResultsPerSequence) {
  GRU gru(GRUOptions(2, 3).num_layers(2).bidirectional(true).batch_first(true));
  gru->to(kFloat64);
  const std::vector<int64_t> lengths = {2, 4, 3};
  const Tensor padded = randn({3, 4, 2}, kFloat64);
  const rnn::PackedSequence packed = rnn::pack_padded_sequence(
      padded, tensor_of({2, 4, 3}, {3}, kInt64), /*batch_first=*/true, /*enforce_sorted=*/false);
  const auto [packed_output, h_n] = gru->forward_with_packed_input(packed);
  const auto [output, out_lengths] = rnn::pad_packed_sequence(packed_output, true);
  for (int64_t b = 0; b < 3; ++b) {
    const int64_t n = lengths[static_cast<size_t>(b)];
    // Each sequence alone (unbatched) through the same layer.
    const auto [alone, alone_h] = gru->forward(padded.select(0, b).narrow(0, 0, n));
    EXPECT_TRUE(close(output.select(0, b).narrow(0, 0, n), alone)) << "sequence " << b;
    EXPECT_TRUE(close(h_n.select(1, b), alone_h)) << "sequence " << b;
  }
}

TEST(RNNLayers, UnbatchedInputAndInitialStates) {
  RNN relu(RNNOptions(2, 3).nonlinearity(kReLU).num_layers(2));
  const Tensor input = randn({4, 2});
  const Tensor h0 = randn({2, 3});
  const auto [output, h_n] = relu->forward(input, h0);
  EXPECT_EQ(output.sizes(), (std::vector<int64_t>{4, 3}));
  EXPECT_EQ(h_n.sizes(), (std::vector<int64_t>{2, 3}));
  const auto [batched, batched_h] = relu->forward(input.unsqueeze(1), h0.unsqueeze(1));
  EXPECT_TRUE(close(batched.squeeze(1), output, 0));
  EXPECT_GE(output.min().item<double>(), 0.0);
  LSTMCell cell(2, 3);
  const auto [h, c] = cell->forward(randn({2}));
  EXPECT_EQ(h.sizes(), (std::vector<int64_t>{3}));
  EXPECT_EQ(c.sizes(), (std::vector<int64_t>{3}));
  RNNCell tanh_cell(RNNCellOptions(2, 3).bias(false));
  EXPECT_EQ(tanh_cell->forward(randn({5, 2})).sizes(), (std::vector<int64_t>{5, 3}));
}

TEST(RNNLayers, GradcheckThroughTheLayers) {
  LSTM lstm(LSTMOptions(2, 3).proj_size(2).bidirectional(true));
  lstm->to(kFloat64);
  const Tensor input = testing::leaf({3, 2, 2});
  const auto through_lstm = [&](const std::vector<Tensor>& in) {
    return std::get<0>(lstm->forward(in[0]));
  };
  EXPECT_EQ(autograd::gradcheck(through_lstm, {input}), "");
  GRUCell cell(2, 2);
  cell->to(kFloat64);
  const auto through_cell = [&](const std::vector<Tensor>& in) {
    return cell->forward(in[0], in[1]);
  };
  EXPECT_EQ(autograd::gradcheck(through_cell, {testing::leaf({3, 2}), testing::leaf({3, 2})}), "");
}

TEST(RNNLayers, TypedErrors) {
  EXPECT_THROW(LSTM(LSTMOptions(2, 3).proj_size(3)), ValueError);
  EXPECT_THROW(GRU(GRUOptions(2, 0)), ValueError);
  EXPECT_THROW(RNN(RNNOptions(2, 3).dropout(1.5)), ValueError);
  EXPECT_THROW(RNN(RNNOptions(2, 3).num_layers(0)), ValueError);
  LSTM lstm(3, 4);
  EXPECT_NE(message_of([&] {
              lstm->forward(randn({5, 2, 2}));
            }).find("[LSTM] input.size(-1) must be equal to input_size. Expected 3, got 2"),
            std::string::npos);
  EXPECT_THROW(lstm->forward(randn({5})), ValueError);
  EXPECT_NE(message_of([&] {
              lstm->forward(randn({5, 2, 3}), std::make_tuple(randn({1, 3, 4}), randn({1, 2, 4})));
            }).find("expected h_0 of shape [1, 2, 4]; got [1, 3, 4]"),
            std::string::npos);
  EXPECT_THROW(lstm->forward(randn({5, 3}), std::make_tuple(randn({1, 1, 4}), randn({1, 1, 4}))),
               RuntimeError);
  EXPECT_THROW(lstm->forward(randn({5, 2, 3}),
                             std::make_tuple(randn({1, 2, 4}, kFloat64), randn({1, 2, 4}))),
               TypeError);
  GRUCell cell(2, 3);
  EXPECT_THROW(cell->forward(randn({1, 1, 2})), ValueError);
}

}  // namespace
}  // namespace ember::nn
