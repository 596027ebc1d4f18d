#include <algorithm>
#include <numeric>

#include "ember/base/error.h"
#include "ember/data/samplers/distributed.h"
#include "ember/data/samplers/random.h"
#include "ember/data/samplers/sequential.h"
#include "ember/ops/random.h"
#include "ember/tensor/generator.h"

namespace ember::data::samplers {
namespace {

// The next at most batch_size entries of `indices` from `position` up to `end`.
std::optional<std::vector<size_t>> take(const size_t* indices, size_t& position, size_t end,
                                        size_t batch_size) {
  if (position >= end) return std::nullopt;
  const size_t count = std::min(batch_size, end - position);
  std::vector<size_t> batch(indices + position, indices + position + count);
  position += count;
  return batch;
}

// A permutation of 0, ..., size - 1 as size_t, from `generator` (nullopt: the default one).
std::vector<size_t> permutation(size_t size, std::optional<Generator> generator) {
  const Tensor perm = randperm(static_cast<int64_t>(size), std::move(generator), kInt64);
  const int64_t* values = perm.data_ptr<int64_t>();
  return std::vector<size_t>(values, values + size);
}

}  // namespace

void SequentialSampler::reset(std::optional<size_t> new_size) {
  if (new_size) size_ = *new_size;
  index_ = 0;
}

std::optional<std::vector<size_t>> SequentialSampler::next(size_t batch_size) {
  if (index_ >= size_) return std::nullopt;
  const size_t count = std::min(batch_size, size_ - index_);
  std::vector<size_t> batch(count);
  std::iota(batch.begin(), batch.end(), index_);
  index_ += count;
  return batch;
}

RandomSampler::RandomSampler(int64_t size, ScalarType index_dtype) : index_dtype_(index_dtype) {
  EMBER_CHECK_VALUE(size >= 0, "[RandomSampler] expected a non-negative size; got ", size);
  reset(static_cast<size_t>(size));
}

void RandomSampler::reset(std::optional<size_t> new_size) {
  const int64_t size = new_size ? static_cast<int64_t>(*new_size) : indices_.size(0);
  indices_ = randperm(size, index_dtype_).to(kInt64);
  index_ = 0;
}

std::optional<std::vector<size_t>> RandomSampler::next(size_t batch_size) {
  const auto size = static_cast<size_t>(indices_.size(0));
  if (index_ >= size) return std::nullopt;
  const size_t count = std::min(batch_size, size - index_);
  const int64_t* values = indices_.data_ptr<int64_t>() + index_;
  index_ += count;
  return std::vector<size_t>(values, values + count);
}

DistributedSampler::DistributedSampler(size_t size, size_t num_replicas, size_t rank,
                                       bool allow_duplicates)
    : size_(size), num_replicas_(num_replicas), rank_(rank), allow_duplicates_(allow_duplicates) {
  EMBER_CHECK_VALUE(num_replicas > 0, "[DistributedSampler] expected num_replicas >= 1; got 0");
  EMBER_CHECK_VALUE(rank < num_replicas, "[DistributedSampler] expected a rank below ",
                    "num_replicas ", num_replicas, "; got ", rank);
}

size_t DistributedSampler::local_sample_count() const {
  return allow_duplicates_ ? (size_ + num_replicas_ - 1) / num_replicas_ : size_ / num_replicas_;
}

DistributedRandomSampler::DistributedRandomSampler(size_t size, size_t num_replicas, size_t rank,
                                                   bool allow_duplicates)
    : DistributedSampler(size, num_replicas, rank, allow_duplicates) {
  reset();
}

void DistributedRandomSampler::populate_indices() {
  const size_t local_count = local_sample_count();
  // The padded list: every replica's slice lies inside it.
  const size_t total = std::max(size_, local_count * num_replicas_);
  all_indices_.resize(total);
  const std::vector<size_t> shuffled = permutation(size_, detail::createCPUGenerator(epoch_));
  for (size_t i = 0; i < total; ++i) {
    all_indices_[i] = size_ == 0 ? 0 : shuffled[i % size_];
  }
  begin_index_ = rank_ * local_count;
  end_index_ = begin_index_ + local_count;
  sample_index_ = begin_index_;
}

void DistributedRandomSampler::reset(std::optional<size_t> new_size) {
  if (new_size) size_ = *new_size;
  populate_indices();
}

std::optional<std::vector<size_t>> DistributedRandomSampler::next(size_t batch_size) {
  return take(all_indices_.data(), sample_index_, end_index_, batch_size);
}

DistributedSequentialSampler::DistributedSequentialSampler(size_t size, size_t num_replicas,
                                                           size_t rank, bool allow_duplicates)
    : DistributedSampler(size, num_replicas, rank, allow_duplicates) {
  reset();
}

void DistributedSequentialSampler::populate_indices() {
  const size_t local_count = local_sample_count();
  const size_t begin = rank_ * local_count;
  indices_.resize(local_count);
  for (size_t i = 0; i < local_count; ++i) {
    indices_[i] = size_ == 0 ? 0 : (begin + i) % size_;
  }
  sample_index_ = 0;
}

void DistributedSequentialSampler::reset(std::optional<size_t> new_size) {
  if (new_size) size_ = *new_size;
  populate_indices();
}

std::optional<std::vector<size_t>> DistributedSequentialSampler::next(size_t batch_size) {
  return take(indices_.data(), sample_index_, indices_.size(), batch_size);
}

}  // namespace ember::data::samplers
