// A classifier trained through the C++ data API on an MNIST-like dataset built in memory (no
// downloads): ten classes of 8x8 images, each class a fixed pattern plus noise. The training set
// goes through .map(Normalize).map(Stack<>()) and make_data_loader with two worker threads;
// accuracy on a held-out set is printed and must exceed 90%.
// Usage: mnist_like_data [epochs]
#include <cstdlib>
#include <iostream>
#include <optional>

// ember.h first: its IValue::Tag::TensorList would otherwise shadow ember::TensorList (-Wshadow).
#include "ember/ember.h"

#include "ember/data/data.h"

namespace {

constexpr int64_t kClasses = 10;
constexpr int64_t kSide = 8;

// `count` images [1, 8, 8] with pixels in [0, 1]: image i shows class i % 10's pattern with noise.
class MnistLike : public ember::data::datasets::Dataset<MnistLike> {
 public:
  MnistLike(const ember::Tensor& patterns, int64_t count) {
    targets_ = ember::arange(count, ember::kInt64).remainder(kClasses);
    const ember::Tensor noise = ember::randn({count, 1, kSide, kSide}) * 0.3;
    images_ = (patterns.index_select(0, targets_) + noise).clamp(0.0, 1.0);
  }

  ember::data::Example<> get(size_t index) override {
    const auto i = static_cast<int64_t>(index);
    return {images_[i], targets_[i]};
  }
  std::optional<size_t> size() const override { return static_cast<size_t>(targets_.size(0)); }

 private:
  ember::Tensor images_, targets_;
};

}  // namespace

int main(int argc, char** argv) {
  const int epochs = argc > 1 ? std::atoi(argv[1]) : 5;
  ember::manual_seed(0);
  const ember::Tensor patterns =
      (ember::rand({kClasses, 1, kSide, kSide}) > 0.5).to(ember::kFloat32);
  const ember::data::transforms::Normalize<> normalize(0.5, 0.5);

  auto train_loader = ember::data::make_data_loader(
      MnistLike(patterns, 2000).map(normalize).map(ember::data::transforms::Stack<>()),
      ember::data::DataLoaderOptions().batch_size(64).workers(2).drop_last(true));
  auto test_loader = ember::data::make_data_loader<ember::data::samplers::SequentialSampler>(
      MnistLike(patterns, 500).map(normalize).map(ember::data::transforms::Stack<>()),
      ember::data::DataLoaderOptions().batch_size(250));

  ember::nn::Sequential model(ember::nn::Flatten(), ember::nn::Linear(kSide * kSide, 32),
                              ember::nn::ReLU(), ember::nn::Linear(32, kClasses));
  ember::optim::Adam optimizer(model->parameters(), ember::optim::AdamOptions(1e-2));
  for (int epoch = 0; epoch < epochs; ++epoch) {
    double loss_sum = 0;
    int batches = 0;
    for (auto& batch : *train_loader) {
      optimizer.zero_grad();
      ember::Tensor loss = ember::cross_entropy_loss(model->forward(batch.data), batch.target);
      loss.backward();
      optimizer.step();
      loss_sum += loss.item<double>();
      ++batches;
    }
    std::cout << "epoch " << epoch << " loss " << loss_sum / batches << "\n";
  }

  ember::NoGradGuard no_grad;
  int64_t correct = 0, total = 0;
  for (auto& batch : *test_loader) {
    correct += model->forward(batch.data).argmax(1).eq(batch.target).sum().item<int64_t>();
    total += batch.target.size(0);
  }
  const double accuracy = static_cast<double>(correct) / static_cast<double>(total);
  std::cout << "test accuracy " << accuracy << "\n";
  return accuracy > 0.9 ? EXIT_SUCCESS : EXIT_FAILURE;
}
