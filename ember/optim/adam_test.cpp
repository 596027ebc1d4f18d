// Adam and AdamW of the C++ frontend: libtorch's options chain, the first steps against the
// documented rule, grad-less parameters skipped, state and its state dict layout, round trip.
#include "ember/optim/adam.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "ember/base/error.h"
#include "ember/ops/ops.h"
#include "ember/optim/adamw.h"
#include "tests/test_support.h"

namespace ember::optim {
namespace {

Tensor parameter(std::vector<double> data) {
  return ember::testing::tensor_of(data, {static_cast<int64_t>(data.size())}, kFloat64)
      .requires_grad_();
}

// Sets each gradient to the parameter's value (the gradient of sum(p^2) / 2).
void set_grads_to_values(const std::vector<Tensor>& params) {
  for (const Tensor& p : params) p.mutable_grad() = p.detach().clone();
}

// Two steps of the documented rule for one scalar with g = p each step.
double reference(double p, double lr, double beta1, double beta2, double eps, double weight_decay,
                 bool decoupled) {
  double m = 0, v = 0;
  for (int t = 1; t <= 2; ++t) {
    double g = p;
    if (decoupled) {
      p *= 1 - lr * weight_decay;
    } else {
      g += weight_decay * p;
    }
    m = beta1 * m + (1 - beta1) * g;
    v = beta2 * v + (1 - beta2) * g * g;
    const double m_hat = m / (1 - std::pow(beta1, t));
    const double v_hat = v / (1 - std::pow(beta2, t));
    p -= lr * m_hat / (std::sqrt(v_hat) + eps);
  }
  return p;
}

TEST(Adam, OptionsChainAndTwoStepsOfTheRule) {
  Tensor a = parameter({0.5, -2.0}), idle = parameter({1.0});
  Adam adam(std::vector<Tensor>{a, idle},
            AdamOptions(1e-1).betas({0.8, 0.95}).weight_decay(1e-2).eps(1e-6));
  for (int step = 0; step < 2; ++step) {
    set_grads_to_values({a});
    adam.step();
  }
  EXPECT_NEAR(a[0].item<double>(), reference(0.5, 0.1, 0.8, 0.95, 1e-6, 1e-2, false), 1e-12);
  EXPECT_NEAR(a[1].item<double>(), reference(-2.0, 0.1, 0.8, 0.95, 1e-6, 1e-2, false), 1e-12);
  EXPECT_DOUBLE_EQ(idle.item<double>(), 1.0);
  EXPECT_EQ(adam.state().count(state_key(idle)), 0u);
  const auto& state = static_cast<const AdamParamState&>(*adam.state().at(state_key(a)));
  EXPECT_EQ(state.step().item<float>(), 2.0f);
  EXPECT_EQ(state.step().dtype(), kFloat32);
  EXPECT_FALSE(state.max_exp_avg_sq().defined());
}

TEST(AdamW, DecouplesWeightDecay) {
  Tensor a = parameter({0.5, -2.0});
  AdamW adamw(std::vector<Tensor>{a}, AdamWOptions(1e-1).betas({0.9, 0.999}).weight_decay(0.5));
  EXPECT_DOUBLE_EQ(AdamWOptions().weight_decay(), 1e-2);
  for (int step = 0; step < 2; ++step) {
    set_grads_to_values({a});
    adamw.step();
  }
  EXPECT_NEAR(a[0].item<double>(), reference(0.5, 0.1, 0.9, 0.999, 1e-8, 0.5, true), 1e-12);
  EXPECT_NEAR(a[1].item<double>(), reference(-2.0, 0.1, 0.9, 0.999, 1e-8, 0.5, true), 1e-12);
}

TEST(Adam, StateDictLayoutAndRoundTrip) {
  Tensor a = parameter({0.5, -2.0}), b = parameter({3.0});
  Adam adam(std::vector<Tensor>{a, b}, AdamOptions(0.1).amsgrad(true));
  set_grads_to_values({a, b});
  adam.step();
  const OptimizerStateDict saved = adam.state_dict();
  ASSERT_EQ(saved.state.size(), 2u);
  std::vector<std::string> names;
  for (const auto& [name, tensor] : saved.state.at(1)) names.push_back(name);
  EXPECT_EQ(names, (std::vector<std::string>{"exp_avg", "exp_avg_sq", "max_exp_avg_sq", "step"}));
  EXPECT_EQ(std::get<std::vector<double>>(saved.param_groups[0].at("betas")),
            (std::vector<double>{0.9, 0.999}));
  EXPECT_TRUE(std::get<bool>(saved.param_groups[0].at("amsgrad")));

  Tensor a2 = a.detach().clone().requires_grad_(), b2 = b.detach().clone().requires_grad_();
  Adam restored(std::vector<Tensor>{a2, b2}, AdamOptions(0.3));
  restored.load_state_dict(saved);
  set_grads_to_values({a, b});
  adam.step();
  set_grads_to_values({a2, b2});
  restored.step();
  EXPECT_TRUE(a.equal(a2));
  EXPECT_TRUE(b.equal(b2));
}

TEST(Adam, Errors) {
  Tensor a = parameter({1.0});
  EXPECT_THROW(Adam(std::vector<Tensor>{a}, AdamOptions(-1.0)), ValueError);
  EXPECT_THROW(Adam(std::vector<Tensor>{a}, AdamOptions(0.1).betas({1.0, 0.9})), ValueError);
  EXPECT_THROW(AdamW(std::vector<Tensor>{a}, AdamWOptions(0.1).eps(-1.0)), ValueError);
  OptimizerStateDict wrong{{{0, {{"exp_avg", zeros({1})}}}},
                           {{{"params", std::vector<int64_t>{0}}}}};
  Adam adam(std::vector<Tensor>{a});
  EXPECT_THROW(adam.load_state_dict(wrong), ValueError);
}

}  // namespace
}  // namespace ember::optim
