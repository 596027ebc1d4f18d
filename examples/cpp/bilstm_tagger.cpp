// A bidirectional LSTM tagger over sentences of varying length batched as packed sequences (the
// C++ twin of examples/python/bilstm_tagger.py). Words 0-8 carry the tag word % 3; words 9-11
// are ambiguous and take the tag of the next word (0 at the end), so the tagger must read
// ahead. Usage: bilstm_tagger [steps]; the exit code says whether it learned (held-out accuracy
// above 0.9).
#include <cstdlib>
#include <iostream>
#include <random>
#include <utility>
#include <vector>

#include "ember/ember.h"

namespace nn = ember::nn;
namespace rnn = ember::nn::utils::rnn;

constexpr int64_t kVocabulary = 12;
constexpr int64_t kTags = 3;

struct Sentence {
  ember::Tensor words;
  ember::Tensor tags;
};

Sentence make_sentence(std::mt19937& rng) {
  std::uniform_int_distribution<int64_t> word(0, kVocabulary - 1);
  std::uniform_int_distribution<int> length(3, 10);
  std::vector<int64_t> words(static_cast<size_t>(length(rng)));
  for (int64_t& w : words) w = word(rng);
  std::vector<int64_t> tags(words.size());
  int64_t next_tag = 0;  // read right to left: an ambiguous word copies the next word's tag
  for (size_t i = words.size(); i-- > 0;) {
    tags[i] = words[i] < 9 ? words[i] % 3 : next_tag;
    next_tag = tags[i];
  }
  const auto n = static_cast<int64_t>(words.size());
  return {ember::from_blob_copy(words.data(), {n}, ember::kInt64),
          ember::from_blob_copy(tags.data(), {n}, ember::kInt64)};
}

struct TaggerImpl : nn::Module {
  TaggerImpl()
      : embedding(register_module("embedding", nn::Embedding(kVocabulary, 16))),
        lstm(register_module("lstm", nn::LSTM(nn::LSTMOptions(16, 32).bidirectional(true)))),
        out(register_module("out", nn::Linear(64, kTags))) {}

  // The tag scores of every word, as packed rows (in pack_sequence's order).
  ember::Tensor forward(const std::vector<ember::Tensor>& sentences) {
    const rnn::PackedSequence packed = rnn::pack_sequence(sentences, /*enforce_sorted=*/false);
    const rnn::PackedSequence embedded(embedding(packed.data()), packed.batch_sizes(),
                                       packed.sorted_indices(), packed.unsorted_indices());
    return out(std::get<0>(lstm->forward_with_packed_input(embedded)).data());
  }

  nn::Embedding embedding;
  nn::LSTM lstm;
  nn::Linear out;
};

std::pair<std::vector<ember::Tensor>, ember::Tensor> split(const std::vector<Sentence>& batch) {
  std::vector<ember::Tensor> words, tags;
  for (const Sentence& sentence : batch) {
    words.push_back(sentence.words);
    tags.push_back(sentence.tags);
  }
  return {words, rnn::pack_sequence(tags, /*enforce_sorted=*/false).data()};
}

double accuracy(TaggerImpl& model, const std::vector<Sentence>& batch) {
  ember::autograd::NoGradGuard no_grad;
  const auto [words, targets] = split(batch);
  return (model.forward(words).argmax(1) == targets).to(ember::kFloat64).mean().item<double>();
}

int main(int argc, char** argv) {
  const int steps = argc > 1 ? std::atoi(argv[1]) : 300;
  ember::manual_seed(0);
  std::mt19937 rng(0);
  std::vector<Sentence> held_out;
  for (int i = 0; i < 64; ++i) held_out.push_back(make_sentence(rng));
  auto model = std::make_shared<TaggerImpl>();
  const double before = accuracy(*model, held_out);
  ember::optim::Adam optimizer(model->parameters(), ember::optim::AdamOptions(0.02));
  for (int step = 0; step < steps; ++step) {
    std::vector<Sentence> batch;
    for (int i = 0; i < 16; ++i) batch.push_back(make_sentence(rng));
    const auto [words, targets] = split(batch);
    const ember::Tensor loss = nn::functional::cross_entropy(model->forward(words), targets);
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();
  }
  const double after = accuracy(*model, held_out);
  std::cout << "held-out accuracy " << before << " -> " << after << "\n";
  return after > 0.9 ? EXIT_SUCCESS : EXIT_FAILURE;
}
