// The options of a data loader (libtorch's DataLoaderOptions):
// `DataLoaderOptions().batch_size(64).workers(2).drop_last(true)`.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>

#include "ember/nn/arg.h"

namespace ember::data {

struct DataLoaderOptions {
  DataLoaderOptions() = default;
  DataLoaderOptions(size_t batch_size) : batch_size_(batch_size) {}  // NOLINT: as libtorch's

  // Examples per batch (at least 1).
  EMBER_ARG(size_t, batch_size) = 1;
  // Worker threads that build batches ahead of the loop; 0: the loop's thread builds each batch.
  EMBER_ARG(size_t, workers) = 0;
  // Batches requested ahead at most; unset: twice the workers.
  EMBER_ARG(std::optional<size_t>, max_jobs);
  // How long the loop waits for a worker's batch before raising RuntimeError; unset: forever.
  EMBER_ARG(std::optional<std::chrono::milliseconds>, timeout);
  // Batches arrive in the sampler's order (else: in the order workers finish them).
  EMBER_ARG(bool, enforce_ordering) = true;
  // Leaves out a last batch smaller than batch_size.
  EMBER_ARG(bool, drop_last) = false;
};

// The options with their defaults resolved (libtorch's FullDataLoaderOptions).
struct FullDataLoaderOptions {
  explicit FullDataLoaderOptions(const DataLoaderOptions& options)
      : batch_size(options.batch_size()),
        workers(options.workers()),
        max_jobs(options.max_jobs().value_or(2 * options.workers())),
        timeout(options.timeout()),
        enforce_ordering(options.enforce_ordering()),
        drop_last(options.drop_last()) {}

  size_t batch_size;
  size_t workers;
  size_t max_jobs;
  std::optional<std::chrono::milliseconds> timeout;
  bool enforce_ordering;
  bool drop_last;
};

}  // namespace ember::data
