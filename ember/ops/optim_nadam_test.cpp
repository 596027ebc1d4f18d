// NAdam's fused step against its composite over many steps and every option combination.
#include "ember/ops/optim_nadam.h"

#include <gtest/gtest.h>

#include "ember/base/error.h"
#include "ember/base/error_testing.h"
#include "ember/ops/optim_algo_test_support.h"

namespace ember {
namespace {

using optim_testing::StateInit;

TEST(FusedNAdam, MatchesCompositeForEveryOption) {
  const StateInit zero{[](const Tensor& p) { return zeros_like(p); }};
  const StateInit one{[](const Tensor&) { return ones({}, kFloat); }, true};
  for (double weight_decay : {0.0, 0.1}) {
    for (bool decoupled : {false, true}) {
      for (bool maximize : {false, true}) {
        for (double momentum_decay : {4e-3, 0.5}) {
          optim_testing::for_each_dtype([&](ScalarType dtype, const std::string& name) {
            optim_testing::expect_fused_matches_composite(
                dtype, {zero, zero, one},
                [&](const auto& params, const auto& grads, const auto& states, const auto& steps) {
                  _fused_nadam_(params, grads, states[0], states[1], states[2], steps, 2e-3, 0.9,
                                0.999, weight_decay, momentum_decay, 1e-8, decoupled, maximize);
                },
                [&](const auto& param, const auto& grad, const auto& states, const auto& step) {
                  detail::nadam_step(param, grad, states[0], states[1], states[2], step, 2e-3, 0.9,
                                     0.999, weight_decay, momentum_decay, 1e-8, decoupled,
                                     maximize);
                },
                name + " weight_decay " + std::to_string(weight_decay) + " decoupled " +
                    std::to_string(decoupled) + " maximize " + std::to_string(maximize) +
                    " momentum_decay " + std::to_string(momentum_decay),
                weight_decay != 0 && decoupled && maximize && momentum_decay > 0.1);
          });
        }
      }
    }
  }
}

TEST(FusedNAdam, RejectsAMissingMuProduct) {
  const Tensor param = zeros({2}), step = zeros({});
  const std::string message = test_support::error_of<ValueError>([&] {
    _fused_nadam_({param}, {param}, {param}, {param}, {}, {step}, 1e-3, 0.9, 0.999, 0, 4e-3, 1e-8,
                  false, false);
  });
  EXPECT_TRUE(test_support::contains(
      message, "[_fused_nadam_] expected mu_products to hold one tensor per parameter (1); got 0"))
      << message;
}

}  // namespace
}  // namespace ember
