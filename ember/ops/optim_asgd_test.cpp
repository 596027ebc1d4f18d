// ASGD's fused step against its composite over many steps and every option combination.
#include "ember/ops/optim_asgd.h"

#include <gtest/gtest.h>

#include <cmath>

#include "ember/base/error.h"
#include "ember/base/error_testing.h"
#include "ember/ops/optim_algo_test_support.h"

namespace ember {
namespace {

using optim_testing::StateInit;

TEST(FusedASGD, MatchesCompositeForEveryOption) {
  const StateInit zero{[](const Tensor& p) { return zeros_like(p); }};
  const StateInit one{[](const Tensor&) { return ones({}, kFloat); }, true};
  const StateInit lr{[](const Tensor&) { return full({}, 1e-2, kFloat); }, true};
  for (double weight_decay : {0.0, 0.1}) {
    for (bool maximize : {false, true}) {
      for (double t0 : {1e6, 5.0}) {
        for (double lambd : {1e-4, 0.5}) {
          optim_testing::for_each_dtype([&](ScalarType dtype, const std::string& name) {
            optim_testing::expect_fused_matches_composite(
                dtype, {zero, one, lr},
                [&](const auto& params, const auto& grads, const auto& states, const auto& steps) {
                  _fused_asgd_(params, grads, states[0], states[1], states[2], steps, lambd, 1e-2,
                               t0, 0.75, weight_decay, maximize);
                },
                [&](const auto& param, const auto& grad, const auto& states, const auto& step) {
                  detail::asgd_step(param, grad, states[0], states[1], states[2], step, lambd, 1e-2,
                                    t0, 0.75, weight_decay, maximize);
                },
                name + " weight_decay " + std::to_string(weight_decay) + " maximize " +
                    std::to_string(maximize) + " t0 " + std::to_string(t0) + " lambd " +
                    std::to_string(lambd),
                weight_decay != 0 && maximize && t0 < 10 && lambd > 0.1);
          });
        }
      }
    }
  }
}

TEST(FusedASGD, StoresTheNextEtaAndMu) {
  const Tensor param = zeros({1}, kDouble), grad = ones({1}, kDouble), ax = zeros({1}, kDouble);
  const Tensor mu = ones({}), eta = full({}, 0.1), step = full({}, 9.0);
  _fused_asgd_({param}, {grad}, {ax}, {mu}, {eta}, {step}, 0.5, 0.1, 4.0, 0.75, 0, false);
  EXPECT_NEAR(param[0].item<double>(), -0.1, 1e-8);
  EXPECT_NEAR(ax[0].item<double>(), -0.1, 1e-8);  // mu was 1: ax takes the parameter
  EXPECT_NEAR(eta.item<double>(), 0.1 / std::pow(1 + 0.5 * 0.1 * 10, 0.75), 1e-7);
  EXPECT_NEAR(mu.item<double>(), 1.0 / 6.0, 1e-7);
}

}  // namespace
}  // namespace ember
