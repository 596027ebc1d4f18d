// Adagrad's fused step against its composite over many steps and every option combination.
#include "ember/ops/optim_adagrad.h"

#include <gtest/gtest.h>

#include "ember/base/error.h"
#include "ember/base/error_testing.h"
#include "ember/ops/optim_algo_test_support.h"

namespace ember {
namespace {

using optim_testing::StateInit;

TEST(FusedAdagrad, MatchesCompositeForEveryOption) {
  for (double initial_accumulator_value : {0.0, 0.5}) {
    const StateInit sum{[=](const Tensor& p) { return full_like(p, initial_accumulator_value); }};
    for (double lr_decay : {0.0, 0.1}) {
      for (double weight_decay : {0.0, 0.1}) {
        for (bool maximize : {false, true}) {
          optim_testing::for_each_dtype([&](ScalarType dtype, const std::string& name) {
            optim_testing::expect_fused_matches_composite(
                dtype, {sum},
                [&](const auto& params, const auto& grads, const auto& states, const auto& steps) {
                  _fused_adagrad_(params, grads, states[0], steps, 1e-2, lr_decay, weight_decay,
                                  1e-10, maximize);
                },
                [&](const auto& param, const auto& grad, const auto& states, const auto& step) {
                  detail::adagrad_step(param, grad, states[0], step, 1e-2, lr_decay, weight_decay,
                                       1e-10, maximize);
                },
                name + " initial_accumulator_value " + std::to_string(initial_accumulator_value) +
                    " lr_decay " + std::to_string(lr_decay) + " weight_decay " +
                    std::to_string(weight_decay) + " maximize " + std::to_string(maximize),
                lr_decay != 0 && weight_decay != 0 && maximize && initial_accumulator_value != 0);
          });
        }
      }
    }
  }
}

TEST(FusedAdagrad, DecaysTheLearningRateWithTheStep) {
  // Step 2 with lr_decay 1: step size lr / 2; sum = 2 g^2 so the move is lr / 2 / sqrt(2).
  const Tensor param = zeros({1}, kDouble), grad = ones({1}, kDouble);
  const Tensor sum = zeros({1}, kDouble), step = ones({});
  _fused_adagrad_({param}, {grad}, {sum}, {step}, 1.0, 1.0, 0, 0, false);
  EXPECT_NEAR(param[0].item<double>(), -0.5, 1e-15);
  EXPECT_EQ(step.item<double>(), 2);
}

}  // namespace
}  // namespace ember
