// RAdam's fused step against its composite over many steps and every option combination.
#include "ember/ops/optim_radam.h"

#include <gtest/gtest.h>

#include "ember/base/error.h"
#include "ember/base/error_testing.h"
#include "ember/ops/optim_algo_test_support.h"

namespace ember {
namespace {

using optim_testing::StateInit;

TEST(FusedRAdam, MatchesCompositeForEveryOption) {
  const StateInit zero{[](const Tensor& p) { return zeros_like(p); }};
  for (double weight_decay : {0.0, 0.1}) {
    for (bool decoupled : {false, true}) {
      for (bool maximize : {false, true}) {
        optim_testing::for_each_dtype([&](ScalarType dtype, const std::string& name) {
          // beta2 0.9: rho_t passes 5 at step 6, so both branches of the rule run.
          optim_testing::expect_fused_matches_composite(
              dtype, {zero, zero},
              [&](const auto& params, const auto& grads, const auto& states, const auto& steps) {
                _fused_radam_(params, grads, states[0], states[1], steps, 1e-3, 0.9, 0.9,
                              weight_decay, 1e-8, decoupled, maximize);
              },
              [&](const auto& param, const auto& grad, const auto& states, const auto& step) {
                detail::radam_step(param, grad, states[0], states[1], step, 1e-3, 0.9, 0.9,
                                   weight_decay, 1e-8, decoupled, maximize);
              },
              name + " weight_decay " + std::to_string(weight_decay) + " decoupled " +
                  std::to_string(decoupled) + " maximize " + std::to_string(maximize),
              weight_decay != 0 && decoupled && maximize);
        });
      }
    }
  }
}

TEST(FusedRAdam, FirstStepIsPlainMomentum) {
  // Step 1: rho_1 = 1 <= 5, so param -= lr * m / (1 - beta1) = lr * g.
  const Tensor param = full({3}, 1.0, kDouble), grad = full({3}, 0.5, kDouble);
  const Tensor exp_avg = zeros({3}, kDouble), exp_avg_sq = zeros({3}, kDouble), step = zeros({});
  _fused_radam_({param}, {grad}, {exp_avg}, {exp_avg_sq}, {step}, 0.1, 0.9, 0.999, 0, 1e-8, false,
                false);
  EXPECT_NEAR(param[0].item<double>(), 1.0 - 0.1 * 0.5, 1e-15);
}

}  // namespace
}  // namespace ember
