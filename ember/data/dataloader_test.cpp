// make_data_loader: batches with 0 and 2 workers, ordering, drop_last, epochs, early exit, errors
// thrown in workers rethrown in the loop, and bad options.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <numeric>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "ember/base/error.h"
#include "ember/base/error_testing.h"
#include "ember/data/data.h"
#include "ember/ops/ops.h"
#include "tests/test_support.h"

namespace ember::data {
namespace {

using test_support::contains;
using test_support::error_of;
using testing::values;

// Example i: data [i], target i; fails at `failing_index`; sleeps longer for early indices, so
// that workers finish out of order.
struct IndexDataset : datasets::Dataset<IndexDataset> {
  explicit IndexDataset(size_t count, size_t failing = SIZE_MAX)
      : n(count), failing_index(failing) {}
  Example<> get(size_t index) override {
    if (index == failing_index) throw ValueError("bad example " + std::to_string(index));
    if (index < 4) std::this_thread::sleep_for(std::chrono::milliseconds(4 - index));
    const auto i = static_cast<double>(index);
    return {testing::tensor_of({i}, {1}), testing::tensor_of({i}, {}, kInt64)};
  }
  std::optional<size_t> size() const override { return n; }
  size_t n;
  size_t failing_index;
};

// The targets of each batch of one epoch.
template <typename Loader>
std::vector<std::vector<double>> epoch_targets(Loader& loader) {
  std::vector<std::vector<double>> batches;
  for (auto& batch : loader) {
    batches.push_back(values(batch.target));
  }
  return batches;
}

class DataLoaderWorkers : public ::testing::TestWithParam<size_t> {};

TEST_P(DataLoaderWorkers, SequentialBatchesInOrder) {
  auto loader = make_data_loader<samplers::SequentialSampler>(
      IndexDataset(7).map(transforms::Stack<>()), DataLoaderOptions(3).workers(GetParam()));
  const std::vector<std::vector<double>> expected = {{0, 1, 2}, {3, 4, 5}, {6}};
  EXPECT_EQ(epoch_targets(*loader), expected);
  EXPECT_EQ(epoch_targets(*loader), expected);  // a second epoch
}

TEST_P(DataLoaderWorkers, DropLastLeavesOutTheShortBatch) {
  auto loader = make_data_loader<samplers::SequentialSampler>(
      IndexDataset(7).map(transforms::Stack<>()),
      DataLoaderOptions().batch_size(3).workers(GetParam()).drop_last(true));
  for (auto& batch : *loader) {
    EXPECT_EQ(batch.data.shape(), (std::vector<int64_t>{3, 1}));
  }
  EXPECT_EQ(epoch_targets(*loader).size(), 2u);
}

TEST_P(DataLoaderWorkers, RandomSamplerCoversTheDatasetReproducibly) {
  manual_seed(11);
  auto loader = make_data_loader(IndexDataset(20).map(transforms::Stack<>()),
                                 DataLoaderOptions().batch_size(6).workers(GetParam()));
  const auto first = epoch_targets(*loader);
  std::multiset<double> seen;
  for (const auto& batch : first) seen.insert(batch.begin(), batch.end());
  EXPECT_EQ(seen.size(), 20u);
  EXPECT_EQ(std::set<double>(seen.begin(), seen.end()).size(), 20u);
  manual_seed(11);
  auto again = make_data_loader(IndexDataset(20).map(transforms::Stack<>()),
                                DataLoaderOptions().batch_size(6).workers(GetParam()));
  EXPECT_EQ(epoch_targets(*again), first);
}

TEST_P(DataLoaderWorkers, WorkerExceptionsReachTheLoop) {
  auto loader = make_data_loader<samplers::SequentialSampler>(
      IndexDataset(8, 5).map(transforms::Stack<>()), DataLoaderOptions(2).workers(GetParam()));
  std::vector<double> seen;
  const std::string message = error_of<ValueError>([&] {
    for (auto& batch : *loader) {
      for (double v : values(batch.target)) seen.push_back(v);
    }
  });
  EXPECT_EQ(message, "bad example 5");
  EXPECT_EQ(seen, (std::vector<double>{0, 1, 2, 3}));  // the batches before the failing one
}

TEST_P(DataLoaderWorkers, BreakingEarlyThenANewEpoch) {
  auto loader = make_data_loader<samplers::SequentialSampler>(
      IndexDataset(40).map(transforms::Stack<>()),
      DataLoaderOptions(2).workers(GetParam()).max_jobs(6));
  for (auto& batch : *loader) {
    EXPECT_EQ(values(batch.target), (std::vector<double>{0, 1}));
    break;
  }
  EXPECT_EQ(epoch_targets(*loader).size(), 20u);
  EXPECT_EQ(epoch_targets(*loader).front(), (std::vector<double>{0, 1}));
}

TEST_P(DataLoaderWorkers, EmptyDatasetHasNoBatches) {
  auto loader = make_data_loader(IndexDataset(0).map(transforms::Stack<>()),
                                 DataLoaderOptions(4).workers(GetParam()));
  EXPECT_TRUE(epoch_targets(*loader).empty());
}

TEST_P(DataLoaderWorkers, UnstackedBatchesAreVectorsOfExamples) {
  auto loader =
      make_data_loader(datasets::TensorDataset(zeros({5, 3})), samplers::SequentialSampler(5),
                       DataLoaderOptions(2).workers(GetParam()));
  std::vector<size_t> sizes;
  for (std::vector<TensorExample>& batch : *loader) sizes.push_back(batch.size());
  EXPECT_EQ(sizes, (std::vector<size_t>{2, 2, 1}));
}

INSTANTIATE_TEST_SUITE_P(Workers, DataLoaderWorkers, ::testing::Values(0, 1, 3));

TEST(DataLoader, UnorderedDeliveryStillDeliversEveryBatch) {
  auto loader = make_data_loader<samplers::SequentialSampler>(
      IndexDataset(16).map(transforms::Stack<>()),
      DataLoaderOptions(1).workers(4).enforce_ordering(false));
  std::multiset<double> seen;
  for (const auto& batch : epoch_targets(*loader)) seen.insert(batch.begin(), batch.end());
  EXPECT_EQ(seen.size(), 16u);
  EXPECT_EQ(*seen.rbegin(), 15);
}

TEST(DataLoader, DestroyingItMidEpochJoinsTheWorkers) {
  auto loader = make_data_loader(IndexDataset(1000).map(transforms::Stack<>()),
                                 DataLoaderOptions(1).workers(3).max_jobs(50));
  auto it = loader->begin();
  EXPECT_EQ(it->data.size(0), 1);
  loader.reset();  // must not hang or crash with 50 jobs queued
}

// A dataset whose batches never come in time.
struct SlowDataset : datasets::Dataset<SlowDataset> {
  Example<> get(size_t) override {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    return {zeros({1}), zeros({})};
  }
  std::optional<size_t> size() const override { return 2; }
};

TEST(DataLoader, TimeoutIsRuntimeError) {
  auto loader = make_data_loader(
      SlowDataset(), DataLoaderOptions(1).workers(1).timeout(std::chrono::milliseconds(5)));
  EXPECT_TRUE(contains(error_of<RuntimeError>([&] { loader->begin(); }),
                       "[DataLoader] expected a batch from a worker within 5 ms; none came"));
}

TEST(DataLoader, BatchSizeZeroIsValueError) {
  EXPECT_TRUE(contains(error_of<ValueError>([] {
                         make_data_loader(IndexDataset(3), DataLoaderOptions().batch_size(0));
                       }),
                       "[DataLoader] expected batch_size >= 1; got 0"));
  EXPECT_TRUE(contains(error_of<ValueError>([] {
                         make_data_loader(IndexDataset(3),
                                          DataLoaderOptions(1).workers(2).max_jobs(0));
                       }),
                       "expected max_jobs >= 1 with 2 workers; got 0"));
}

TEST(DataLoader, IndexOutOfRangeFromASamplerIsIndexError) {
  auto loader = make_data_loader(datasets::TensorDataset(zeros({3, 1})),
                                 samplers::SequentialSampler(5), DataLoaderOptions(2).workers(1));
  EXPECT_TRUE(contains(error_of<IndexError>([&] {
                         for (auto& batch : *loader) EXPECT_EQ(batch.size(), 2u);
                       }),
                       "below the dataset's size 3; got 3"));
}

TEST(DataLoader, OptionsResolveMaxJobs) {
  auto loader = make_data_loader(IndexDataset(3), DataLoaderOptions(2).workers(3));
  EXPECT_EQ(loader->options().max_jobs, 6u);
  EXPECT_TRUE(loader->options().enforce_ordering);
}

}  // namespace
}  // namespace ember::data
