// Samplers (libtorch's torch::data::samplers): a sampler hands out the indices of each batch of
// an epoch; reset() starts the next epoch (optionally over a dataset of a new size).
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

namespace ember::data::samplers {

template <typename BatchRequest = std::vector<size_t>>
class Sampler {
 public:
  using BatchRequestType = BatchRequest;

  virtual ~Sampler() = default;
  // Starts a new epoch; with new_size, over that many examples.
  virtual void reset(std::optional<size_t> new_size) = 0;
  // The indices of the next batch (at most batch_size of them); nullopt when the epoch is over.
  virtual std::optional<BatchRequest> next(size_t batch_size) = 0;
};

}  // namespace ember::data::samplers
