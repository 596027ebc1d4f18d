// The loss modules: each forwards to its functional loss with its options, keeps its class
// weights as buffers and prints as libtorch's.
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "ember/nn/nn.h"
#include "ember/ops/ops.h"

namespace ember::nn {
namespace {

std::string printed(const Module& module) {
  std::ostringstream stream;
  stream << module;
  return stream.str();
}

TEST(LossModules, ForwardWithTheirOptions) {
  const Tensor x = tensor(std::vector<double>{1, 2, 3}, kFloat64);
  const Tensor y = tensor(std::vector<double>{0, 2, 5}, kFloat64);
  MSELoss sum_of_squares(MSELossOptions().reduction(kSum));
  EXPECT_DOUBLE_EQ(sum_of_squares(x, y).item<double>(), 5.0);
  EXPECT_DOUBLE_EQ(L1Loss()(x, y).item<double>(), 1.0);
  HuberLoss huber(HuberLossOptions().delta(0.5).reduction(kSum));
  EXPECT_DOUBLE_EQ(huber(x, y).item<double>(), 0.5 * 0.75 + 0.5 * 1.75);
  const Tensor logits = zeros({2, 4}, kFloat64);
  const Tensor targets = tensor(std::vector<double>{1, 3}, kInt64);
  CrossEntropyLoss cross_entropy;
  EXPECT_NEAR(cross_entropy(logits, targets).item<double>(), std::log(4.0), 1e-12);
  const Tensor signs = tensor(std::vector<double>{1, -1, 1}, kFloat64);
  MarginRankingLoss ranking(MarginRankingLossOptions().margin(1.0));
  EXPECT_NEAR(ranking(x, y, signs).item<double>(), (0 + 1 + 3) / 3.0, 1e-12);
}

TEST(LossModules, WeightsAreBuffers) {
  const Tensor weight = ones({4}, kFloat64);
  NLLLoss nll(NLLLossOptions().weight(weight));
  ASSERT_EQ(nll->named_buffers().size(), 1u);
  EXPECT_TRUE(nll->weight.is_same(weight));
  BCEWithLogitsLoss logits(BCEWithLogitsLossOptions().pos_weight(weight));
  EXPECT_TRUE(logits->pos_weight.is_same(weight));
  EXPECT_EQ(printed(*nll), "ember::nn::NLLLoss()");
  EXPECT_EQ(printed(*MSELoss()), "ember::nn::MSELoss()");
}

}  // namespace
}  // namespace ember::nn
