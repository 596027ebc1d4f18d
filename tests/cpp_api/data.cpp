// libtorch's data tutorial shape: a custom dataset, .map(Normalize).map(Stack<>()),
// make_data_loader with workers, range-for over batch.data and batch.target, MNIST from idx files
// the program writes itself, the samplers, and the errors of bad input.
#include <ember/ember.h>

#include <ember/data/data.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "check.h"

namespace torch = ember;

namespace {

// Example i: a 2x2 image filled with i and the label i % 3.
struct CustomDataset : torch::data::datasets::Dataset<CustomDataset> {
  explicit CustomDataset(size_t count) : count_(count) {}
  torch::data::Example<> get(size_t index) override {
    return {torch::full({1, 2, 2}, static_cast<double>(index)),
            torch::tensor(static_cast<int64_t>(index % 3))};
  }
  std::optional<size_t> size() const override { return count_; }

 private:
  size_t count_;
};

template <typename Fn>
std::string message_of(Fn&& fn) {
  try {
    fn();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

bool mentions(const std::string& message, const std::string& part) {
  return message.find(part) != std::string::npos;
}

void write_u32(std::ofstream& file, uint32_t value) {
  const unsigned char bytes[4] = {
      static_cast<unsigned char>(value >> 24), static_cast<unsigned char>(value >> 16),
      static_cast<unsigned char>(value >> 8), static_cast<unsigned char>(value)};
  file.write(reinterpret_cast<const char*>(bytes), 4);
}

// Four 3x3 images (pixel value 10 * n) and their labels n, as MNIST's idx files.
void write_mnist(const std::string& root) {
  std::ofstream images(root + "/train-images-idx3-ubyte", std::ios::binary);
  for (uint32_t v : {2051u, 4u, 3u, 3u}) write_u32(images, v);
  for (int n = 0; n < 4; ++n) {
    for (int i = 0; i < 9; ++i) images.put(static_cast<char>(10 * n));
  }
  std::ofstream labels(root + "/train-labels-idx1-ubyte", std::ios::binary);
  for (uint32_t v : {2049u, 4u}) write_u32(labels, v);
  for (int n = 0; n < 4; ++n) labels.put(static_cast<char>(n));
}

}  // namespace

int main() {
  torch::manual_seed(1);
  auto dataset = CustomDataset(10)
                     .map(torch::data::transforms::Normalize<>(0.5, 2.0))
                     .map(torch::data::transforms::Stack<>());
  CHECK(dataset.size().value() == 10);
  auto loader = torch::data::make_data_loader(
      std::move(dataset), torch::data::DataLoaderOptions().batch_size(4).workers(2));
  std::multiset<int64_t> labels;
  int batches = 0;
  for (auto& batch : *loader) {
    CHECK(batch.data.size(1) == 1 && batch.data.size(2) == 2);
    CHECK(batch.target.dtype() == torch::kInt64);
    for (int64_t i = 0; i < batch.target.size(0); ++i)
      labels.insert(batch.target[i].item<int64_t>());
    ++batches;
  }
  CHECK(batches == 3);
  CHECK(labels.size() == 10 && labels.count(0) == 4);

  // Sequential order and drop_last.
  auto ordered = torch::data::make_data_loader<torch::data::samplers::SequentialSampler>(
      CustomDataset(7).map(torch::data::transforms::Stack<>()),
      torch::data::DataLoaderOptions(3).workers(2).drop_last(true).enforce_ordering(true));
  std::vector<float> firsts;
  for (auto& batch : *ordered) firsts.push_back(batch.data[0][0][0][0].item<float>());
  CHECK((firsts == std::vector<float>{0, 3}));

  // A TensorDataset, its unstacked batches, and a distributed sampler's share.
  torch::data::datasets::TensorDataset rows(torch::arange(12, torch::kFloat32).reshape({6, 2}));
  auto shard = torch::data::make_data_loader(
      rows, torch::data::samplers::DistributedRandomSampler(6, /*num_replicas=*/2, /*rank=*/1),
      torch::data::DataLoaderOptions(2));
  size_t seen = 0;
  for (std::vector<torch::data::TensorExample>& batch : *shard) seen += batch.size();
  CHECK(seen == 3);

  // MNIST from idx files.
  const std::string root = "cpp_api_data_mnist";
  std::filesystem::create_directories(root);
  write_mnist(root);
  torch::data::datasets::MNIST mnist(root);
  CHECK(mnist.size().value() == 4 && mnist.is_train());
  auto mnist_loader = torch::data::make_data_loader<torch::data::samplers::SequentialSampler>(
      std::move(mnist).map(torch::data::transforms::Stack<>()), torch::data::DataLoaderOptions(4));
  for (auto& batch : *mnist_loader) {
    CHECK(batch.data.sizes() == std::vector<int64_t>({4, 1, 3, 3}));
    CHECK(std::abs(batch.data[3][0][1][1].item<float>() - 30.0f / 255) < 1e-6);
    CHECK(batch.target[2].item<int64_t>() == 2);
  }
  std::filesystem::remove_all(root);

  // Bad input: typed errors naming what is wrong.
  CHECK(mentions(message_of([] {
                   torch::data::make_data_loader(CustomDataset(3),
                                                 torch::data::DataLoaderOptions().batch_size(0));
                 }),
                 "batch_size >= 1"));
  CHECK(mentions(message_of([&] { rows.get(6); }), "[TensorDataset] expected an index below"));
  CHECK(mentions(message_of([] { torch::data::datasets::MNIST("no_such_dir"); }),
                 "cannot be opened"));
  auto empty =
      torch::data::make_data_loader(CustomDataset(0).map(torch::data::transforms::Stack<>()),
                                    torch::data::DataLoaderOptions(2).workers(1));
  CHECK(empty->begin() == empty->end());
  return 0;
}
