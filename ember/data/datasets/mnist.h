// The MNIST dataset from the idx files a user has (libtorch's MNIST): in `root`,
// train-images-idx3-ubyte and train-labels-idx1-ubyte (Mode::kTrain) or t10k-images-idx3-ubyte
// and t10k-labels-idx1-ubyte (Mode::kTest). Images are float [1, rows, cols] in [0, 1], targets
// int64. Nothing is downloaded. A missing file raises RuntimeError; a file that is not a valid idx
// file of its kind (magic number, sizes, length) or labels that do not match the images raise
// ValueError, naming the file.
#pragma once

#include <optional>
#include <string>

#include "ember/data/datasets/base.h"
#include "ember/data/example.h"

namespace ember::data::datasets {

class MNIST : public Dataset<MNIST> {
 public:
  enum class Mode { kTrain, kTest };

  explicit MNIST(const std::string& root, Mode mode = Mode::kTrain);

  Example<> get(size_t index) override;
  std::optional<size_t> size() const override;
  bool is_train() const noexcept;
  // All images [N, 1, rows, cols] and targets [N].
  const Tensor& images() const { return images_; }
  const Tensor& targets() const { return targets_; }

 private:
  Tensor images_, targets_;
  bool is_train_;
};

}  // namespace ember::data::datasets
