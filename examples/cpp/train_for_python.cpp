// Train in C++, evaluate in Python from the same file: this program trains a small classifier on
// 8x8 images of a horizontal (class 0) or vertical (class 1) bar under noise, made from the
// global generator after ember::manual_seed (no downloads; Python draws the same images after
// ember.manual_seed with the same seed), evaluates it on a held-out set and saves one checkpoint
// with ember::save: the model, the Adam optimizer, and the evaluation it ran (the held-out set's
// seed and size, the mean loss and the accuracy). examples/python/evaluate_from_cpp.py loads the
// file with ember.load, rebuilds the same model, evaluates it on the same held-out set and checks
// that it finds what this program reported.
// Usage: train_for_python CHECKPOINT_PATH [EPOCHS]
#include <cstdlib>
#include <iostream>
#include <string>

// ember.h first: its IValue::Tag::TensorList would otherwise shadow ember::TensorList (-Wshadow).
#include "ember/ember.h"

namespace {

constexpr int64_t kSide = 8;
constexpr int64_t kTrainCount = 512;
constexpr int64_t kTrainSeed = 0;
constexpr int64_t kEvalCount = 256;
constexpr int64_t kEvalSeed = 1;
constexpr int64_t kBatchSize = 32;

struct Bars {
  ember::Tensor images, labels;
};

// `count` noisy images (count, 1, 8, 8) and their labels, drawn from the global generator
// seeded with `seed` (evaluate_from_cpp.py's bars() makes the same draws in the same order).
Bars make_bars(int64_t count, int64_t seed) {
  ember::manual_seed(static_cast<uint64_t>(seed));
  const ember::Tensor labels = ember::randint(0, 2, {count});
  const ember::Tensor positions = ember::randint(0, kSide, {count, 1, 1});
  const ember::Tensor lines = ember::arange(kSide);
  const ember::Tensor horizontal = lines.view({1, kSide, 1}).eq(positions);
  const ember::Tensor vertical = lines.view({1, 1, kSide}).eq(positions);
  const ember::Tensor bar = ember::where(labels.view({-1, 1, 1}).eq(0), horizontal, vertical);
  const ember::Tensor noise = ember::randn({count, 1, kSide, kSide}) * 0.8;
  return {bar.unsqueeze(1).to(ember::kFloat32) + noise, labels};
}

// The model evaluate_from_cpp.py's Classifier rebuilds: the same submodule names give the same
// state-dict keys.
struct ClassifierImpl : ember::nn::Module {
  ClassifierImpl() {
    hidden = register_module("hidden", ember::nn::Linear(kSide * kSide, 32));
    output = register_module("output", ember::nn::Linear(32, 2));
  }
  ember::Tensor forward(const ember::Tensor& images) {
    return output->forward(hidden->forward(images.flatten(1)).relu());
  }
  ember::nn::Linear hidden{nullptr};
  ember::nn::Linear output{nullptr};
};
EMBER_MODULE(Classifier);

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: train_for_python CHECKPOINT_PATH [EPOCHS]\n";
    return EXIT_FAILURE;
  }
  const std::string path = argv[1];
  const int epochs = argc > 2 ? std::atoi(argv[2]) : 5;
  namespace serialize = ember::serialize;

  const Bars train = make_bars(kTrainCount, kTrainSeed);
  const Bars held_out = make_bars(kEvalCount, kEvalSeed);
  ember::manual_seed(kTrainSeed);
  Classifier model;
  ember::optim::Adam optimizer(model->parameters(), ember::optim::AdamOptions(0.01));
  for (int epoch = 0; epoch < epochs; ++epoch) {
    const ember::Tensor order = ember::randperm(kTrainCount);
    for (int64_t start = 0; start < kTrainCount; start += kBatchSize) {
      const ember::Tensor batch = order.slice(0, start, start + kBatchSize);
      optimizer.zero_grad();
      ember::cross_entropy_loss(model->forward(train.images.index_select(0, batch)),
                                train.labels.index_select(0, batch))
          .backward();
      optimizer.step();
    }
  }

  model->eval();
  ember::NoGradGuard no_grad;
  const ember::Tensor logits = model->forward(held_out.images);
  const double loss = ember::cross_entropy_loss(logits, held_out.labels).item<double>();
  const double accuracy =
      logits.argmax(1).eq(held_out.labels).to(ember::kFloat64).mean().item<double>();
  ember::save(serialize::Value::dict({{"model", serialize::to_value(*model)},
                                      {"optimizer", serialize::to_value(optimizer)},
                                      {"epochs", epochs},
                                      {"evaluation", serialize::Value::dict({
                                                         {"seed", kEvalSeed},
                                                         {"count", kEvalCount},
                                                         {"loss", loss},
                                                         {"accuracy", accuracy},
                                                     })}}),
              path);
  std::cout << "trained " << epochs << " epochs; held-out loss " << loss << ", accuracy "
            << accuracy << "; saved to " << path << "\n";
  return EXIT_SUCCESS;
}
