// datasets::MNIST over tiny idx files written to a temporary directory: train and test files,
// pixel scaling, targets, a loader over it, and typed errors for missing and corrupt files.
#include "ember/data/datasets/mnist.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "ember/base/error.h"
#include "ember/base/error_testing.h"
#include "ember/data/data.h"
#include "tests/test_support.h"

namespace ember::data::datasets {
namespace {

using test_support::contains;
using test_support::error_of;
using testing::values;

void put_u32(std::vector<uint8_t>& bytes, uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8)
    bytes.push_back(static_cast<uint8_t>(value >> shift));
}

void write(const std::filesystem::path& path, const std::vector<uint8_t>& bytes) {
  std::ofstream file(path, std::ios::binary);
  file.write(reinterpret_cast<const char*>(bytes.data()),
             static_cast<std::streamsize>(bytes.size()));
}

// An idx3 image file of `count` images of rows x cols, pixel (n, i) = n * 10 + i.
std::vector<uint8_t> images_file(uint32_t count, uint32_t rows, uint32_t cols) {
  std::vector<uint8_t> bytes;
  put_u32(bytes, 2051);
  put_u32(bytes, count);
  put_u32(bytes, rows);
  put_u32(bytes, cols);
  for (uint32_t n = 0; n < count; ++n) {
    for (uint32_t i = 0; i < rows * cols; ++i) bytes.push_back(static_cast<uint8_t>(n * 10 + i));
  }
  return bytes;
}

std::vector<uint8_t> labels_file(const std::vector<uint8_t>& labels) {
  std::vector<uint8_t> bytes;
  put_u32(bytes, 2049);
  put_u32(bytes, static_cast<uint32_t>(labels.size()));
  bytes.insert(bytes.end(), labels.begin(), labels.end());
  return bytes;
}

class MNISTFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    root =
        std::filesystem::temp_directory_path() /
        ("ember_mnist_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
         "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(root);
    write(root / "train-images-idx3-ubyte", images_file(3, 2, 2));
    write(root / "train-labels-idx1-ubyte", labels_file({7, 0, 9}));
    write(root / "t10k-images-idx3-ubyte", images_file(2, 2, 2));
    write(root / "t10k-labels-idx1-ubyte", labels_file({4, 1}));
  }
  void TearDown() override { std::filesystem::remove_all(root); }

  std::filesystem::path root;
};

TEST_F(MNISTFiles, TrainAndTestSplits) {
  MNIST train(root.string());
  EXPECT_TRUE(train.is_train());
  EXPECT_EQ(train.size().value(), 3u);
  EXPECT_EQ(train.images().shape(), (std::vector<int64_t>{3, 1, 2, 2}));
  const Example<> second = train.get(1);
  EXPECT_EQ(second.data.dtype(), kFloat32);
  const std::vector<double> pixels = values(second.data);
  EXPECT_NEAR(pixels[3], 13.0 / 255, 1e-7);
  EXPECT_EQ(second.target.dtype(), kInt64);
  EXPECT_EQ(second.target.item<int64_t>(), 0);

  MNIST test(root.string(), MNIST::Mode::kTest);
  EXPECT_FALSE(test.is_train());
  EXPECT_EQ(values(test.targets()), (std::vector<double>{4, 1}));
}

TEST_F(MNISTFiles, LoadedInBatches) {
  auto loader = make_data_loader<samplers::SequentialSampler>(
      MNIST(root.string()).map(transforms::Normalize<>(0.5, 0.5)).map(transforms::Stack<>()),
      DataLoaderOptions(2).workers(2));
  std::vector<double> targets;
  for (auto& batch : *loader) {
    EXPECT_EQ(batch.data.size(1), 1);
    for (double t : values(batch.target)) targets.push_back(t);
  }
  EXPECT_EQ(targets, (std::vector<double>{7, 0, 9}));
}

TEST_F(MNISTFiles, MissingFileIsRuntimeError) {
  std::filesystem::remove(root / "t10k-labels-idx1-ubyte");
  const std::string message =
      error_of<RuntimeError>([&] { MNIST(root.string(), MNIST::Mode::kTest); });
  EXPECT_TRUE(contains(message, "t10k-labels-idx1-ubyte; it cannot be opened")) << message;
}

TEST_F(MNISTFiles, CorruptFilesAreValueErrors) {
  write(root / "train-images-idx3-ubyte", labels_file(std::vector<uint8_t>(12, 1)));
  EXPECT_TRUE(contains(error_of<ValueError>([&] { MNIST(root.string()); }),
                       "expected the magic number 2051"));
  std::vector<uint8_t> truncated = images_file(3, 2, 2);
  truncated.pop_back();
  write(root / "train-images-idx3-ubyte", truncated);
  EXPECT_TRUE(contains(error_of<ValueError>([&] { MNIST(root.string()); }),
                       "expected 12 bytes of data after the header"));
  write(root / "train-images-idx3-ubyte", {0, 0, 8});
  EXPECT_TRUE(contains(error_of<ValueError>([&] { MNIST(root.string()); }),
                       "expected an idx header of 16 bytes"));
  write(root / "train-images-idx3-ubyte", images_file(2, 2, 2));
  EXPECT_TRUE(contains(error_of<ValueError>([&] { MNIST(root.string()); }),
                       "expected as many labels as images"));
}

TEST_F(MNISTFiles, IndexOutOfRangeIsIndexError) {
  MNIST train(root.string());
  EXPECT_TRUE(contains(error_of<IndexError>([&] { train.get(3); }), "size 3; got 3"));
}

}  // namespace
}  // namespace ember::data::datasets
