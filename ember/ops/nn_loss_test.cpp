// The losses of ember/ops/nn_loss.h against hand-derived values, the libtorch-style
// ember::nn::functional forwards with their FuncOptions, and every
// error path (bad class index, shapes, dtypes, reduction) before any element is read.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "ember/base/error.h"
#include "ember/base/error_testing.h"
#include "ember/nn/functional/loss.h"
#include "ember/ops/nn_loss.h"
#include "tests/test_support.h"

namespace ember {
namespace {

using test_support::contains;
using test_support::error_of;
using testing::values;
using Values = std::vector<double>;
namespace F = nn::functional;

Tensor longs(std::initializer_list<double> list) {
  return tensor(std::vector<double>(list), kInt64);
}

Tensor doubles(std::initializer_list<double> list, IntArrayRef shape) {
  return tensor(std::vector<double>(list), kFloat64).reshape(shape);
}

double scalar(const Tensor& t) { return t.item<double>(); }

TEST(PairLosses, ReduceAsAsked) {
  const Tensor x = doubles({1, 2, 3, 4}, {2, 2});
  const Tensor y = doubles({0, 4, 3, 1}, {2, 2});
  EXPECT_EQ(values(l1_loss(x, y, Reduction::None)), (Values{1, 2, 0, 3}));
  EXPECT_DOUBLE_EQ(scalar(l1_loss(x, y)), 1.5);
  EXPECT_DOUBLE_EQ(scalar(mse_loss(x, y, Reduction::Sum)), 14.0);
  // smooth_l1 with beta 2: 0.5 d^2 / 2 below 2, d - 1 above.
  EXPECT_EQ(values(smooth_l1_loss(x, y, Reduction::None, 2.0)), (Values{0.25, 1, 0, 2}));
  EXPECT_EQ(values(huber_loss(x, y, Reduction::None, 2.0)), (Values{0.5, 2, 0, 4}));
  EXPECT_DOUBLE_EQ(scalar(F::mse_loss(x, y, F::MSELossFuncOptions(kSum))), 14.0);
  EXPECT_EQ(values(F::l1_loss(x, y, F::L1LossFuncOptions().reduction(kNone))),
            (Values{1, 2, 0, 3}));
  EXPECT_EQ(values(F::smooth_l1_loss(x, y, F::SmoothL1LossFuncOptions().beta(2).reduction(kNone))),
            (Values{0.25, 1, 0, 2}));
}

TEST(NllLoss, WeightsIgnoreIndexAndKDims) {
  const Tensor logp = doubles({-1, -2, -3, -4, -5, -6}, {2, 3});
  EXPECT_DOUBLE_EQ(scalar(nll_loss(logp, longs({2, 0}))), 3.5);
  const Tensor weight = doubles({1, 2, 3}, {3});
  // (3 * 3 + 1 * 4) / (3 + 1)
  EXPECT_DOUBLE_EQ(scalar(nll_loss(logp, longs({2, 0}), weight)), 13.0 / 4.0);
  EXPECT_EQ(values(nll_loss(logp, longs({2, -100}), weight, Reduction::None)), (Values{9, 0}));
  EXPECT_DOUBLE_EQ(scalar(nll_loss(logp, longs({1, 1}), std::nullopt, Reduction::Sum, 1)), 0.0);
  // (N, C, d) = (1, 3, 2): the class dim is 1.
  const Tensor spatial = logp.t().unsqueeze(0);
  EXPECT_EQ(values(nll_loss(spatial, longs({0, 2}).view({1, 2}), std::nullopt, Reduction::None)),
            (Values{1, 6}));
  EXPECT_DOUBLE_EQ(scalar(F::nll_loss(logp, longs({2, 0}),
                                      F::NLLLossFuncOptions().weight(weight).reduction(kSum))),
                   13.0);
}

TEST(CrossEntropy, IndicesProbabilitiesAndSmoothing) {
  const Tensor logits = doubles({0, 0, std::log(2.0), 0}, {2, 2});
  // Row 0: uniform over 2 classes; row 1: probabilities 2/3, 1/3.
  const Tensor loss = cross_entropy_loss(logits, longs({1, 0}), std::nullopt, Reduction::None);
  EXPECT_NEAR(values(loss)[0], std::log(2.0), 1e-12);
  EXPECT_NEAR(values(loss)[1], std::log(1.5), 1e-12);
  const Tensor one_hot = doubles({0, 1, 1, 0}, {2, 2});
  EXPECT_NEAR(scalar(cross_entropy_loss(logits, one_hot)), scalar(loss.mean()), 1e-12);
  // Smoothing 1 is the uniform target: the mean of -log p over the classes.
  const double uniform = (std::log(2.0) * 2 + std::log(1.5) + std::log(3.0)) / 4;
  EXPECT_NEAR(scalar(F::cross_entropy(logits, longs({1, 0}),
                                      F::CrossEntropyFuncOptions().label_smoothing(1.0))),
              uniform, 1e-12);
}

TEST(BinaryLosses, ClampAndStableLogits) {
  const Tensor p = doubles({0, 0.5, 1}, {3});
  const Tensor y = doubles({1, 1, 1}, {3});
  EXPECT_EQ(values(binary_cross_entropy(p, y, std::nullopt, Reduction::None)),
            (Values{100, std::log(2.0), 0}));
  const Tensor logits = doubles({-1000, 0, 1000}, {3});
  const Values stable = values(
      binary_cross_entropy_with_logits(logits, y, std::nullopt, std::nullopt, Reduction::None));
  EXPECT_DOUBLE_EQ(stable[0], 1000);
  EXPECT_DOUBLE_EQ(stable[1], std::log(2.0));
  EXPECT_DOUBLE_EQ(stable[2], 0);
  const Tensor pos_weight = doubles({3}, {1});
  EXPECT_DOUBLE_EQ(scalar(F::binary_cross_entropy_with_logits(
                       logits.slice(0, 1, 2), y.slice(0, 1, 2),
                       F::BinaryCrossEntropyWithLogitsFuncOptions().pos_weight(pos_weight))),
                   3 * std::log(2.0));
}

TEST(KlDiv, BatchMeanDividesByTheBatch) {
  const Tensor input = doubles({-1, -2, -3, -4}, {2, 2});
  const Tensor target = doubles({0.5, 0.5, 0, 1}, {2, 2});
  const double sum = scalar(kl_div(input, target, Reduction::Sum));
  EXPECT_NEAR(sum, 0.5 * std::log(0.5) * 2 + 0.5 + 1 + 4, 1e-12);
  EXPECT_NEAR(scalar(F::kl_div(input, target, F::KLDivFuncOptions(kBatchMean))), sum / 2, 1e-12);
  const Tensor positive = doubles({0.25, 0.75, 0.5, 0.5}, {2, 2});
  EXPECT_NEAR(scalar(kl_div(input, positive.log(), "sum", true)),
              scalar(kl_div(input, positive, Reduction::Sum)), 1e-12);
}

TEST(MarginLosses, HandDerived) {
  const Tensor x = doubles({0.2, -0.5, 2}, {1, 3});
  // multi_margin: target 2: (max(0, 1 - 2 + 0.2) + max(0, 1 - 2 - 0.5)) / 3 = 0
  EXPECT_DOUBLE_EQ(scalar(multi_margin_loss(x, longs({2}))), 0.0);
  // target 0: (max(0, 1 - 0.2 - 0.5) + max(0, 1 - 0.2 + 2)) / 3
  EXPECT_NEAR(scalar(multi_margin_loss(x, longs({0}))), (0.3 + 2.8) / 3, 1e-12);
  // multilabel_margin: listed {2}, unlisted {0, 1}: (max(0, 1 - 1.8) + max(0, 1 - 2.5)) / 3 = 0;
  // listed {0}: (max(0, 1 - 0.7) + max(0, 1 + 1.8)) / 3
  EXPECT_DOUBLE_EQ(scalar(multilabel_margin_loss(x, longs({2, -1, 0}).view({1, 3}))), 0.0);
  EXPECT_NEAR(scalar(multilabel_margin_loss(x, longs({0, -1, 2}).view({1, 3}))), 3.1 / 3, 1e-12);
  const Tensor signs = doubles({1, -1, -1}, {3});
  EXPECT_EQ(values(hinge_embedding_loss(x.view({3}), signs, 1.0, Reduction::None)),
            (Values{0.2, 1.5, 0}));
  EXPECT_EQ(values(margin_ranking_loss(x.view({3}), doubles({0, 0, 0}, {3}), signs, 0.5,
                                       Reduction::None)),
            (Values{0.3, 0, 2.5}));
}

TEST(CtcLoss, CountsTheAlignmentsOfUniformFrames) {
  // 3 frames over {blank, 1}, target [1]: 6 of the 8 paths collapse to it.
  const Tensor log_probs = full({3, 1, 2}, std::log(0.5), kFloat64);
  EXPECT_NEAR(scalar(ctc_loss(log_probs, longs({1}).view({1, 1}), {3}, {1}, 0, Reduction::Sum)),
              -std::log(6.0 / 8.0), 1e-12);
  EXPECT_NEAR(scalar(F::ctc_loss(log_probs, longs({1}), longs({3}), longs({1}),
                                 F::CTCLossFuncOptions().reduction(kSum))),
              -std::log(6.0 / 8.0), 1e-12);
  EXPECT_TRUE(std::isinf(scalar(ctc_loss(log_probs, longs({1, 1}).view({1, 2}), {2}, {2}))));
  EXPECT_EQ(
      scalar(ctc_loss(log_probs, longs({1, 1}).view({1, 2}), {2}, {2}, 0, Reduction::Mean, true)),
      0.0);
  const std::string bad = error_of<IndexError>([&] {
    ctc_loss(log_probs, longs({2}).view({1, 1}), {3}, {1});
  });
  EXPECT_TRUE(contains(bad, "[ctc_loss] Target 2 is out of bounds")) << bad;
}

TEST(LossErrors, BadClassIndexNamesItAndBothShapes) {
  const Tensor logp = zeros({2, 3}, kFloat64);
  const std::string high = error_of<IndexError>([&] { nll_loss(logp, longs({1, 3})); });
  EXPECT_TRUE(contains(high, "[nll_loss] Target 3 is out of bounds")) << high;
  EXPECT_TRUE(contains(high, "[2]") && contains(high, "[2, 3]")) << high;
  const std::string negative = error_of<IndexError>([&] {
    cross_entropy_loss(logp, longs({-1, 0}));
  });
  EXPECT_TRUE(contains(negative, "Target -1 is out of bounds")) << negative;
  EXPECT_TRUE(contains(error_of<IndexError>([&] {
                         multi_margin_loss(logp, longs({0, 7}));
                       }),
                       "Target 7"));
  EXPECT_TRUE(contains(error_of<IndexError>([&] {
                         multilabel_margin_loss(logp, longs({0, 5, -1, 0, 1, 2}).view({2, 3}));
                       }),
                       "Target 5"));
}

TEST(LossErrors, FusedKernelsNeverReadABadIndex) {
  // (N, C, d) = (2, 3, 2): every index is checked before a kernel reads input[t].
  const Tensor logits = zeros({2, 3, 2}, kFloat32);
  const Tensor target = longs({0, 1, 2, 5}).view({2, 2});
  for (const auto& loss : {+[](const Tensor&x, const Tensor&t) { return nll_loss(x, t); },
                           +[](const Tensor&x, const Tensor&t) {
                             return cross_entropy_loss(x, t, std::nullopt, Reduction::Sum, -100,
                                                       0.1);
                           }}) {
    const std::string message = error_of<IndexError>([&] { loss(logits, target); });
    EXPECT_TRUE(contains(message, "Target 5 is out of bounds: expected class indices in [0, 3)"))
        << message;
    EXPECT_TRUE(contains(message, "[2, 2]") && contains(message, "[2, 3, 2]")) << message;
  }
  // ignore_index may be any value, inside [0, C) too.
  EXPECT_DOUBLE_EQ(scalar(nll_loss(logits.to(kFloat64) - 1, longs({0, 1, 1, 1}).view({2, 2}),
                                   std::nullopt, Reduction::Mean, 1)),
                   1.0);
}

TEST(LossErrors, ShapesDtypesAndReduction) {
  const Tensor logp = zeros({2, 3}, kFloat64);
  const std::string shape = error_of<RuntimeError>([&] { nll_loss(logp, longs({0, 1, 2})); });
  EXPECT_TRUE(contains(shape, "expected target of shape [2]") && contains(shape, "[3]")) << shape;
  const std::string dtype = error_of<RuntimeError>([&] {
    nll_loss(logp, tensor(std::vector<double>{0, 1}, kInt32));
  });
  EXPECT_TRUE(contains(dtype, "int64") && contains(dtype, "int32")) << dtype;
  EXPECT_TRUE(contains(error_of<RuntimeError>([&] {
                         nll_loss(logp, longs({0, 1}), zeros({2}, kFloat64));
                       }),
                       "weight of shape [3]"));
  EXPECT_TRUE(
      contains(error_of<ValueError>([&] { binary_cross_entropy(logp, zeros({3}, kFloat64)); }),
               "[binary_cross_entropy] expected target of input's shape [2, 3]"));
  EXPECT_TRUE(contains(error_of<RuntimeError>([&] {
                         binary_cross_entropy(full({2}, 1.5, kFloat64), zeros({2}, kFloat64));
                       }),
                       "between 0 and 1"));
  EXPECT_TRUE(contains(error_of<ValueError>([&] { mse_loss(logp, logp, 7); }), "reduction"));
  EXPECT_TRUE(
      contains(error_of<ValueError>([&] { reduction_from_string("l1_loss", "avg"); }), "'avg'"));
  EXPECT_TRUE(
      contains(error_of<ValueError>([&] { gaussian_nll_loss(logp, logp, zeros({3}, kFloat64)); }),
               "var of shape [3]"));
  EXPECT_TRUE(contains(error_of<ValueError>([&] {
                         gaussian_nll_loss(logp, logp, full({2, 3}, -1.0, kFloat64));
                       }),
                       "var >= 0"));
  EXPECT_TRUE(
      contains(error_of<RuntimeError>([&] { huber_loss(logp, logp, 1, 0.0); }), "delta > 0"));
}

}  // namespace
}  // namespace ember
