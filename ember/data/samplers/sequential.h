// Indices 0, 1, ..., size - 1 in order (libtorch's SequentialSampler).
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "ember/data/samplers/base.h"

namespace ember::data::samplers {

class SequentialSampler : public Sampler<> {
 public:
  explicit SequentialSampler(size_t size) : size_(size) {}

  void reset(std::optional<size_t> new_size = std::nullopt) override;
  std::optional<std::vector<size_t>> next(size_t batch_size) override;
  // The number of indices handed out this epoch.
  size_t index() const noexcept { return index_; }

 private:
  size_t size_;
  size_t index_ = 0;
};

}  // namespace ember::data::samplers
