// Adamax's fused step against its composite over many steps and every option combination, and
// its errors on mismatched lists.
#include "ember/ops/optim_adamax.h"

#include <gtest/gtest.h>

#include "ember/base/error.h"
#include "ember/base/error_testing.h"
#include "ember/ops/optim_algo_test_support.h"

namespace ember {
namespace {

using optim_testing::StateInit;

TEST(FusedAdamax, MatchesCompositeForEveryOption) {
  const StateInit zero{[](const Tensor& p) { return zeros_like(p); }};
  for (double weight_decay : {0.0, 0.1}) {
    for (bool maximize : {false, true}) {
      optim_testing::for_each_dtype([&](ScalarType dtype, const std::string& name) {
        optim_testing::expect_fused_matches_composite(
            dtype, {zero, zero},
            [&](const auto& params, const auto& grads, const auto& states, const auto& steps) {
              _fused_adamax_(params, grads, states[0], states[1], steps, 2e-3, 0.9, 0.999,
                             weight_decay, 1e-8, maximize);
            },
            [&](const auto& param, const auto& grad, const auto& states, const auto& step) {
              detail::adamax_step(param, grad, states[0], states[1], step, 2e-3, 0.9, 0.999,
                                  weight_decay, 1e-8, maximize);
            },
            name + " weight_decay " + std::to_string(weight_decay) + " maximize " +
                std::to_string(maximize),
            weight_decay != 0 && maximize);
      });
    }
  }
}

TEST(FusedAdamax, RejectsMismatchedLists) {
  const Tensor param = zeros({2, 3}), step = zeros({});
  const std::string short_list = test_support::error_of<ValueError>(
      [&] { _fused_adamax_({param}, {param}, {}, {param}, {step}, 1, 0.9, 0.99, 0, 1e-8, false); });
  EXPECT_TRUE(test_support::contains(
      short_list, "[_fused_adamax_] expected exp_avgs to hold one tensor per parameter (1); got 0"))
      << short_list;
  const std::string wrong_shape = test_support::error_of<ValueError>([&] {
    _fused_adamax_({param}, {zeros({3})}, {param}, {param}, {step}, 1, 0.9, 0.99, 0, 1e-8, false);
  });
  EXPECT_TRUE(test_support::contains(
      wrong_shape, "expected grads[0] of the parameter's shape [2, 3]; got shape [3]"))
      << wrong_shape;
  const std::string wrong_dtype = test_support::error_of<TypeError>([&] {
    _fused_adamax_({param}, {param}, {zeros({2, 3}, kDouble)}, {param}, {step}, 1, 0.9, 0.99, 0,
                   1e-8, false);
  });
  EXPECT_TRUE(test_support::contains(wrong_dtype, "expected exp_avgs[0] of the parameter's dtype"))
      << wrong_dtype;
  const std::string integer = test_support::error_of<TypeError>([&] {
    const Tensor ints = zeros({2}, kLong);
    _fused_adamax_({ints}, {ints}, {ints}, {ints}, {step}, 1, 0.9, 0.99, 0, 1e-8, false);
  });
  EXPECT_TRUE(test_support::contains(integer, "expected params[0] of a floating-point dtype"))
      << integer;
  const std::string bad_step = test_support::error_of<ValueError>([&] {
    _fused_adamax_({param}, {param}, {param}, {param}, {zeros({2})}, 1, 0.9, 0.99, 0, 1e-8, false);
  });
  EXPECT_TRUE(test_support::contains(
      bad_step, "expected state_steps[0] to be a tensor of one element; got shape [2]"))
      << bad_step;
}

TEST(FusedAdamax, UpdatesFloat16ParametersThroughFloat32) {
  const Tensor half_param = full({4}, 1.0, kHalf), half_grad = full({4}, 0.5, kHalf);
  const Tensor exp_avg = zeros({4}, kHalf), exp_inf = zeros({4}, kHalf), step = zeros({});
  _fused_adamax_({half_param}, {half_grad}, {exp_avg}, {exp_inf}, {step}, 0.1, 0.9, 0.999, 0, 1e-8,
                 false);
  // First step: m = 0.05, u = 0.5, param = 1 - 0.1 / 0.1 * 0.1 = 0.9.
  EXPECT_NEAR(half_param[0].item<double>(), 0.9, 1e-3);
  EXPECT_EQ(half_param.dtype(), kHalf);
}

}  // namespace
}  // namespace ember
