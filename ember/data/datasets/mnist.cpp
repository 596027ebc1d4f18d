#include "ember/data/datasets/mnist.h"

#include <cstdint>
#include <fstream>
#include <iterator>
#include <vector>

#include "ember/base/error.h"
#include "ember/ops/ops.h"

namespace ember::data::datasets {
namespace {

constexpr uint32_t kImagesMagic = 2051;  // idx3: unsigned bytes, three dimensions
constexpr uint32_t kLabelsMagic = 2049;  // idx1: unsigned bytes, one dimension

std::vector<uint8_t> read_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  EMBER_CHECK(file.good(), "[MNIST] expected the idx file ", path, "; it cannot be opened");
  return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

// The big-endian 32-bit integer at `offset` (idx headers are big-endian).
uint32_t read_u32(const std::vector<uint8_t>& bytes, size_t offset) {
  return (uint32_t{bytes[offset]} << 24) | (uint32_t{bytes[offset + 1]} << 16) |
         (uint32_t{bytes[offset + 2]} << 8) | uint32_t{bytes[offset + 3]};
}

// The file's header fields after the magic number (`dims` of them), checked against its length.
std::vector<int64_t> read_header(const std::vector<uint8_t>& bytes, const std::string& path,
                                 uint32_t magic, size_t dims) {
  const size_t header_size = 4 * (dims + 1);
  EMBER_CHECK_VALUE(bytes.size() >= header_size, "[MNIST] expected an idx header of ", header_size,
                    " bytes in ", path, "; the file has ", bytes.size());
  EMBER_CHECK_VALUE(read_u32(bytes, 0) == magic, "[MNIST] expected the magic number ", magic,
                    " in ", path, "; got ", read_u32(bytes, 0));
  std::vector<int64_t> sizes;
  uint64_t payload = 1;
  for (size_t d = 0; d < dims; ++d) {
    sizes.push_back(read_u32(bytes, 4 * (d + 1)));
    payload *= static_cast<uint64_t>(sizes.back());
  }
  EMBER_CHECK_VALUE(bytes.size() - header_size == payload, "[MNIST] expected ", payload,
                    " bytes of data after the header of ", path, "; got ",
                    bytes.size() - header_size);
  return sizes;
}

Tensor read_images(const std::string& path) {
  const std::vector<uint8_t> bytes = read_file(path);
  const std::vector<int64_t> sizes = read_header(bytes, path, kImagesMagic, 3);
  const Tensor pixels =
      from_blob_copy(bytes.data() + 16, {sizes[0], 1, sizes[1], sizes[2]}, kUInt8);
  return pixels.to(kFloat32).div(255);
}

Tensor read_labels(const std::string& path) {
  const std::vector<uint8_t> bytes = read_file(path);
  const std::vector<int64_t> sizes = read_header(bytes, path, kLabelsMagic, 1);
  return from_blob_copy(bytes.data() + 8, {sizes[0]}, kUInt8).to(kInt64);
}

}  // namespace

MNIST::MNIST(const std::string& root, Mode mode) : is_train_(mode == Mode::kTrain) {
  const std::string prefix = root + "/" + (is_train_ ? "train" : "t10k");
  images_ = read_images(prefix + "-images-idx3-ubyte");
  targets_ = read_labels(prefix + "-labels-idx1-ubyte");
  EMBER_CHECK_VALUE(images_.size(0) == targets_.size(0), "[MNIST] expected as many labels as ",
                    "images in ", root, "; got ", targets_.size(0), " labels and ", images_.size(0),
                    " images");
}

Example<> MNIST::get(size_t index) {
  EMBER_CHECK_INDEX(index < static_cast<size_t>(images_.size(0)), "[MNIST] expected an index ",
                    "below the dataset's size ", images_.size(0), "; got ", index);
  const auto i = static_cast<int64_t>(index);
  return {images_[i], targets_[i]};
}

std::optional<size_t> MNIST::size() const { return static_cast<size_t>(images_.size(0)); }

bool MNIST::is_train() const noexcept { return is_train_; }

}  // namespace ember::data::datasets
