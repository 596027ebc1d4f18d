// A data loader over a dataset and a sampler (libtorch's StatelessDataLoader): iterating it (range
// for) runs one epoch, resetting the sampler and yielding dataset.get_batch(indices) for each
// batch of indices the sampler hands out. With workers, that many threads (each with its own copy
// of the dataset) build up to max_jobs batches ahead; with enforce_ordering, batches still arrive
// in the sampler's order. An exception thrown by the dataset in a worker is rethrown in the loop.
// Leaving a loop early is safe: the next epoch discards the batches still in flight, and the
// destructor stops and joins the workers.
#pragma once

#include <cstdint>
#include <exception>
#include <map>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "ember/base/error.h"
#include "ember/data/dataloader/queue.h"
#include "ember/data/dataloader_options.h"
#include "ember/data/iterator.h"

namespace ember::data {

template <typename Dataset, typename Sampler>
class StatelessDataLoader {
 public:
  using BatchType = typename Dataset::BatchType;
  using BatchRequestType = typename Sampler::BatchRequestType;

  // Raises ValueError for batch_size 0.
  StatelessDataLoader(Dataset dataset, Sampler sampler, DataLoaderOptions options)
      : options_(options), sampler_(std::move(sampler)), dataset_(std::move(dataset)) {
    EMBER_CHECK_VALUE(options_.batch_size > 0, "[DataLoader] expected batch_size >= 1; got 0");
    EMBER_CHECK_VALUE(options_.workers == 0 || options_.max_jobs > 0, "[DataLoader] expected ",
                      "max_jobs >= 1 with ", options_.workers, " workers; got 0");
    worker_datasets_.reserve(options_.workers);
    for (size_t w = 0; w < options_.workers; ++w) {
      worker_datasets_.push_back(dataset_);
    }
    for (size_t w = 0; w < options_.workers; ++w) {
      workers_.emplace_back([this, w] { work(worker_datasets_[w]); });
    }
  }
  StatelessDataLoader(const StatelessDataLoader&) = delete;
  StatelessDataLoader& operator=(const StatelessDataLoader&) = delete;
  ~StatelessDataLoader() { join(); }

  // Starts an epoch: the sampler is reset and the batches of this epoch follow.
  Iterator<BatchType> begin() {
    reset();
    return Iterator<BatchType>([this] { return next(); });
  }
  Iterator<BatchType> end() { return Iterator<BatchType>(); }

  // Stops the workers (after the batches they are building) and waits for them.
  void join() {
    if (workers_.empty()) return;
    jobs_.clear();
    for (size_t w = 0; w < workers_.size(); ++w) {
      jobs_.push(std::nullopt);
    }
    for (auto& worker : workers_) {
      worker.join();
    }
    workers_.clear();
  }

  const FullDataLoaderOptions& options() const noexcept { return options_; }

 private:
  struct Job {
    uint64_t epoch = 0;
    uint64_t sequence = 0;
    BatchRequestType indices;
  };
  struct Result {
    uint64_t epoch = 0;
    uint64_t sequence = 0;
    std::optional<BatchType> batch;
    std::exception_ptr error;
  };

  void work(Dataset& dataset) {
    std::optional<Job> job;
    while (jobs_.pop(job) && job) {
      Result result{job->epoch, job->sequence, std::nullopt, nullptr};
      try {
        result.batch = dataset.get_batch(std::move(job->indices));
      } catch (...) {
        result.error = std::current_exception();
      }
      results_.push(std::move(result));
    }
  }

  void reset() {
    ++epoch_;
    jobs_.clear();  // the last epoch's unstarted jobs; its finished ones are dropped by epoch
    reordered_.clear();
    sampler_.reset(std::nullopt);
    sampler_exhausted_ = false;
    in_flight_ = 0;
    next_sequence_ = 0;
    next_result_ = 0;
    prefetch();
  }

  // The next batch's indices; nullopt at the end of the epoch (or a short last batch to drop).
  std::optional<BatchRequestType> next_request() {
    if (sampler_exhausted_) return std::nullopt;
    std::optional<BatchRequestType> indices = sampler_.next(options_.batch_size);
    if (!indices || indices->size() == 0 ||
        (options_.drop_last && indices->size() < options_.batch_size)) {
      sampler_exhausted_ = true;
      return std::nullopt;
    }
    return indices;
  }

  // Queues jobs until max_jobs are in flight or the sampler is done.
  void prefetch() {
    if (workers_.empty()) return;
    while (in_flight_ < options_.max_jobs) {
      std::optional<BatchRequestType> indices = next_request();
      if (!indices) return;
      jobs_.push(Job{epoch_, next_sequence_++, std::move(*indices)});
      ++in_flight_;
    }
  }

  std::optional<BatchType> next() {
    if (workers_.empty()) {
      std::optional<BatchRequestType> indices = next_request();
      if (!indices) return std::nullopt;
      return dataset_.get_batch(std::move(*indices));
    }
    if (in_flight_ == 0) return std::nullopt;
    Result result = next_result();
    --in_flight_;
    ++next_result_;
    prefetch();
    if (result.error) std::rethrow_exception(result.error);
    return std::move(result.batch);
  }

  // The next result of this epoch: the next in sequence with enforce_ordering, else the first
  // to arrive.
  Result next_result() {
    while (true) {
      if (options_.enforce_ordering) {
        auto found = reordered_.find(next_result_);
        if (found != reordered_.end()) {
          Result result = std::move(found->second);
          reordered_.erase(found);
          return result;
        }
      }
      Result result;
      EMBER_CHECK(results_.pop(result, options_.timeout), "[DataLoader] expected a batch from a ",
                  "worker within ", options_.timeout->count(), " ms; none came");
      if (result.epoch != epoch_) continue;
      if (!options_.enforce_ordering || result.sequence == next_result_) return result;
      reordered_.emplace(result.sequence, std::move(result));
    }
  }

  FullDataLoaderOptions options_;
  Sampler sampler_;
  Dataset dataset_;
  std::vector<Dataset> worker_datasets_;
  std::vector<std::thread> workers_;
  detail::Queue<std::optional<Job>> jobs_;  // nullopt: a worker's signal to stop
  detail::Queue<Result> results_;
  std::map<uint64_t, Result> reordered_;  // results that arrived before their turn
  uint64_t epoch_ = 0;
  bool sampler_exhausted_ = false;
  size_t in_flight_ = 0;        // jobs queued whose results the loop has not taken yet
  uint64_t next_sequence_ = 0;  // the sequence number of the next job
  uint64_t next_result_ = 0;    // the sequence number of the next batch to hand out
};

}  // namespace ember::data
