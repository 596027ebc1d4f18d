// A character-level LSTM language model (the C++ twin of examples/python/char_lstm.py):
// embedding, a 2-layer LSTM and a linear read-out, trained with Adam on random windows of the
// repository's public-domain text to predict each next character, then sampled one character
// at a time carrying the LSTM state. Usage: char_lstm [steps] [text file] [hidden size]; the
// exit code says whether it learned (mean loss of the last 10 steps below 80% of the first 10).
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "ember/ember.h"

namespace nn = ember::nn;

struct CharLSTMImpl : nn::Module {
  CharLSTMImpl(int64_t vocabulary, int64_t hidden)
      : embedding(register_module("embedding", nn::Embedding(vocabulary, 16))),
        lstm(register_module(
            "lstm", nn::LSTM(nn::LSTMOptions(16, hidden).num_layers(2).batch_first(true)))),
        out(register_module("out", nn::Linear(hidden, vocabulary))) {}

  // tokens (batch, time) -> (logits (batch, time, vocabulary), (h, c)).
  std::tuple<ember::Tensor, std::tuple<ember::Tensor, ember::Tensor>> forward(
      const ember::Tensor& tokens,
      std::optional<std::tuple<ember::Tensor, ember::Tensor>> state = std::nullopt) {
    auto [output, next_state] = lstm->forward(embedding(tokens), state);
    return {out(output), next_state};
  }

  nn::Embedding embedding;
  nn::LSTM lstm;
  nn::Linear out;
};

int main(int argc, char** argv) {
  const int steps = argc > 1 ? std::atoi(argv[1]) : 1000;
  const std::string path = argc > 2 ? argv[2] : "examples/data/public_domain_text.txt";
  const int64_t hidden = argc > 3 ? std::atoi(argv[3]) : 64;
  const int64_t window = 16;
  const int64_t batch = 8;
  std::ifstream file(path);
  if (!file) {
    std::cerr << "cannot read " << path << "\n";
    return EXIT_FAILURE;
  }
  const std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  std::map<char, int64_t> index;
  for (char c : text) index.emplace(c, 0);
  std::vector<char> vocabulary;
  for (auto& [c, i] : index) {
    i = static_cast<int64_t>(vocabulary.size());
    vocabulary.push_back(c);
  }
  std::vector<int64_t> codes;
  for (char c : text) codes.push_back(index[c]);
  const ember::Tensor encoded =
      ember::from_blob_copy(codes.data(), {static_cast<int64_t>(codes.size())}, ember::kInt64);
  const auto vocabulary_size = static_cast<int64_t>(vocabulary.size());

  ember::manual_seed(0);
  auto model = std::make_shared<CharLSTMImpl>(vocabulary_size, hidden);
  ember::optim::Adam optimizer(model->parameters(), ember::optim::AdamOptions(0.02));
  std::vector<double> losses;
  for (int step = 0; step < steps; ++step) {
    const ember::Tensor starts = ember::randint(0, encoded.size(0) - window - 1, {batch, 1});
    const ember::Tensor chunk =
        encoded.index_select(0, (starts + ember::arange(window + 1)).reshape({-1}));
    const ember::Tensor tokens = chunk.reshape({batch, window + 1});
    const auto [logits, state] = model->forward(tokens.narrow(1, 0, window));
    const ember::Tensor loss = nn::functional::cross_entropy(
        logits.reshape({-1, vocabulary_size}), tokens.narrow(1, 1, window).reshape({-1}));
    optimizer.zero_grad();
    loss.backward();
    nn::utils::clip_grad_norm_(model->parameters(), 1.0);
    optimizer.step();
    losses.push_back(loss.item<double>());
  }

  // Sampling: feed the prompt, then one drawn character at a time with the carried state.
  model->eval();
  ember::autograd::NoGradGuard no_grad;
  std::string sample = "It was";
  std::vector<int64_t> prompt;
  for (char c : sample) prompt.push_back(index[c]);
  auto [logits, state] = model->forward(ember::from_blob_copy(
      prompt.data(), {1, static_cast<int64_t>(prompt.size())}, ember::kInt64));
  for (int i = 0; i < 60; ++i) {
    const ember::Tensor probabilities = ember::softmax(logits[0][-1] / 0.8, 0);
    const ember::Tensor token = ember::multinomial(probabilities, 1);
    sample += vocabulary[static_cast<size_t>(token.item<int64_t>())];
    std::tie(logits, state) = model->forward(token.view({1, 1}), state);
  }
  std::cout << sample << "\n";

  const size_t n = std::min<size_t>(10, losses.size());
  double first = 0, last = 0;
  for (size_t i = 0; i < n; ++i) {
    first += losses[i] / static_cast<double>(n);
    last += losses[losses.size() - n + i] / static_cast<double>(n);
  }
  std::cout << "mean loss: first " << n << " steps " << first << ", last " << n << " steps " << last
            << "\n";
  return last < 0.8 * first ? EXIT_SUCCESS : EXIT_FAILURE;
}
