// A small decoder-only Transformer that learns the characters of a public-domain paragraph (the
// C++ twin of examples/python/transformer_lm.py): token and learned position embeddings, a
// TransformerEncoder run with a causal mask (position i sees positions <= i), a final LayerNorm
// and a Linear head predicting the next character, trained with Adam on random windows of the
// text, then sampled greedily from a prompt.
// Usage: transformer_lm [steps] [text file]; the exit code says whether it learned (mean loss of
// the last tenth of the steps more than 1 nat below the uniform guess, log(vocabulary)).
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "ember/ember.h"

namespace nn = ember::nn;

struct CharTransformerImpl : nn::Module {
  CharTransformerImpl(int64_t vocab, int64_t d_model, int64_t nhead, int64_t num_layers,
                      int64_t context_)
      : context(context_) {
    token = register_module("token", nn::Embedding(vocab, d_model));
    position = register_module("position", nn::Embedding(context, d_model));
    blocks = register_module("blocks", nn::TransformerEncoder(nn::TransformerEncoderOptions(
                                           nn::TransformerEncoderLayerOptions(d_model, nhead)
                                               .dim_feedforward(4 * d_model)
                                               .dropout(0.0)
                                               .batch_first(true)
                                               .norm_first(true),
                                           num_layers)));
    norm = register_module("norm", nn::LayerNorm(std::vector<int64_t>{d_model}));
    head = register_module("head", nn::Linear(d_model, vocab));
  }

  // tokens (N, T) int64 -> next-character logits (N, T, vocab).
  ember::Tensor forward(const ember::Tensor& tokens) {
    const int64_t length = tokens.size(1);
    const ember::Tensor x =
        token(tokens) + position(ember::arange(length, ember::TensorOptions().dtype(ember::kLong)));
    const ember::Tensor mask = nn::TransformerImpl::generate_square_subsequent_mask(length);
    return head(norm(blocks(x, mask, ember::Tensor(), /*is_causal=*/true)));
  }

  int64_t context;
  nn::Embedding token = nullptr;
  nn::Embedding position = nullptr;
  nn::TransformerEncoder blocks = nullptr;
  nn::LayerNorm norm = nullptr;
  nn::Linear head = nullptr;
};
EMBER_MODULE(CharTransformer);

int main(int argc, char** argv) {
  const int steps = argc > 1 ? std::atoi(argv[1]) : 400;
  const std::string path = argc > 2 ? argv[2] : "examples/data/public_domain_text.txt";
  std::ifstream file(path);
  if (!file) {
    std::cerr << "cannot read " << path << "\n";
    return 2;
  }
  std::stringstream contents;
  contents << file.rdbuf();
  const std::string text = contents.str();
  std::string chars = text;
  std::sort(chars.begin(), chars.end());
  chars.erase(std::unique(chars.begin(), chars.end()), chars.end());
  std::vector<int64_t> encoded;
  for (char c : text) encoded.push_back(static_cast<int64_t>(chars.find(c)));
  const auto vocab = static_cast<int64_t>(chars.size());

  const int64_t batch_size = 16;
  const int64_t length = 32;
  ember::manual_seed(0);
  std::mt19937 rng(0);
  std::uniform_int_distribution<size_t> start(0, encoded.size() - length - 2);
  CharTransformer model(vocab, /*d_model=*/32, /*nhead=*/2, /*num_layers=*/2, length);
  ember::optim::Adam optimizer(model->parameters(), ember::optim::AdamOptions(3e-3));

  std::vector<double> losses;
  for (int step = 0; step < steps; ++step) {
    std::vector<int64_t> inputs;
    std::vector<int64_t> targets;
    for (int64_t b = 0; b < batch_size; ++b) {
      const size_t s = start(rng);
      inputs.insert(inputs.end(), encoded.begin() + s, encoded.begin() + s + length);
      targets.insert(targets.end(), encoded.begin() + s + 1, encoded.begin() + s + length + 1);
    }
    const ember::Tensor x =
        ember::from_blob_copy(inputs.data(), {batch_size, length}, ember::kLong);
    const ember::Tensor y =
        ember::from_blob_copy(targets.data(), {batch_size * length}, ember::kLong);
    const ember::Tensor loss = nn::functional::cross_entropy(model(x).reshape({-1, vocab}), y);
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();
    losses.push_back(loss.item<double>());
    if (step % 50 == 0) std::cout << "step " << step << ": loss " << losses.back() << "\n";
  }

  std::vector<int64_t> tokens;
  for (char c : std::string("It was ")) tokens.push_back(static_cast<int64_t>(chars.find(c)));
  model->eval();
  {
    ember::NoGradGuard no_grad;
    for (int i = 0; i < 80; ++i) {
      const auto first =
          tokens.size() > static_cast<size_t>(length) ? tokens.end() - length : tokens.begin();
      std::vector<int64_t> window(first, tokens.end());
      const ember::Tensor logits = model(ember::from_blob_copy(
          window.data(), {1, static_cast<int64_t>(window.size())}, ember::kLong));
      tokens.push_back(logits.select(1, -1).argmax().item<int64_t>());
    }
  }
  std::string sampled;
  for (int64_t t : tokens) sampled += chars[static_cast<size_t>(t)];
  std::cout << sampled << "\n";

  const size_t tail = std::max<size_t>(losses.size() / 10, 1);
  double last = 0;
  for (size_t i = losses.size() - tail; i < losses.size(); ++i) last += losses[i] / tail;
  const double uniform = std::log(static_cast<double>(vocab));
  std::cout << "loss " << losses.front() << " -> " << last << " (uniform " << uniform << ")\n";
  return last < uniform - 1.0 ? 0 : 1;
}
