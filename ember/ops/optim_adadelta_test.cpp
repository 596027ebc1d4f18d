// Adadelta's fused step against its composite over many steps and every option combination.
#include "ember/ops/optim_adadelta.h"

#include <gtest/gtest.h>

#include "ember/base/error.h"
#include "ember/base/error_testing.h"
#include "ember/ops/optim_algo_test_support.h"

namespace ember {
namespace {

using optim_testing::StateInit;

TEST(FusedAdadelta, MatchesCompositeForEveryOption) {
  const StateInit zero{[](const Tensor& p) { return zeros_like(p); }};
  for (double weight_decay : {0.0, 0.1}) {
    for (bool maximize : {false, true}) {
      for (double rho : {0.9, 0.5}) {
        optim_testing::for_each_dtype([&](ScalarType dtype, const std::string& name) {
          optim_testing::expect_fused_matches_composite(
              dtype, {zero, zero},
              [&](const auto& params, const auto& grads, const auto& states, const auto& steps) {
                _fused_adadelta_(params, grads, states[0], states[1], steps, 1.0, rho, 1e-6,
                                 weight_decay, maximize);
              },
              [&](const auto& param, const auto& grad, const auto& states, const auto& step) {
                detail::adadelta_step(param, grad, states[0], states[1], step, 1.0, rho, 1e-6,
                                      weight_decay, maximize);
              },
              name + " weight_decay " + std::to_string(weight_decay) + " maximize " +
                  std::to_string(maximize) + " rho " + std::to_string(rho),
              weight_decay != 0 && maximize && rho < 0.6);
        });
      }
    }
  }
}

}  // namespace
}  // namespace ember
