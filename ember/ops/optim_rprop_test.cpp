// Rprop's fused step against its composite over many steps and every option combination.
#include "ember/ops/optim_rprop.h"

#include <gtest/gtest.h>

#include "ember/base/error.h"
#include "ember/base/error_testing.h"
#include "ember/ops/optim_algo_test_support.h"

namespace ember {
namespace {

using optim_testing::StateInit;

Tensor tensor_of_pair(double first, double second) {
  Tensor pair = empty({2}, kDouble);
  pair[0].fill_(first);
  pair[1].fill_(second);
  return pair;
}

TEST(FusedRprop, MatchesCompositeForEveryOption) {
  const StateInit zero{[](const Tensor& p) { return zeros_like(p); }};
  const StateInit lr{[](const Tensor& p) { return full_like(p, 1e-2); }};
  for (bool maximize : {false, true}) {
    for (auto [etaminus, etaplus] : {std::pair{0.5, 1.2}, std::pair{0.3, 2.0}}) {
      for (auto [low, high] : {std::pair{1e-6, 50.0}, std::pair{5e-3, 2e-2}}) {
        optim_testing::for_each_dtype([&](ScalarType dtype, const std::string& name) {
          optim_testing::expect_fused_matches_composite(
              dtype, {zero, lr},
              [&](const auto& params, const auto& grads, const auto& states, const auto& steps) {
                _fused_rprop_(params, grads, states[0], states[1], steps, low, high, etaminus,
                              etaplus, maximize);
              },
              [&](const auto& param, const auto& grad, const auto& states, const auto& step) {
                detail::rprop_step(param, grad, states[0], states[1], step, low, high, etaminus,
                                   etaplus, maximize);
              },
              name + " maximize " + std::to_string(maximize) + " etas " + std::to_string(etaminus) +
                  " " + std::to_string(etaplus) + " step_sizes " + std::to_string(low) + " " +
                  std::to_string(high),
              maximize && etaplus > 1.5 && high < 1);
        });
      }
    }
  }
}

TEST(FusedRprop, SkipsTheMoveWhereTheSignFlips) {
  const Tensor param = zeros({2}, kDouble), grad = tensor_of_pair(-1.0, 1.0);
  const Tensor prev = tensor_of_pair(1.0, 1.0), step_size = full({2}, 0.1, kDouble);
  const Tensor step = zeros({});
  _fused_rprop_({param}, {grad}, {prev}, {step_size}, {step}, 1e-6, 50, 0.5, 1.2, false);
  EXPECT_EQ(param[0].item<double>(), 0.0);  // sign flipped: no move, the size halves
  EXPECT_NEAR(step_size[0].item<double>(), 0.05, 1e-15);
  EXPECT_EQ(prev[0].item<double>(), 0.0);
  EXPECT_NEAR(param[1].item<double>(), -0.12, 1e-15);  // sign held: the size grows by 1.2
  EXPECT_NEAR(step_size[1].item<double>(), 0.12, 1e-15);
}

}  // namespace
}  // namespace ember
