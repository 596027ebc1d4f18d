// libtorch's recurrent layers and packed sequences as a libtorch program uses them: an LSTM over
// a packed batch of sequences of different lengths, the packed output padded back, a GRU and
// an RNN with their options, the cells stepped by hand, and a few steps of training.
#include <ember/ember.h>

#include <string>
#include <tuple>
#include <vector>

#include "check.h"

namespace torch = ember;
namespace rnn_utils = torch::nn::utils::rnn;

struct Tagger : torch::nn::Module {
  Tagger() {
    lstm = register_module(
        "lstm",
        torch::nn::LSTM(torch::nn::LSTMOptions(3, 8).bidirectional(true).batch_first(true)));
    out = register_module("out", torch::nn::Linear(16, 2));
  }
  torch::Tensor forward(const torch::Tensor& padded, const torch::Tensor& lengths) {
    const auto packed = rnn_utils::pack_padded_sequence(padded, lengths, /*batch_first=*/true,
                                                        /*enforce_sorted=*/false);
    const auto result = lstm->forward_with_packed_input(packed);
    const auto unpacked = rnn_utils::pad_packed_sequence(std::get<0>(result), true);
    return out(std::get<0>(unpacked));
  }
  torch::nn::LSTM lstm{nullptr};
  torch::nn::Linear out{nullptr};
};

int main() {
  torch::manual_seed(0);
  // Parameters as PyTorch names them.
  torch::nn::LSTM lstm(torch::nn::LSTMOptions(4, 6).num_layers(2).proj_size(3));
  std::vector<std::string> names = lstm->named_parameters().keys();
  CHECK(names.size() == 10);
  CHECK(names[0] == "weight_ih_l0" && names[4] == "weight_hr_l0" && names[9] == "weight_hr_l1");
  CHECK(lstm->named_parameters()["weight_ih_l1"].sizes() == std::vector<int64_t>({24, 3}));

  // Padded input and initial states.
  const auto x = torch::randn({5, 2, 4});
  const auto h0 = torch::zeros({2, 2, 3});
  const auto c0 = torch::zeros({2, 2, 6});
  const auto result = lstm->forward(x, std::make_tuple(h0, c0));
  CHECK(std::get<0>(result).sizes() == std::vector<int64_t>({5, 2, 3}));
  CHECK(std::get<1>(std::get<1>(result)).sizes() == std::vector<int64_t>({2, 2, 6}));
  const auto default_states = lstm->forward(x);
  CHECK(torch::allclose(std::get<0>(default_states), std::get<0>(result)));

  // GRU and RNN with their options, unbatched input.
  torch::nn::GRU gru(torch::nn::GRUOptions(4, 5).bidirectional(true));
  const auto gru_result = gru->forward(torch::randn({7, 4}));
  CHECK(std::get<0>(gru_result).sizes() == std::vector<int64_t>({7, 10}));
  CHECK(std::get<1>(gru_result).sizes() == std::vector<int64_t>({2, 5}));
  torch::nn::RNN relu_rnn(torch::nn::RNNOptions(4, 5).nonlinearity(torch::kReLU));
  CHECK(std::get<0>(relu_rnn->forward(x)).min().item<float>() >= 0.0f);

  // Cells stepped by hand.
  torch::nn::LSTMCell cell(4, 6);
  auto state = cell->forward(x[0]);
  for (int64_t t = 1; t < 5; ++t) state = cell->forward(x[t], state);
  CHECK(std::get<0>(state).sizes() == std::vector<int64_t>({2, 6}));
  torch::nn::GRUCell gru_cell(torch::nn::GRUCellOptions(4, 6).bias(false));
  CHECK(gru_cell->named_parameters().size() == 2);

  // pack_sequence / unpack_sequence round trip.
  const std::vector<torch::Tensor> sequences = {torch::randn({2, 3}), torch::randn({4, 3})};
  const auto packed = rnn_utils::pack_sequence(sequences, /*enforce_sorted=*/false);
  const auto unpacked = rnn_utils::unpack_sequence(packed);
  CHECK(torch::equal(unpacked[0], sequences[0]) && torch::equal(unpacked[1], sequences[1]));

  // A few training steps of a tagger over a packed batch.
  auto tagger = std::make_shared<Tagger>();
  torch::optim::Adam optimizer(tagger->parameters(), torch::optim::AdamOptions(0.05));
  const auto padded = torch::randn({3, 4, 3});
  const auto lengths = torch::tensor({4, 2, 3});
  // Tag: is the first feature positive; padding steps are ignored (-100).
  const auto valid = torch::arange(4).unsqueeze(0) < lengths.unsqueeze(1);
  const auto targets =
      torch::where(valid, (padded.select(2, 0) > 0).to(torch::kLong), torch::full({3, 4}, -100L));
  double first_loss = 0.0;
  double last_loss = 0.0;
  for (int step = 0; step < 30; ++step) {
    optimizer.zero_grad();
    const auto logits = tagger->forward(padded, lengths);
    const auto loss =
        torch::nn::functional::cross_entropy(logits.reshape({-1, 2}), targets.reshape({-1}));
    loss.backward();
    optimizer.step();
    if (step == 0) first_loss = loss.item<double>();
    last_loss = loss.item<double>();
  }
  CHECK(last_loss < 0.5 * first_loss);
  return 0;
}
