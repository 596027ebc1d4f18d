// A LeNet-5-style CNN that learns which way a bar points (the C++ twin of
// examples/python/lenet.py): each 28 x 28 image holds one noisy bar, horizontal, vertical,
// diagonal or anti-diagonal; conv-relu-pool twice and three linear layers learn the orientation
// with a hand-written SGD step. Usage: lenet [steps]; the exit code says whether it learned
// (test accuracy above 0.8, chance being 0.25).
#include <cstdlib>
#include <iostream>
#include <memory>
#include <random>
#include <utility>

#include "ember/ember.h"

namespace {

constexpr int64_t kSize = 28;
constexpr int64_t kClasses = 4;
// Row and column step of each orientation.
constexpr int64_t kDirections[kClasses][2] = {{0, 1}, {1, 0}, {1, 1}, {1, -1}};

struct LeNet : ember::nn::Module {
  LeNet() {
    conv1 =
        register_module("conv1", ember::nn::Conv2d(ember::nn::Conv2dOptions(1, 6, 5).padding(2)));
    conv2 = register_module("conv2", ember::nn::Conv2d(6, 16, 5));
    pool = register_module("pool", ember::nn::MaxPool2d(2));
    fc1 = register_module("fc1", ember::nn::Linear(16 * 5 * 5, 120));
    fc2 = register_module("fc2", ember::nn::Linear(120, 84));
    fc3 = register_module("fc3", ember::nn::Linear(84, kClasses));
  }
  ember::Tensor forward(ember::Tensor x) {
    x = pool(ember::relu(conv1(x)));
    x = pool(ember::relu(conv2(x)));
    x = x.flatten(1);
    return fc3(ember::relu(fc2(ember::relu(fc1(x)))));
  }
  ember::nn::Conv2d conv1{nullptr}, conv2{nullptr};
  ember::nn::MaxPool2d pool{nullptr};
  ember::nn::Linear fc1{nullptr}, fc2{nullptr}, fc3{nullptr};
};

// (images (count, 1, 28, 28), labels (count,) int64): one noisy bar each.
std::pair<ember::Tensor, ember::Tensor> bars(int64_t count, std::mt19937& rng) {
  ember::Tensor images = ember::randn({count, 1, kSize, kSize}) * 0.2;
  ember::Tensor labels = ember::empty({count}, ember::kInt64);
  float* pixels = images.data_ptr<float>();
  int64_t* label = labels.data_ptr<int64_t>();
  std::uniform_int_distribution<int64_t> orientation(0, kClasses - 1);
  std::uniform_int_distribution<int64_t> bar_length(8, 13);
  for (int64_t i = 0; i < count; ++i) {
    label[i] = orientation(rng);
    const int64_t length = bar_length(rng);
    std::uniform_int_distribution<int64_t> place(length, kSize - length - 1);
    const int64_t row = place(rng);
    const int64_t col = place(rng);
    for (int64_t step = -length / 2; step <= length / 2; ++step) {
      const int64_t r = row + step * kDirections[label[i]][0];
      const int64_t c = col + step * kDirections[label[i]][1];
      pixels[(i * kSize + r) * kSize + c] += 1.0f;
    }
  }
  return {images, labels};
}

double accuracy(LeNet& model, const ember::Tensor& images, const ember::Tensor& labels) {
  ember::NoGradGuard no_grad;
  return model.forward(images).argmax(1).eq(labels).to(ember::kFloat64).mean().item<double>();
}

}  // namespace

int main(int argc, char** argv) {
  const int steps = argc > 1 ? std::atoi(argv[1]) : 300;
  const int64_t batch_size = 32;
  const double learning_rate = 0.15;
  ember::manual_seed(0);
  std::mt19937 rng(0);
  const auto [test_images, test_labels] = bars(256, rng);
  auto model = std::make_shared<LeNet>();
  const double before = accuracy(*model, test_images, test_labels);
  for (int step = 0; step < steps; ++step) {
    const auto [images, labels] = bars(batch_size, rng);
    ember::Tensor loss = ember::nn::functional::cross_entropy(model->forward(images), labels);
    model->zero_grad();
    loss.backward();
    {
      ember::NoGradGuard no_grad;
      for (ember::Tensor& parameter : model->parameters()) {
        parameter.sub_(parameter.grad() * learning_rate);
      }
    }
    if (step % 50 == 0) std::cout << "step " << step << ": loss " << loss.item<double>() << "\n";
  }
  const double after = accuracy(*model, test_images, test_labels);
  std::cout << "test accuracy " << before << " -> " << after << " (chance 0.25)\n";
  return after > 0.8 ? EXIT_SUCCESS : EXIT_FAILURE;
}
