// A dataset over one tensor's rows (libtorch's TensorDataset): example i is tensor[i], without
// a target.
#pragma once

#include <optional>
#include <vector>

#include "ember/base/error.h"
#include "ember/data/datasets/base.h"
#include "ember/data/example.h"
#include "ember/ops/shape.h"

namespace ember::data::datasets {

struct TensorDataset : public Dataset<TensorDataset, TensorExample> {
  // The rows of the stacked tensors.
  explicit TensorDataset(const std::vector<Tensor>& tensors)
      : TensorDataset(ember::stack(tensors)) {}
  explicit TensorDataset(Tensor examples) : tensor(std::move(examples)) {
    EMBER_CHECK_VALUE(tensor.dim() >= 1, "[TensorDataset] expected a tensor with at least ",
                      "one dimension (the examples); got a 0-d tensor");
  }

  TensorExample get(size_t index) override {
    EMBER_CHECK_INDEX(index < static_cast<size_t>(tensor.size(0)), "[TensorDataset] expected an ",
                      "index below the dataset's size ", tensor.size(0), "; got ", index);
    return tensor[static_cast<int64_t>(index)];
  }
  std::optional<size_t> size() const override { return static_cast<size_t>(tensor.size(0)); }

  Tensor tensor;
};

}  // namespace ember::data::datasets
