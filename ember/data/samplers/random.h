// A random permutation of 0, ..., size - 1, drawn anew at each reset (libtorch's RandomSampler)
// from ember's default generator, so that ember::manual_seed reproduces it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "ember/data/samplers/base.h"
#include "ember/tensor/tensor.h"

namespace ember::data::samplers {

class RandomSampler : public Sampler<> {
 public:
  explicit RandomSampler(int64_t size, ScalarType index_dtype = kInt64);

  void reset(std::optional<size_t> new_size = std::nullopt) override;
  std::optional<std::vector<size_t>> next(size_t batch_size) override;
  // The number of indices handed out this epoch.
  size_t index() const noexcept { return index_; }

 private:
  Tensor indices_;  // int64 [size]
  ScalarType index_dtype_;
  size_t index_ = 0;
};

}  // namespace ember::data::samplers
