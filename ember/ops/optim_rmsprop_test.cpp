// RMSprop's fused step against its composite over many steps and every option combination.
#include "ember/ops/optim_rmsprop.h"

#include <gtest/gtest.h>

#include "ember/base/error.h"
#include "ember/base/error_testing.h"
#include "ember/ops/optim_algo_test_support.h"

namespace ember {
namespace {

using optim_testing::StateInit;

TEST(FusedRMSprop, MatchesCompositeForEveryOption) {
  const StateInit zero{[](const Tensor& p) { return zeros_like(p); }};
  for (bool centered : {false, true}) {
    for (double momentum : {0.0, 0.9}) {
      for (double weight_decay : {0.0, 0.1}) {
        for (bool maximize : {false, true}) {
          optim_testing::for_each_dtype([&](ScalarType dtype, const std::string& name) {
            std::vector<StateInit> inits = {zero};
            if (centered) inits.push_back(zero);
            if (momentum > 0) inits.push_back(zero);
            const size_t momentum_index = centered ? 2 : 1;
            optim_testing::expect_fused_matches_composite(
                dtype, inits,
                [&](const auto& params, const auto& grads, const auto& states, const auto& steps) {
                  const std::vector<Tensor> none;
                  _fused_rmsprop_(params, grads, states[0], centered ? states[1] : none,
                                  momentum > 0 ? states[momentum_index] : none, steps, 1e-2, 0.99,
                                  1e-8, weight_decay, momentum, centered, maximize);
                },
                [&](const auto& param, const auto& grad, const auto& states, const auto& step) {
                  detail::rmsprop_step(param, grad, states[0], centered ? states[1] : Tensor(),
                                       momentum > 0 ? states[momentum_index] : Tensor(), step, 1e-2,
                                       0.99, 1e-8, weight_decay, momentum, centered, maximize);
                },
                name + " centered " + std::to_string(centered) + " momentum " +
                    std::to_string(momentum) + " weight_decay " + std::to_string(weight_decay) +
                    " maximize " + std::to_string(maximize),
                centered && momentum > 0 && weight_decay != 0 && maximize);
          });
        }
      }
    }
  }
}

TEST(FusedRMSprop, RejectsStateListsOfOptionsThatAreOff) {
  const Tensor param = zeros({2}), step = zeros({});
  const std::string grad_avgs = test_support::error_of<ValueError>([&] {
    _fused_rmsprop_({param}, {param}, {param}, {param}, {}, {step}, 1e-2, 0.99, 1e-8, 0, 0, false,
                    false);
  });
  EXPECT_TRUE(test_support::contains(
      grad_avgs, "[_fused_rmsprop_] expected no grad_avgs when centered is false; got 1"))
      << grad_avgs;
  const std::string missing = test_support::error_of<ValueError>([&] {
    _fused_rmsprop_({param}, {param}, {param}, {}, {}, {step}, 1e-2, 0.99, 1e-8, 0, 0.9, false,
                    false);
  });
  EXPECT_TRUE(test_support::contains(
      missing, "expected momentum_buffer_list to hold one tensor per parameter (1); got 0"))
      << missing;
}

}  // namespace
}  // namespace ember
