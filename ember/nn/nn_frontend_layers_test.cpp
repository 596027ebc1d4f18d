// The activation, dropout, normalization and distance layers of the C++ frontend: forwards equal
// to their nn::functional calls, training/eval behaviour, parameters and buffers in PyTorch's
// order and initial values (a table shared with Python), libtorch's printing, and the errors.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "ember/nn/functional/activation.h"
#include "ember/nn/nn.h"
#include "ember/ops/nn_norm.h"
#include "ember/ops/ops.h"
#include "tests/test_support.h"

namespace ember::nn {
namespace {

using testing::message_of;
using testing::values;

std::string printed(const Module& module) {
  std::ostringstream stream;
  stream << module;
  return stream.str();
}

TEST(ActivationLayers, ForwardToTheirFunctions) {
  manual_seed(0);
  const Tensor x = randn({3, 4});
  EXPECT_TRUE(equal(ReLU()(x), x.clamp_min(0)));
  EXPECT_TRUE(
      equal(LeakyReLU(LeakyReLUOptions().negative_slope(0.2))(x), ember::leaky_relu(x, 0.2)));
  EXPECT_TRUE(equal(GELU(GELUOptions().approximate("tanh"))(x), ember::gelu(x, "tanh")));
  EXPECT_TRUE(equal(Sigmoid()(x), x.sigmoid()));
  EXPECT_TRUE(equal(Tanh()(x), x.tanh()));
  EXPECT_TRUE(equal(SiLU()(x), ember::silu(x)));
  EXPECT_TRUE(equal(Mish()(x), ember::mish(x)));
  EXPECT_TRUE(equal(Hardtanh(HardtanhOptions().min_val(-0.5).max_val(0.5))(x), x.clamp(-0.5, 0.5)));
  EXPECT_TRUE(equal(Softplus(SoftplusOptions().beta(2))(x), ember::softplus(x, 2)));
  EXPECT_TRUE(equal(Threshold(0.1, 20)(x), ember::threshold(x, 0.1, 20)));
  EXPECT_TRUE(equal(Softmax(1)(x), ember::softmax(x, 1)));
  EXPECT_TRUE(equal(LogSoftmax(0)(x), ember::log_softmax(x, 0)));
  EXPECT_TRUE(equal(Softmin(1)(x), ember::softmin(x, 1)));
  EXPECT_EQ(GLU()(x).sizes(), (std::vector<int64_t>{3, 2}));
  EXPECT_TRUE(equal(LogSigmoid()(x), ember::log_sigmoid(x)));
  for (Tensor y : {ReLU6()(x), ELU()(x), SELU()(x), CELU()(x), Hardsigmoid()(x), Hardswish()(x),
                   Softsign()(x), Softshrink()(x), Hardshrink()(x), Tanhshrink()(x)}) {
    EXPECT_EQ(y.sizes(), x.sizes());
  }
  Tensor inplace = x.clone();
  ReLU(true)(inplace);
  EXPECT_TRUE(equal(inplace, x.clamp_min(0)));
}

TEST(ActivationLayers, PrintAsLibtorch) {
  EXPECT_EQ(printed(*ReLU()), "ember::nn::ReLU()");
  EXPECT_EQ(printed(*ReLU(true)), "ember::nn::ReLU(inplace=true)");
  EXPECT_EQ(printed(*LeakyReLU()), "ember::nn::LeakyReLU(negative_slope=0.01)");
  EXPECT_EQ(printed(*ELU(ELUOptions().alpha(0.5).inplace(true))),
            "ember::nn::ELU(alpha=0.5, inplace=true)");
  EXPECT_EQ(printed(*Hardtanh()), "ember::nn::Hardtanh(min_val=-1, max_val=1)");
  EXPECT_EQ(printed(*Softplus()), "ember::nn::Softplus(beta=1, threshold=20)");
  EXPECT_EQ(printed(*Softshrink()), "ember::nn::Softshrink(0.5)");
  EXPECT_EQ(printed(*Threshold(0.1, 20)), "ember::nn::Threshold(threshold=0.1, value=20)");
  EXPECT_EQ(printed(*Softmax(1)), "ember::nn::Softmax(dim=1)");
  EXPECT_EQ(printed(*GLU()), "ember::nn::GLU(dim=-1)");
  EXPECT_EQ(printed(*Sigmoid()), "ember::nn::Sigmoid()");
  EXPECT_EQ(printed(*PReLU()), "ember::nn::PReLU(num_parameters=1)");
}

TEST(PReLU, OneParameterPerChannel) {
  PReLU prelu(PReLUOptions().num_parameters(3).init(0.5));
  EXPECT_EQ(prelu->named_parameters().keys(), std::vector<std::string>{"weight"});
  EXPECT_EQ(values(prelu->weight), (std::vector<double>{0.5, 0.5, 0.5}));
  EXPECT_TRUE(prelu->weight.requires_grad());
  const Tensor x = testing::tensor_of({-2, 1, -4, 3, -6, 5}, {2, 3});
  EXPECT_EQ(values(prelu(x)), (std::vector<double>{-1, 1, -2, 3, -3, 5}));
  prelu(x).sum().backward();
  EXPECT_EQ(values(prelu->weight.grad()), (std::vector<double>{-2, -6, -4}));
  EXPECT_FALSE(message_of([&] { prelu(randn({2, 4})); }).empty());
}

TEST(DropoutLayers, ActiveOnlyInTraining) {
  manual_seed(1);
  const Tensor x = ones({100, 8});
  Dropout dropout(0.5);
  const Tensor dropped = dropout(x);
  const std::vector<double> kept = values(dropped);
  for (double value : kept) EXPECT_TRUE(value == 0.0 || value == 2.0);
  dropout->eval();
  EXPECT_TRUE(equal(dropout(x), x));
  Dropout2d channels(Dropout2dOptions(0.5));
  const Tensor per_channel = channels(ones({4, 6, 3, 3}));
  EXPECT_TRUE(equal(per_channel.amax({2, 3}), per_channel.amin({2, 3})));
  for (Tensor y : {Dropout1d()(ones({2, 3, 4})), Dropout3d()(ones({2, 3, 2, 2, 2})),
                   AlphaDropout()(ones({4, 4})), FeatureAlphaDropout()(ones({2, 3, 4}))}) {
    EXPECT_GT(y.numel(), 0);
  }
  EXPECT_EQ(printed(*dropout), "ember::nn::Dropout(p=0.5, inplace=false)");
  EXPECT_EQ(printed(*AlphaDropout(AlphaDropoutOptions(0.2))),
            "ember::nn::AlphaDropout(p=0.2, inplace=false)");
}

TEST(BatchNorm, RunningStatisticsAndEvalMode) {
  BatchNorm1d batch_norm(3);
  EXPECT_EQ(batch_norm->named_parameters().keys(), (std::vector<std::string>{"weight", "bias"}));
  EXPECT_EQ(batch_norm->named_buffers().keys(),
            (std::vector<std::string>{"running_mean", "running_var", "num_batches_tracked"}));
  manual_seed(3);
  const Tensor x = randn({8, 3}, kFloat64).to(kFloat32) * 2 + 1;
  const Tensor y = batch_norm(x);
  EXPECT_TRUE(allclose(y, ember::batch_norm(x, std::nullopt, std::nullopt, std::nullopt,
                                            std::nullopt, true, 0.1, 1e-5)));
  EXPECT_EQ(batch_norm->num_batches_tracked.item<int64_t>(), 1);
  EXPECT_TRUE(allclose(batch_norm->running_mean, x.mean({0}) * 0.1));
  batch_norm->eval();
  const Tensor evaluated = batch_norm(x);
  EXPECT_TRUE(allclose(evaluated,
                       (x - batch_norm->running_mean) / (batch_norm->running_var + 1e-5).sqrt()));
  EXPECT_EQ(batch_norm->num_batches_tracked.item<int64_t>(), 1);
  EXPECT_EQ(printed(*batch_norm),
            "ember::nn::BatchNorm1d(3, eps=1e-05, momentum=0.1, affine=true, "
            "track_running_stats=true)");
  EXPECT_NE(message_of([&] {
              batch_norm(randn({2, 3, 4, 5}));
            }).find("[BatchNorm1d] expected 2D or 3D input (got 4D input"),
            std::string::npos);
  EXPECT_THROW(BatchNorm2d(3)(randn({2, 3, 4})), ValueError);
}

TEST(BatchNorm, CumulativeAverageAndNoRunningStats) {
  BatchNorm2d cumulative(BatchNormOptions(2).momentum(std::nullopt));
  const Tensor first = randn({4, 2, 3, 3});
  const Tensor second = randn({4, 2, 3, 3});
  cumulative(first);
  cumulative(second);
  const Tensor both_means = (first.mean({0, 2, 3}) + second.mean({0, 2, 3})) / 2;
  EXPECT_TRUE(allclose(cumulative->running_mean, both_means, 1e-4, 1e-6));
  EXPECT_NE(printed(*cumulative).find("momentum=None"), std::string::npos);
  BatchNorm3d plain(BatchNormOptions(2).affine(false).track_running_stats(false));
  EXPECT_TRUE(plain->named_parameters().is_empty());
  EXPECT_TRUE(plain->named_buffers().is_empty());
  plain->eval();
  EXPECT_EQ(plain(randn({2, 2, 2, 2, 2})).sizes(), (std::vector<int64_t>{2, 2, 2, 2, 2}));
}

TEST(InstanceNorm, PerSampleStatisticsAndUnbatchedInputs) {
  InstanceNorm1d instance_norm(3);
  EXPECT_TRUE(instance_norm->named_parameters().is_empty());
  const Tensor x = randn({2, 3, 5});
  EXPECT_TRUE(
      equal(instance_norm(x), ember::instance_norm(x, std::nullopt, std::nullopt, std::nullopt,
                                                   std::nullopt, true, 0.1, 1e-5)));
  EXPECT_TRUE(allclose(instance_norm(x[0]), instance_norm(x)[0]));
  InstanceNorm2d tracked(InstanceNormOptions(3).affine(true).track_running_stats(true));
  EXPECT_EQ(tracked->named_parameters().keys(), (std::vector<std::string>{"weight", "bias"}));
  tracked(randn({2, 3, 4, 4}));
  EXPECT_FALSE(equal(tracked->running_mean, zeros({3})));
  EXPECT_EQ(printed(*InstanceNorm3d(4)),
            "ember::nn::InstanceNorm3d(4, eps=1e-05, momentum=0.1, affine=false, "
            "track_running_stats=false)");
  EXPECT_THROW(InstanceNorm2d(3)(randn({3, 4})), ValueError);
}

TEST(LayerNormAndGroupNorm, ParametersForwardAndPrinting) {
  LayerNorm layer_norm(std::vector<int64_t>{2, 3});
  EXPECT_EQ(layer_norm->weight.sizes(), (std::vector<int64_t>{2, 3}));
  const Tensor x = randn({4, 2, 3});
  EXPECT_TRUE(equal(layer_norm(x), ember::layer_norm(x, {2, 3})));
  EXPECT_EQ(printed(*layer_norm),
            "ember::nn::LayerNorm([2, 3], eps=1e-05, elementwise_affine=true)");
  EXPECT_TRUE(
      LayerNorm(LayerNormOptions({3}).elementwise_affine(false))->named_parameters().is_empty());
  GroupNorm group_norm(2, 4);
  const Tensor y = randn({3, 4, 5});
  EXPECT_TRUE(equal(group_norm(y), ember::group_norm(y, 2)));
  EXPECT_EQ(printed(*group_norm), "ember::nn::GroupNorm(2, 4, eps=1e-05, affine=true)");
  EXPECT_FALSE(message_of([&] { GroupNorm(3, 4)(y); }).empty());
}

TEST(DistanceLayers, ForwardAndPrinting) {
  const Tensor a = randn({3, 4});
  const Tensor b = randn({3, 4});
  EXPECT_TRUE(equal(CosineSimilarity()(a, b), ember::cosine_similarity(a, b)));
  EXPECT_TRUE(equal(PairwiseDistance(PairwiseDistanceOptions().p(1))(a, b),
                    ember::pairwise_distance(a, b, 1)));
  EXPECT_EQ(printed(*CosineSimilarity()), "ember::nn::CosineSimilarity(dim=1, eps=1e-08)");
  EXPECT_EQ(printed(*PairwiseDistance()),
            "ember::nn::PairwiseDistance(p=2, eps=1e-06, keepdim=false)");
}

TEST(NormalizationFunctions, ForwardWithLibtorchsFuncOptions) {
  namespace F = functional;
  const Tensor x = randn({4, 3, 2});
  const Tensor mean = zeros({3});
  const Tensor var = ones({3});
  EXPECT_TRUE(equal(F::batch_norm(x, mean, var, F::BatchNormFuncOptions().training(true)),
                    ember::batch_norm(x, std::nullopt, std::nullopt, mean.clone(), var.clone(),
                                      true, 0.1, 1e-5)));
  EXPECT_FALSE(equal(mean, zeros({3})));  // the running statistics were updated in place
  const Tensor weight = full({2}, 2.0);
  EXPECT_TRUE(equal(F::layer_norm(x, F::LayerNormFuncOptions({2}).weight(weight).eps(1e-3)),
                    ember::layer_norm(x, {2}, weight, std::nullopt, 1e-3)));
  EXPECT_EQ(F::group_norm(randn({2, 4, 3}), F::GroupNormFuncOptions(2)).sizes(),
            (std::vector<int64_t>{2, 4, 3}));
  EXPECT_TRUE(
      equal(F::instance_norm(x), ember::instance_norm(x, std::nullopt, std::nullopt, std::nullopt,
                                                      std::nullopt, true, 0.1, 1e-5)));
}

// The cross-language check: python/tests/test_nn_init.py builds the same layers in Python and
// expects the same keys and values (test_norm_layer_state_matches_the_cpp_frontend).
TEST(NormLayers, StateIsTheTableSharedWithPython) {
  auto net = std::make_shared<Module>();
  net->register_module("prelu", PReLU(PReLUOptions().num_parameters(3).init(0.1)));
  net->register_module("bn", BatchNorm1d(3));
  net->register_module("ln", LayerNorm(std::vector<int64_t>{2, 3}));
  net->register_module("gn", GroupNorm(2, 4));
  const std::vector<std::pair<std::string, std::vector<float>>> expected_parameters = {
      {"prelu.weight", {0x1.99999ap-4f, 0x1.99999ap-4f, 0x1.99999ap-4f}},
      {"bn.weight", {1, 1, 1}},
      {"bn.bias", {0, 0, 0}},
      {"ln.weight", {1, 1, 1, 1, 1, 1}},
      {"ln.bias", {0, 0, 0, 0, 0, 0}},
      {"gn.weight", {1, 1, 1, 1}},
      {"gn.bias", {0, 0, 0, 0}}};
  const auto parameters = net->named_parameters();
  ASSERT_EQ(parameters.size(), expected_parameters.size());
  for (size_t i = 0; i < expected_parameters.size(); ++i) {
    EXPECT_EQ(parameters.keys()[i], expected_parameters[i].first);
    const Tensor flat = parameters.values()[i].detach().contiguous();
    EXPECT_EQ(std::vector<float>(flat.data_ptr<float>(), flat.data_ptr<float>() + flat.numel()),
              expected_parameters[i].second)
        << expected_parameters[i].first;
  }
  EXPECT_EQ(
      net->named_buffers().keys(),
      (std::vector<std::string>{"bn.running_mean", "bn.running_var", "bn.num_batches_tracked"}));
  EXPECT_EQ(values(net->named_buffers()["bn.running_var"]), (std::vector<double>{1, 1, 1}));
  EXPECT_EQ(net->named_buffers()["bn.num_batches_tracked"].dtype(), kLong);
}

}  // namespace
}  // namespace ember::nn
