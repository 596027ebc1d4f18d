// The optimizer base and SGD of the C++ frontend: groups and their options, state, zero_grad,
// step with a closure, add_param_group's errors, and the state dict round trip.
#include "ember/optim/optimizer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ember/base/error.h"
#include "ember/ops/ops.h"
#include "ember/optim/sgd.h"
#include "tests/test_support.h"

namespace ember::optim {
namespace {

using ember::testing::message_of;

Tensor parameter(std::vector<double> data) {
  return ember::testing::tensor_of(data, {static_cast<int64_t>(data.size())}).requires_grad_();
}

// loss = sum(p * p) / 2, so that grad = p.
Tensor half_square_loss(const std::vector<Tensor>& params) {
  Tensor loss = zeros({});
  for (const Tensor& p : params) loss = loss + (p * p).sum() * 0.5;
  return loss;
}

TEST(Optimizer, GroupsTakeTheDefaultsUnlessTheyHaveOptions) {
  Tensor a = parameter({1, 2}), b = parameter({3});
  SGD sgd({OptimizerParamGroup({a}), OptimizerParamGroup({b}, std::make_unique<SGDOptions>(0.5))},
          SGDOptions(0.1).momentum(0.9));
  ASSERT_EQ(sgd.param_groups().size(), 2u);
  EXPECT_DOUBLE_EQ(sgd.param_groups()[0].options().get_lr(), 0.1);
  EXPECT_DOUBLE_EQ(static_cast<SGDOptions&>(sgd.param_groups()[0].options()).momentum(), 0.9);
  EXPECT_DOUBLE_EQ(sgd.param_groups()[1].options().get_lr(), 0.5);
  sgd.param_groups()[1].options().set_lr(0.25);
  EXPECT_DOUBLE_EQ(sgd.param_groups()[1].options().get_lr(), 0.25);
  EXPECT_EQ(sgd.size(), 2u);
  EXPECT_EQ(sgd.parameters().size(), 2u);
}

TEST(Optimizer, StepSkipsParametersWithoutGradientAndRunsTheClosure) {
  Tensor a = parameter({1, 2}), b = parameter({3});
  SGD sgd(std::vector<Tensor>{a, b}, SGDOptions(0.1));
  const Tensor loss = sgd.step([&] {
    sgd.zero_grad();
    Tensor value = half_square_loss({a});
    value.backward();
    return value;
  });
  EXPECT_DOUBLE_EQ(loss.item<double>(), 2.5);
  EXPECT_FLOAT_EQ(a[0].item<float>(), 0.9f);
  EXPECT_FLOAT_EQ(a[1].item<float>(), 1.8f);
  EXPECT_FLOAT_EQ(b[0].item<float>(), 3.0f);
  EXPECT_EQ(a.grad_fn(), nullptr);
}

TEST(Optimizer, ZeroGradSetsToNoneOrZeroes) {
  Tensor a = parameter({1, 2});
  SGD sgd(std::vector<Tensor>{a}, SGDOptions(0.1));
  half_square_loss({a}).backward();
  sgd.zero_grad(false);
  ASSERT_TRUE(a.grad().defined());
  EXPECT_EQ(a.grad().abs().sum().item<float>(), 0.0f);
  sgd.zero_grad();
  EXPECT_FALSE(a.grad().defined());
}

TEST(Optimizer, MomentumStateAndAddParamGroup) {
  Tensor a = parameter({1, 2});
  SGD sgd(std::vector<Tensor>{a}, SGDOptions(0.1).momentum(0.9));
  for (int step = 0; step < 2; ++step) {
    sgd.zero_grad();
    half_square_loss({a}).backward();
    sgd.step();
  }
  ASSERT_EQ(sgd.state().size(), 1u);
  const auto& state = static_cast<const SGDParamState&>(*sgd.state().at(state_key(a)));
  // b1 = g1 = 1; p1 = 0.9; b2 = 0.9 * 1 + 0.9 = 1.8; p2 = 0.9 - 0.18 = 0.72.
  EXPECT_NEAR(state.momentum_buffer()[0].item<float>(), 1.8f, 1e-6);
  EXPECT_NEAR(a[0].item<float>(), 0.72f, 1e-6);

  // A parameter added mid-training starts without state and trains at the next step.
  Tensor grown = parameter({4});
  sgd.add_param_group(
      OptimizerParamGroup({grown}, std::make_unique<SGDOptions>(SGDOptions(0.5).momentum(0.5))));
  sgd.zero_grad();
  half_square_loss({a, grown}).backward();
  sgd.step();
  EXPECT_FLOAT_EQ(grown[0].item<float>(), 2.0f);
  EXPECT_EQ(sgd.state().size(), 2u);
}

TEST(Optimizer, AddParamGroupErrors) {
  Tensor a = parameter({1, 2});
  SGD sgd(std::vector<Tensor>{a}, SGDOptions(0.1));
  EXPECT_NE(message_of([&] {
              sgd.add_param_group(OptimizerParamGroup({a}));
            }).find("some parameters appear in more than one parameter group"),
            std::string::npos);
  EXPECT_THROW(sgd.add_param_group(OptimizerParamGroup({a})), ValueError);
  const Tensor not_leaf = a * 2;
  EXPECT_NE(message_of([&] {
              sgd.add_param_group(OptimizerParamGroup({not_leaf}));
            }).find("can't optimize a non-leaf Tensor"),
            std::string::npos);
  Tensor b = parameter({1});
  EXPECT_THROW(sgd.add_param_group(OptimizerParamGroup({b, b})), ValueError);
  EXPECT_THROW(SGD(std::vector<Tensor>{b}, SGDOptions(-1.0)), ValueError);
  EXPECT_THROW(SGD(std::vector<Tensor>{b}, SGDOptions(0.1).nesterov(true)), ValueError);
}

TEST(Optimizer, StateDictHasPyTorchsLayoutAndRoundTrips) {
  Tensor a = parameter({1, 2}), b = parameter({3});
  SGD sgd({OptimizerParamGroup({a}), OptimizerParamGroup({b}, std::make_unique<SGDOptions>(0.5))},
          SGDOptions(0.1).momentum(0.9));
  half_square_loss({a}).backward();
  sgd.step();
  const OptimizerStateDict saved = sgd.state_dict();
  ASSERT_EQ(saved.state.size(), 1u);  // b had no gradient: no state
  ASSERT_EQ(saved.state.count(0), 1u);
  EXPECT_EQ(saved.state.at(0).count("momentum_buffer"), 1u);
  ASSERT_EQ(saved.param_groups.size(), 2u);
  EXPECT_EQ(std::get<std::vector<int64_t>>(saved.param_groups[1].at("params")),
            std::vector<int64_t>{1});
  EXPECT_DOUBLE_EQ(std::get<double>(saved.param_groups[1].at("lr")), 0.5);
  // As libtorch's: a group's own options replace the defaults whole.
  EXPECT_DOUBLE_EQ(std::get<double>(saved.param_groups[1].at("momentum")), 0.0);
  EXPECT_DOUBLE_EQ(std::get<double>(saved.param_groups[0].at("momentum")), 0.9);
  for (const char* key : {"lr", "momentum", "dampening", "weight_decay", "nesterov", "maximize",
                          "foreach", "fused", "differentiable", "params"}) {
    EXPECT_EQ(saved.param_groups[0].count(key), 1u) << key;
  }

  Tensor a2 = parameter({1, 2}), b2 = parameter({3});
  SGD restored({OptimizerParamGroup({a2}), OptimizerParamGroup({b2})}, SGDOptions(0.3));
  restored.load_state_dict(saved);
  EXPECT_DOUBLE_EQ(restored.param_groups()[1].options().get_lr(), 0.5);
  EXPECT_DOUBLE_EQ(static_cast<SGDOptions&>(restored.param_groups()[0].options()).momentum(), 0.9);
  const auto& state = static_cast<const SGDParamState&>(*restored.state().at(state_key(a2)));
  EXPECT_TRUE(state.momentum_buffer().equal(
      static_cast<const SGDParamState&>(*sgd.state().at(state_key(a))).momentum_buffer()));

  SGD one_group(std::vector<Tensor>{a2}, SGDOptions(0.3));
  EXPECT_THROW(one_group.load_state_dict(saved), ValueError);
}

}  // namespace
}  // namespace ember::optim
