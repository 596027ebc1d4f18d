// Samplers that split a dataset over `num_replicas` processes (libtorch's DistributedSampler,
// DistributedRandomSampler and DistributedSequentialSampler): replica `rank` gets its own slice of
// ceil(size / num_replicas) indices, padded with repeats of the first indices when
// allow_duplicates (every replica then sees the same count), else floor(size / num_replicas)
// indices. The random one shuffles the whole index list with a generator seeded by the epoch
// (set_epoch), so that all replicas agree on the permutation and their slices stay disjoint.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "ember/data/samplers/base.h"

namespace ember::data::samplers {

class DistributedSampler : public Sampler<> {
 public:
  // Raises ValueError for num_replicas 0 or a rank not below num_replicas.
  DistributedSampler(size_t size, size_t num_replicas, size_t rank, bool allow_duplicates);

  void set_epoch(size_t epoch) { epoch_ = epoch; }
  size_t epoch() const noexcept { return epoch_; }
  // The number of indices this replica gets per epoch.
  size_t local_sample_count() const;

 protected:
  size_t size_;
  size_t num_replicas_;
  size_t rank_;
  size_t epoch_ = 0;
  bool allow_duplicates_;
};

class DistributedRandomSampler : public DistributedSampler {
 public:
  explicit DistributedRandomSampler(size_t size, size_t num_replicas = 1, size_t rank = 0,
                                    bool allow_duplicates = true);

  void reset(std::optional<size_t> new_size = std::nullopt) override;
  std::optional<std::vector<size_t>> next(size_t batch_size) override;
  size_t index() const noexcept { return sample_index_ - begin_index_; }

 private:
  void populate_indices();

  std::vector<size_t> all_indices_;
  size_t begin_index_ = 0;
  size_t end_index_ = 0;
  size_t sample_index_ = 0;
};

class DistributedSequentialSampler : public DistributedSampler {
 public:
  explicit DistributedSequentialSampler(size_t size, size_t num_replicas = 1, size_t rank = 0,
                                        bool allow_duplicates = true);

  void reset(std::optional<size_t> new_size = std::nullopt) override;
  std::optional<std::vector<size_t>> next(size_t batch_size) override;
  size_t index() const noexcept { return sample_index_; }

 private:
  void populate_indices();

  std::vector<size_t> indices_;
  size_t sample_index_ = 0;
};

}  // namespace ember::data::samplers
