#include "ember/env/observation.h"

#include <gtest/gtest.h>

#include <string>

#include "ember/base/error.h"
#include "ember/env/spaces.h"
#include "ember/ops/ops.h"

namespace ember::env {
namespace {

Observation goal_observation() {
  return Observation::dict(
      {{"position", arange(4, TensorOptions().dtype(kFloat32)).reshape({2, 2})},
       {"goal", Observation::tuple({scalar_tensor(int64_t{3}, kInt64), zeros({2, 1})})}});
}

TEST(Observation, IsATensorWhenItHasNoParts) {
  Observation observation = ones({3});
  EXPECT_TRUE(observation.is_tensor());
  EXPECT_EQ(observation.sizes(), (std::vector<int64_t>{3}));
  EXPECT_EQ(observation.unsqueeze(0).dim(), 2);
  EXPECT_EQ(observation.num_parts(), 0u);
  EXPECT_TRUE(observation.keys().empty());
  EXPECT_EQ(observation.structure(), "Tensor");
}

TEST(Observation, HoldsTuplesAndDictsInOrder) {
  Observation observation = goal_observation();
  EXPECT_EQ(observation.kind(), Observation::Kind::kDict);
  EXPECT_FALSE(observation.defined());
  EXPECT_EQ(observation.keys(), (std::vector<std::string>{"position", "goal"}));
  EXPECT_EQ(observation.at("goal").kind(), Observation::Kind::kTuple);
  EXPECT_EQ(observation.at("goal").part(0).item<int64_t>(), 3);
  EXPECT_EQ(observation.part(0).sum().item<float>(), 6.0f);
  EXPECT_EQ(observation.structure(), "Dict(position: Tensor, goal: Tuple(Tensor, Tensor))");
}

TEST(Observation, MapsRowsAndCopiesLeafByLeaf) {
  Observation batch = goal_observation().map([](const Tensor& leaf) {
    std::vector<int64_t> shape{3};
    for (int64_t size : leaf.sizes()) shape.push_back(size);
    return zeros(shape, TensorOptions().dtype(leaf.dtype()));
  });
  batch.row(1).copy_from(goal_observation(), "test");
  EXPECT_EQ(batch.at("goal").part(0).sizes(), (std::vector<int64_t>{3}));
  EXPECT_EQ(batch.at("goal").part(0)[1].item<int64_t>(), 3);
  EXPECT_EQ(batch.at("goal").part(0)[0].item<int64_t>(), 0);
  EXPECT_FLOAT_EQ(batch.at("position")[1][1][1].item<float>(), 3.0f);
  EXPECT_FLOAT_EQ(batch.at("position")[2].sum().item<float>(), 0.0f);
  // A dict's entries match by key, whatever their order.
  Observation reordered = Observation::dict(
      {{"goal", Observation::tuple({scalar_tensor(int64_t{2}, kInt64), ones({2, 1})})},
       {"position", ones({2, 2})}});
  batch.row(0).copy_from(reordered, "test");
  EXPECT_EQ(batch.at("goal").part(0)[0].item<int64_t>(), 2);
  EXPECT_FLOAT_EQ(batch.at("position")[0].sum().item<float>(), 4.0f);
}

TEST(Observation, RejectsBadKeysPartsAndStructures) {
  Observation observation = goal_observation();
  try {
    observation.at("velocity");
    FAIL() << "no error";
  } catch (const ValueError& error) {
    EXPECT_NE(std::string(error.what()).find("no key 'velocity' in Dict(position"),
              std::string::npos)
        << error.what();
  }
  EXPECT_THROW(observation.part(2), IndexError);
  EXPECT_THROW(Observation(ones({1})).at("a"), ValueError);
  EXPECT_THROW(Observation::dict({{"a", ones({1})}, {"a", ones({1})}}), ValueError);
  Observation tuple = Observation::tuple({ones({1})});
  EXPECT_THROW(tuple.copy_from(Observation::tuple({ones({1}), ones({1})}), "test"), ValueError);
  EXPECT_THROW(observation.copy_from(Observation::dict({{"goal", ones({1})}}), "test"), ValueError);
  EXPECT_THROW(Observation(ones({1})).copy_from(Observation(), "test"), ValueError);
}

TEST(Observation, AllocatesABatchForASpace) {
  DictSpace space(DictSpace::Entries{
      {"image", std::make_shared<Box>(0.0, 255.0, std::vector<int64_t>{2, 3}, kUInt8)},
      {"flags", std::make_shared<TupleSpace>(std::vector<std::shared_ptr<Space>>{
                    std::make_shared<Discrete>(2),
                    std::make_shared<MultiBinary>(std::vector<int64_t>{4})})}});
  Observation batch = empty_observation_batch(space, 5);
  EXPECT_EQ(batch.at("image").sizes(), (std::vector<int64_t>{5, 2, 3}));
  EXPECT_EQ(batch.at("image").dtype(), kUInt8);
  EXPECT_EQ(batch.at("flags").part(0).sizes(), (std::vector<int64_t>{5}));
  EXPECT_EQ(batch.at("flags").part(1).sizes(), (std::vector<int64_t>{5, 4}));
  Observation leaf = empty_observation_batch(Discrete(3), 0);
  EXPECT_EQ(leaf.sizes(), (std::vector<int64_t>{0}));
}

}  // namespace
}  // namespace ember::env
