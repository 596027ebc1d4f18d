// The C++ twin of examples/python/cnn_checkpoint.py: a small CNN trained through make_data_loader
// with two worker threads on 8x8 images of a horizontal (class 0) or vertical (class 1) bar under
// noise, made in memory (no downloads), checkpointed every epoch with ember::save and resumed
// from the checkpoint with ember::load. The checkpoint holds the model, the optimizer, the
// default generator's state (it draws the sampler's order) and the epoch, in the format Python's
// ember.load reads (docs/checkpoint_format.md).
// Usage: cnn_checkpoint CHECKPOINT_PATH EPOCHS. Run twice with the same path, the second run
// resumes; it prints each epoch's mean loss (its test checks that the last is below 0.2).
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>

// ember.h first: its IValue::Tag::TensorList would otherwise shadow ember::TensorList (-Wshadow).
#include "ember/ember.h"

#include "bars_dataset.h"
#include "ember/data/data.h"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: cnn_checkpoint CHECKPOINT_PATH EPOCHS\n";
    return EXIT_FAILURE;
  }
  const std::string path = argv[1];
  const int epochs = std::atoi(argv[2]);
  namespace nn = ember::nn;
  namespace serialize = ember::serialize;

  ember::manual_seed(0);
  Bars dataset(512);
  nn::Sequential model(nn::Conv2d(nn::Conv2dOptions(1, 8, 3).padding(1)), nn::ReLU(),
                       nn::MaxPool2d(2), nn::Conv2d(nn::Conv2dOptions(8, 16, 3).padding(1)),
                       nn::ReLU(), nn::AdaptiveAvgPool2d(1), nn::Flatten(), nn::Linear(16, 2));
  ember::optim::Adam optimizer(model->parameters(), ember::optim::AdamOptions(0.03));
  // A handle on the default generator (it shares its state), which the sampler draws from.
  ember::Generator generator = ember::detail::getDefaultCPUGenerator();

  int64_t start = 0;
  if (std::filesystem::exists(path)) {
    const serialize::Value checkpoint = ember::load(path);
    serialize::load_state(*model, checkpoint.at("model"));
    serialize::load_state(optimizer, checkpoint.at("optimizer"));
    generator.set_state(checkpoint.at("rng_state").to_tensor());
    start = checkpoint.at("epoch").to_int();
  }

  auto loader =
      ember::data::make_data_loader(std::move(dataset).map(ember::data::transforms::Stack<>()),
                                    ember::data::DataLoaderOptions().batch_size(64).workers(2));
  for (int64_t epoch = start; epoch < epochs; ++epoch) {
    double loss_sum = 0;
    int64_t seen = 0;
    for (auto& batch : *loader) {
      optimizer.zero_grad();
      ember::Tensor loss = ember::cross_entropy_loss(model->forward(batch.data), batch.target);
      loss.backward();
      optimizer.step();
      loss_sum += loss.item<double>() * static_cast<double>(batch.target.size(0));
      seen += batch.target.size(0);
    }
    ember::save(serialize::Value::dict({{"model", serialize::to_value(*model)},
                                        {"optimizer", serialize::to_value(optimizer)},
                                        {"rng_state", generator.get_state()},
                                        {"epoch", epoch + 1}}),
                path);
    std::cout << "epoch " << epoch << " loss " << loss_sum / static_cast<double>(seen) << "\n";
  }
  std::cout << "started at epoch " << start << "\n";
  return EXIT_SUCCESS;
}
