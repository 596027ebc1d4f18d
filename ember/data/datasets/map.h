// A dataset whose batches pass through a transform (libtorch's MapDataset, made by
// `dataset.map(transform)`): a Transform maps each example, a BatchTransform (Stack) the batch.
#pragma once

#include <optional>
#include <utility>

#include "ember/data/datasets/base.h"

namespace ember::data::datasets {

template <typename Source, typename Transform>
class MapDataset
    : public BatchDataset<MapDataset<Source, Transform>, typename Transform::OutputBatchType,
                          typename Source::BatchRequestType> {
 public:
  using DatasetType = Source;
  using TransformType = Transform;
  using BatchRequestType = typename Source::BatchRequestType;
  using OutputBatchType = typename Transform::OutputBatchType;

  MapDataset(Source dataset, Transform transform)
      : dataset_(std::move(dataset)), transform_(std::move(transform)) {}

  OutputBatchType get_batch(BatchRequestType indices) override {
    return transform_.apply_batch(dataset_.get_batch(std::move(indices)));
  }
  std::optional<size_t> size() const override { return dataset_.size(); }

  const Source& dataset() const { return dataset_; }
  const Transform& transform() const { return transform_; }

 private:
  Source dataset_;
  Transform transform_;
};

template <typename Source, typename Transform>
MapDataset<Source, Transform> map(Source dataset, Transform transform) {
  static_assert(
      std::is_same_v<typename Source::BatchType, typename Transform::InputBatchType>,
      "[datasets::map] the transform's input batch type must be the dataset's batch type");
  return {std::move(dataset), std::move(transform)};
}

}  // namespace ember::data::datasets
