// The samplers of the C++ data API: order, batch sizes, reset, reproducibility through
// manual_seed, and the distributed samplers' disjoint slices, padding and epochs.
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <set>
#include <vector>

#include "ember/base/error.h"
#include "ember/base/error_testing.h"
#include "ember/data/samplers/distributed.h"
#include "ember/data/samplers/random.h"
#include "ember/data/samplers/sequential.h"
#include "ember/ops/ops.h"

namespace ember::data::samplers {
namespace {

using test_support::contains;
using test_support::error_of;

// Every index the sampler hands out this epoch, in order, in batches of batch_size.
template <typename Sampler>
std::vector<size_t> drain(Sampler& sampler, size_t batch_size) {
  std::vector<size_t> all;
  while (auto batch = sampler.next(batch_size)) {
    EXPECT_LE(batch->size(), batch_size);
    all.insert(all.end(), batch->begin(), batch->end());
  }
  return all;
}

std::vector<size_t> iota(size_t n, size_t start = 0) {
  std::vector<size_t> v(n);
  std::iota(v.begin(), v.end(), start);
  return v;
}

TEST(SequentialSampler, InOrderWithAShortLastBatch) {
  SequentialSampler sampler(5);
  EXPECT_EQ(sampler.next(2).value(), (std::vector<size_t>{0, 1}));
  EXPECT_EQ(sampler.next(2).value(), (std::vector<size_t>{2, 3}));
  EXPECT_EQ(sampler.next(2).value(), (std::vector<size_t>{4}));
  EXPECT_FALSE(sampler.next(2).has_value());
  sampler.reset(3);
  EXPECT_EQ(drain(sampler, 10), iota(3));
}

TEST(RandomSampler, APermutationReproducedByManualSeed) {
  manual_seed(3);
  RandomSampler first(50);
  const std::vector<size_t> a = drain(first, 7);
  std::vector<size_t> sorted = a;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(sorted, iota(50));
  EXPECT_NE(a, iota(50));
  manual_seed(3);
  RandomSampler second(50);
  EXPECT_EQ(drain(second, 3), a);
  second.reset();
  EXPECT_NE(drain(second, 3), a);  // a new permutation each epoch
}

TEST(RandomSampler, EmptyAndNegativeSizes) {
  RandomSampler empty(0);
  EXPECT_FALSE(empty.next(4).has_value());
  EXPECT_TRUE(contains(error_of<ValueError>([] { RandomSampler(-1); }), "non-negative size"));
}

TEST(DistributedRandomSampler, ReplicasSplitOnePermutation) {
  std::vector<size_t> all;
  for (size_t rank = 0; rank < 3; ++rank) {
    DistributedRandomSampler sampler(9, 3, rank);
    const std::vector<size_t> part = drain(sampler, 2);
    EXPECT_EQ(part.size(), 3u);
    all.insert(all.end(), part.begin(), part.end());
  }
  std::sort(all.begin(), all.end());
  EXPECT_EQ(all, iota(9));
}

TEST(DistributedRandomSampler, PaddingWithDuplicatesOrDroppingTheRest) {
  std::multiset<size_t> padded, dropped;
  for (size_t rank = 0; rank < 4; ++rank) {
    DistributedRandomSampler with(10, 4, rank, true);
    DistributedRandomSampler without(10, 4, rank, false);
    const std::vector<size_t> a = drain(with, 10), b = drain(without, 10);
    EXPECT_EQ(a.size(), 3u);
    EXPECT_EQ(b.size(), 2u);
    padded.insert(a.begin(), a.end());
    dropped.insert(b.begin(), b.end());
  }
  EXPECT_EQ(padded.size(), 12u);
  EXPECT_EQ(std::set<size_t>(padded.begin(), padded.end()).size(), 10u);
  EXPECT_EQ(std::set<size_t>(dropped.begin(), dropped.end()).size(), 8u);
}

TEST(DistributedRandomSampler, SetEpochChangesThePermutation) {
  DistributedRandomSampler sampler(20, 2, 1);
  const std::vector<size_t> epoch0 = drain(sampler, 4);
  sampler.reset();
  EXPECT_EQ(drain(sampler, 4), epoch0);  // the same epoch: the same permutation
  sampler.set_epoch(1);
  sampler.reset();
  EXPECT_NE(drain(sampler, 4), epoch0);
  EXPECT_EQ(sampler.epoch(), 1u);
}

TEST(DistributedSequentialSampler, ContiguousSlices) {
  DistributedSequentialSampler first(7, 2, 0), second(7, 2, 1);
  EXPECT_EQ(drain(first, 3), (std::vector<size_t>{0, 1, 2, 3}));
  EXPECT_EQ(drain(second, 3), (std::vector<size_t>{4, 5, 6, 0}));  // padded from the start
  DistributedSequentialSampler no_duplicates(7, 2, 1, false);
  EXPECT_EQ(drain(no_duplicates, 3), (std::vector<size_t>{3, 4, 5}));
}

TEST(DistributedSampler, BadReplicasAreValueError) {
  EXPECT_TRUE(contains(error_of<ValueError>([] { DistributedRandomSampler(4, 0, 0); }),
                       "num_replicas >= 1"));
  EXPECT_TRUE(contains(error_of<ValueError>([] { DistributedSequentialSampler(4, 2, 2); }),
                       "expected a rank below num_replicas 2; got 2"));
}

}  // namespace
}  // namespace ember::data::samplers
