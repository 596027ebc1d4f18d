// _fused_adam_ against its per-parameter composite over many steps and every option combination
// (Adam and AdamW), in float32 and float64, on contiguous, non-contiguous, empty and multi-chunk
// parameters; a hand-computed first step; and each error.
#include "ember/ops/optim_adam.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "ember/base/error.h"
#include "ember/ops/ops.h"
#include "tests/test_support.h"

namespace ember {
namespace {

using testing::message_of;
using testing::values;

struct AdamCase {
  double weight_decay;
  bool amsgrad, maximize, decoupled;
};

std::vector<Tensor> make_params(ScalarType dtype) {
  return {randn({3, 4}, dtype), randn({0, 5}, dtype), randn({}, dtype), randn({6, 5}, dtype).t(),
          randn({66000}, dtype)};
}

std::vector<Tensor> zeros_for(const std::vector<Tensor>& params) {
  std::vector<Tensor> result;
  for (const Tensor& param : params) result.push_back(zeros_like(param));
  return result;
}

std::vector<Tensor> steps_for(const std::vector<Tensor>& params) {
  std::vector<Tensor> result;
  for (size_t i = 0; i < params.size(); ++i) result.push_back(zeros({}, kFloat32));
  return result;
}

void expect_close(const std::vector<Tensor>& actual, const std::vector<Tensor>& expected,
                  double tolerance, const std::string& where) {
  ASSERT_EQ(actual.size(), expected.size());
  for (size_t i = 0; i < actual.size(); ++i) {
    const std::vector<double> a = values(actual[i]), e = values(expected[i]);
    ASSERT_EQ(a.size(), e.size());
    for (size_t k = 0; k < a.size(); ++k) {
      ASSERT_NEAR(a[k], e[k], tolerance * (1 + std::abs(e[k]))) << where << " tensor " << i;
    }
  }
}

TEST(FusedAdam, MatchesTheCompositeOverManyStepsForEveryOption) {
  manual_seed(0);
  for (ScalarType dtype : {kFloat32, kFloat64}) {
    const double tolerance = dtype == kFloat32 ? 2e-5 : 1e-12;
    for (double weight_decay : {0.0, 0.1}) {
      for (bool amsgrad : {false, true}) {
        for (bool maximize : {false, true}) {
          for (bool decoupled : {false, true}) {
            std::vector<Tensor> fused = make_params(dtype), reference;
            for (const Tensor& param : fused) reference.push_back(param.clone());
            std::vector<Tensor> m1 = zeros_for(fused), v1 = zeros_for(fused), m2 = zeros_for(fused),
                                v2 = zeros_for(fused);
            std::vector<Tensor> max1 = amsgrad ? zeros_for(fused) : std::vector<Tensor>{};
            std::vector<Tensor> max2 = amsgrad ? zeros_for(fused) : std::vector<Tensor>{};
            const std::vector<Tensor> steps = steps_for(fused);
            for (int step = 1; step <= 5; ++step) {
              std::vector<Tensor> grads;
              for (const Tensor& param : fused) grads.push_back(randn_like(param));
              _fused_adam_(fused, grads, m1, v1, max1, steps, 0.01, 0.9, 0.99, weight_decay, 1e-8,
                           amsgrad, maximize, decoupled);
              for (size_t i = 0; i < reference.size(); ++i) {
                detail::adam_step_composite(reference[i], grads[i], m2[i], v2[i],
                                            amsgrad ? max2[i] : Tensor(), step, 0.01, 0.9, 0.99,
                                            weight_decay, 1e-8, amsgrad, maximize, decoupled);
              }
            }
            const std::string where =
                "dtype " + std::to_string(dtype == kFloat32) + " weight_decay " +
                std::to_string(weight_decay) + " amsgrad " + std::to_string(amsgrad) +
                " maximize " + std::to_string(maximize) + " decoupled " + std::to_string(decoupled);
            expect_close(fused, reference, tolerance, where);
            expect_close(m1, m2, tolerance, where);
            expect_close(v1, v2, tolerance, where);
            expect_close(max1, max2, tolerance, where);
            EXPECT_EQ(steps[0].item<float>(), 5.0f);
          }
        }
      }
    }
  }
}

TEST(FusedAdam, FirstStepByHand) {
  // t = 1: m = 0.1 g, v = 0.001 g^2, m / (1 - 0.9) = g, sqrt(v / (1 - 0.999)) = |g|:
  // p -= lr * g / (|g| + eps).
  Tensor param = full({1}, 1.0, kFloat64), grad = full({1}, 2.0, kFloat64);
  Tensor m = zeros({1}, kFloat64), v = zeros({1}, kFloat64), step = zeros({}, kFloat32);
  _fused_adam_({param}, {grad}, {m}, {v}, {}, {step}, 0.1, 0.9, 0.999, 0.0, 1e-8, false, false,
               false);
  EXPECT_NEAR(param.item<double>(), 1.0 - 0.1 * 2.0 / (2.0 + 1e-8), 1e-14);
  EXPECT_NEAR(m.item<double>(), 0.2, 1e-15);
  EXPECT_NEAR(v.item<double>(), 0.004, 1e-15);
  EXPECT_EQ(step.item<float>(), 1.0f);
}

TEST(FusedAdam, Errors) {
  const Tensor param = zeros({2, 3});
  const Tensor same = zeros({2, 3});
  EXPECT_THROW(_fused_adam_({param}, {same}, {same}, {same}, {}, {}, 0.1, 0.9, 0.999, 0.0, 1e-8,
                            false, false, false),
               ValueError);
  EXPECT_NE(message_of([&] {
              _fused_adam_({param}, {same}, {zeros({3})}, {same}, {}, {zeros({})}, 0.1, 0.9, 0.999,
                           0.0, 1e-8, false, false, false);
            }).find("[_fused_adam_] expected exp_avgs[0] of the parameter's shape [2, 3]"),
            std::string::npos);
  EXPECT_THROW(_fused_adam_({param}, {same}, {same}, {same}, {}, {zeros({})}, 0.1, 0.9, 0.999, 0.0,
                            1e-8, true, false, false),
               ValueError);
  EXPECT_THROW(_fused_adam_({param}, {same}, {same}, {same}, {same}, {zeros({})}, 0.1, 0.9, 0.999,
                            0.0, 1e-8, false, false, false),
               ValueError);
  EXPECT_THROW(_fused_adam_({param}, {same}, {same}, {same}, {}, {zeros({2})}, 0.1, 0.9, 0.999, 0.0,
                            1e-8, false, false, false),
               ValueError);
}

}  // namespace
}  // namespace ember
