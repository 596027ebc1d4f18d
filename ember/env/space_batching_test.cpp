// batch_any_space against Gymnasium 1.4's gymnasium.vector.utils.batch_space: a MultiDiscrete
// batches to an int64 Box of its bounds, a Tuple or Dict to the batched children; bad n and a
// space of an unknown kind are errors.
#include "ember/env/space_batching.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ember/base/error.h"
#include "ember/ops/ops.h"

namespace ember::env {
namespace {

std::vector<int64_t> int_values(const Tensor& x) {
  Tensor v = x.to(kInt64).contiguous();
  return {v.data_ptr<int64_t>(), v.data_ptr<int64_t>() + v.numel()};
}

TEST(SpaceBatching, MultiDiscreteBecomesAnInt64BoxOfItsBounds) {
  auto space =
      std::make_shared<MultiDiscrete>(std::vector<int64_t>{3, 4}, std::vector<int64_t>{1, -2});
  auto batched = std::dynamic_pointer_cast<Box>(batch_any_space(space, 2));
  ASSERT_NE(batched, nullptr);
  EXPECT_EQ(batched->dtype(), kInt64);
  EXPECT_EQ(batched->shape(), (std::vector<int64_t>{2, 2}));
  EXPECT_EQ(int_values(batched->low()), (std::vector<int64_t>{1, -2, 1, -2}));
  EXPECT_EQ(int_values(batched->high()), (std::vector<int64_t>{3, 1, 3, 1}));
}

TEST(SpaceBatching, TupleAndDictBatchTheirChildren) {
  auto box = std::make_shared<Box>(-1.0, 1.0, std::vector<int64_t>{3});
  auto discrete = std::make_shared<Discrete>(5, 2);
  auto dict = std::make_shared<DictSpace>(DictSpace::Entries{
      {"position", box}, {"mode", std::make_shared<MultiBinary>(std::vector<int64_t>{2})}});
  auto tuple = std::make_shared<TupleSpace>(std::vector<std::shared_ptr<Space>>{discrete, dict});

  auto batched = std::dynamic_pointer_cast<TupleSpace>(batch_any_space(tuple, 4));
  ASSERT_NE(batched, nullptr);
  auto first = std::dynamic_pointer_cast<MultiDiscrete>(batched->spaces()[0]);
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->nvec(), (std::vector<int64_t>(4, 5)));
  EXPECT_EQ(first->start(), (std::vector<int64_t>(4, 2)));
  auto second = std::dynamic_pointer_cast<DictSpace>(batched->spaces()[1]);
  ASSERT_NE(second, nullptr);
  ASSERT_EQ(second->spaces().size(), 2u);
  EXPECT_EQ(second->spaces()[0].first, "position");
  EXPECT_EQ(second->spaces()[0].second->shape(), (std::vector<int64_t>{4, 3}));
  EXPECT_EQ(second->spaces()[1].first, "mode");
  auto mode = std::dynamic_pointer_cast<Box>(second->spaces()[1].second);
  ASSERT_NE(mode, nullptr);  // Gymnasium batches a MultiBinary to an int8 Box of 0 and 1
  EXPECT_EQ(mode->shape(), (std::vector<int64_t>{4, 2}));
  EXPECT_EQ(mode->dtype(), kInt8);
  EXPECT_EQ(int_values(mode->high()), (std::vector<int64_t>(8, 1)));
}

// A space kind batch_space does not know.
class Unknown : public Space {
 public:
  bool contains(const Tensor& /*x*/) const override { return false; }
  std::string repr() const override { return "Unknown()"; }
  bool equals(const Space& /*other*/) const override { return false; }
};

TEST(SpaceBatching, BadInputIsTyped) {
  auto discrete = std::make_shared<Discrete>(3);
  EXPECT_THROW(batch_any_space(discrete, 0), ValueError);
  EXPECT_THROW(batch_any_space(nullptr, 2), ValueError);
  EXPECT_THROW(batch_any_space(std::make_shared<Unknown>(), 2), TypeError);
  try {
    batch_any_space(std::make_shared<Unknown>(), 2);
  } catch (const TypeError& error) {
    EXPECT_NE(std::string(error.what()).find("Unknown()"), std::string::npos);
  }
}

}  // namespace
}  // namespace ember::env
