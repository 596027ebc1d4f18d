// The dataset interfaces (libtorch's torch::data::datasets): a BatchDataset answers a batch of
// indices with a batch; a Dataset answers one index with one example, and its batch is the
// vector of those examples. `.map(transform)` wraps either in a MapDataset.
#pragma once

#include <cstddef>
#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

#include "ember/base/array_ref.h"
#include "ember/data/example.h"

namespace ember::data::datasets {

template <typename Source, typename Transform>
class MapDataset;

template <typename Source, typename Transform>
MapDataset<Source, Transform> map(Source dataset, Transform transform);

template <typename Self, typename Batch = std::vector<Example<>>,
          typename BatchRequest = ArrayRef<size_t>>
class BatchDataset {
 public:
  using SelfType = Self;
  using BatchType = Batch;
  using BatchRequestType = BatchRequest;
  // Loaders that see a stateless dataset give it indices from a sampler.
  static constexpr bool is_stateful = false;

  virtual ~BatchDataset() = default;

  // The batch of the given indices.
  virtual Batch get_batch(BatchRequest request) = 0;
  // The number of examples; nullopt for a dataset of unknown size.
  virtual std::optional<size_t> size() const = 0;

  // This dataset with `transform` applied to each of its batches.
  template <typename Transform>
  MapDataset<Self, Transform> map(Transform transform) & {
    return datasets::map(static_cast<Self&>(*this), std::move(transform));
  }
  template <typename Transform>
  MapDataset<Self, Transform> map(Transform transform) && {
    return datasets::map(std::move(static_cast<Self&>(*this)), std::move(transform));
  }
};

template <typename Self, typename SingleExample = Example<>>
class Dataset : public BatchDataset<Self, std::vector<SingleExample>> {
 public:
  using ExampleType = SingleExample;

  // The example at `index`.
  virtual SingleExample get(size_t index) = 0;

  std::vector<SingleExample> get_batch(ArrayRef<size_t> indices) override {
    std::vector<SingleExample> batch;
    batch.reserve(indices.size());
    for (const size_t index : indices) {
      batch.push_back(get(index));
    }
    return batch;
  }
};

}  // namespace ember::data::datasets
