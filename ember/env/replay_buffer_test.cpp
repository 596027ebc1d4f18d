#include "ember/env/replay_buffer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "ember/base/error.h"
#include "ember/ops/ops.h"

namespace ember::env {
namespace {

ReplayBatch transition(float value) {
  return {{"obs", full({2}, value)},
          {"action", full({}, static_cast<int64_t>(value), kInt64)},
          {"reward", full({}, value)},
          {"next_obs", full({2}, value + 1)},
          {"done", full({}, false, kBool)}};
}

Generator seeded(uint64_t seed) { return make_generator<CPUGeneratorImpl>(seed); }

TEST(ReplayBuffer, RingOverwritesTheOldestItems) {
  ReplayBuffer buffer(3, transition_fields({2}));
  EXPECT_EQ(buffer.capacity(), 3);
  EXPECT_EQ(buffer.size(), 0);
  for (int i = 0; i < 5; ++i) buffer.add(transition(static_cast<float>(i)));
  EXPECT_EQ(buffer.size(), 3);
  ReplayBatch all = buffer.gather(arange(3, kInt64));
  // Slots 0 and 1 were overwritten by items 3 and 4.
  EXPECT_EQ(all.at("reward")[0].item<float>(), 3.0f);
  EXPECT_EQ(all.at("reward")[1].item<float>(), 4.0f);
  EXPECT_EQ(all.at("reward")[2].item<float>(), 2.0f);
  EXPECT_EQ(all.at("next_obs")[2][1].item<float>(), 3.0f);
  EXPECT_EQ(all.at("action").dtype(), kInt64);
  EXPECT_EQ(all.at("done").dtype(), kBool);
  buffer.clear();
  EXPECT_EQ(buffer.size(), 0);
  EXPECT_THROW(buffer.sample(4), RuntimeError);
}

TEST(ReplayBuffer, AddsABatchAndKeepsTheLastItemsOfAnOversizedOne) {
  ReplayBuffer buffer(4, {{"x", {2}, kFloat32}, {"k", {}, kInt64}});
  std::vector<int64_t> slots =
      buffer.add({{"x", arange(12, kFloat32).reshape({6, 2})}, {"k", arange(6, kInt64)}});
  EXPECT_EQ(slots, (std::vector<int64_t>{2, 3, 0, 1}));
  EXPECT_EQ(buffer.size(), 4);
  ReplayBatch all = buffer.gather(arange(4, kInt64));
  EXPECT_EQ(all.at("k")[0].item<int64_t>(), 4);
  EXPECT_EQ(all.at("k")[3].item<int64_t>(), 3);
  EXPECT_EQ(all.at("x")[1][1].item<float>(), 11.0f);
  // Values are cast to the field's dtype.
  slots = buffer.add({{"x", ones({2}, kFloat64)}, {"k", full({}, 7.0)}});
  EXPECT_EQ(slots, (std::vector<int64_t>{2}));
  EXPECT_EQ(buffer.gather(full({1}, 2, kInt64)).at("k")[0].item<int64_t>(), 7);
}

TEST(ReplayBuffer, SamplesWithReplacementReproducibly) {
  ReplayBuffer buffer(10, transition_fields({2}));
  buffer.add(transition(1.0f));
  buffer.add(transition(2.0f));
  ReplayBatch first = buffer.sample(64, seeded(3));
  ReplayBatch second = buffer.sample(64, seeded(3));
  EXPECT_EQ(first.at("obs").sizes().vec(), (std::vector<int64_t>{64, 2}));
  EXPECT_TRUE(first.at("reward").equal(second.at("reward")));
  // Both items appear in a batch larger than the buffer (with replacement).
  double mean = first.at("reward").mean().item<float>();
  EXPECT_GT(mean, 1.0);
  EXPECT_LT(mean, 2.0);
  // The sample is a fresh tensor, not a view of the storage.
  first.at("reward").fill_(0.0);
  EXPECT_NE(buffer.sample(8, seeded(3)).at("reward").sum().item<float>(), 0.0f);
  manual_seed(5);
  Tensor a = buffer.sample(16).at("reward");
  manual_seed(5);
  EXPECT_TRUE(a.equal(buffer.sample(16).at("reward")));
}

TEST(ReplayBuffer, BadInputIsATypedError) {
  EXPECT_THROW(ReplayBuffer(0, transition_fields({2})), ValueError);
  EXPECT_THROW(ReplayBuffer(2, {{"x", {1}, kFloat32}, {"x", {1}, kFloat32}}), ValueError);
  ReplayBuffer buffer(4, transition_fields({2}));
  ReplayBatch wrong_shape = transition(1.0f);
  wrong_shape["obs"] = zeros({3});
  EXPECT_THROW(buffer.add(wrong_shape), ValueError);
  ReplayBatch missing = transition(1.0f);
  missing.erase("done");
  EXPECT_THROW(buffer.add(missing), ValueError);
  ReplayBatch unknown = transition(1.0f);
  unknown["extra"] = zeros({});
  EXPECT_THROW(buffer.add(unknown), ValueError);
  ReplayBatch mixed = transition(1.0f);
  mixed["obs"] = zeros({1, 2});  // batched while the others are not
  EXPECT_THROW(buffer.add(mixed), ValueError);
  try {
    buffer.add(wrong_shape);
  } catch (const ValueError& error) {
    EXPECT_NE(std::string(error.what()).find("[ReplayBuffer.add]"), std::string::npos);
    EXPECT_NE(std::string(error.what()).find("[3]"), std::string::npos);
  }
  buffer.add(transition(1.0f));
  EXPECT_THROW(buffer.sample(0), ValueError);
  EXPECT_THROW(buffer.gather(full({1}, 1, kInt64)), IndexError);
}

TEST(PrioritizedReplayBuffer, NewItemsGetTheMaxPriority) {
  PrioritizedReplayBuffer buffer(5, transition_fields({2}), 1.0, 0.4, 0.0);
  buffer.add(transition(0.0f));
  EXPECT_DOUBLE_EQ(buffer.total_priority(), 1.0);
  buffer.update_priorities(full({1}, 0, kInt64), full({1}, 3.0));
  buffer.add(transition(1.0f));
  EXPECT_DOUBLE_EQ(buffer.max_priority(), 3.0);
  EXPECT_DOUBLE_EQ(buffer.total_priority(), 6.0);
  buffer.clear();
  EXPECT_EQ(buffer.size(), 0);
  EXPECT_DOUBLE_EQ(buffer.total_priority(), 0.0);
}

// Priorities 1, 2, 3, 4 with alpha 1 are drawn with probabilities 0.1 .. 0.4. 40000 draws give
// each frequency a standard deviation of at most sqrt(0.25 / 40000) = 0.0025 (less, as sampling
// is stratified); the tolerance 0.01 is four of them.
TEST(PrioritizedReplayBuffer, SamplesInProportionToPriority) {
  PrioritizedReplayBuffer buffer(6, transition_fields({2}), 1.0, 1.0, 0.0);
  for (int i = 0; i < 4; ++i) buffer.add(transition(static_cast<float>(i)));
  buffer.update_priorities(arange(4, kInt64), arange(1, 5, kFloat32));
  std::vector<double> counts(4, 0.0);
  const int64_t draws = 40000;
  PrioritizedSample sample = buffer.sample(draws, seeded(1));
  const int64_t* slots = sample.indices.data_ptr<int64_t>();
  for (int64_t i = 0; i < draws; ++i) counts[slots[i]] += 1.0;
  for (int i = 0; i < 4; ++i) EXPECT_NEAR(counts[i] / draws, (i + 1) / 10.0, 0.01) << i;
  // The batch holds the sampled items; weights (N P(i))^-beta / max with beta 1 are
  // min_priority / priority.
  EXPECT_TRUE(sample.batch.at("action").equal(sample.indices));
  const float* weights = sample.weights.data_ptr<float>();
  for (int64_t i = 0; i < 100; ++i) {
    EXPECT_NEAR(weights[i], 1.0 / static_cast<double>(slots[i] + 1), 1e-6);
  }
}

TEST(PrioritizedReplayBuffer, AlphaFlattensPriorities) {
  PrioritizedReplayBuffer buffer(2, transition_fields({2}), 0.5, 0.0, 0.0);
  buffer.add(transition(0.0f));
  buffer.add(transition(1.0f));
  buffer.update_priorities(arange(2, kInt64), full({2}, 4.0));
  EXPECT_DOUBLE_EQ(buffer.total_priority(), 4.0);  // 2 * sqrt(4)
  // beta 0: no correction.
  EXPECT_TRUE(buffer.sample(8, seeded(2)).weights.equal(ones({8})));
}

TEST(PrioritizedReplayBuffer, BadInputIsATypedError) {
  EXPECT_THROW(PrioritizedReplayBuffer(4, transition_fields({2}), -1.0), ValueError);
  PrioritizedReplayBuffer buffer(4, transition_fields({2}));
  EXPECT_THROW(buffer.sample(2), RuntimeError);
  buffer.add(transition(0.0f));
  EXPECT_THROW(buffer.update_priorities(full({1}, 0, kInt64), full({1}, -1.0)), ValueError);
  EXPECT_THROW(buffer.update_priorities(full({1}, 0, kInt64), full({1}, NAN)), ValueError);
  EXPECT_THROW(buffer.update_priorities(full({1}, 2, kInt64), full({1}, 1.0)), IndexError);
  EXPECT_THROW(buffer.update_priorities(zeros({2}, kInt64), full({1}, 1.0)), ValueError);
  EXPECT_THROW(buffer.set_beta(-0.5), ValueError);
  PrioritizedReplayBuffer no_epsilon(4, transition_fields({2}), 0.6, 0.4, 0.0);
  no_epsilon.add(transition(0.0f));
  EXPECT_THROW(no_epsilon.update_priorities(full({1}, 0, kInt64), zeros({1})), ValueError);
}

}  // namespace
}  // namespace ember::env
