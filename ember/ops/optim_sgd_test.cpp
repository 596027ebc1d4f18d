// _fused_sgd_ against its per-parameter composite over many steps and every option combination,
// in float32 and float64, on contiguous, non-contiguous, empty and multi-chunk parameters; a
// hand-computed step; and each error.
#include "ember/ops/optim_sgd.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ember/base/error.h"
#include "ember/ops/ops.h"
#include "tests/test_support.h"

namespace ember {
namespace {

using testing::message_of;
using testing::values;

struct SgdCase {
  double momentum, dampening, weight_decay;
  bool nesterov, maximize;
};

std::vector<SgdCase> every_case() {
  std::vector<SgdCase> cases;
  for (double momentum : {0.0, 0.9}) {
    for (double dampening : {0.0, 0.25}) {
      for (double weight_decay : {0.0, 0.05}) {
        for (bool nesterov : {false, true}) {
          for (bool maximize : {false, true}) {
            if (nesterov && (momentum == 0.0 || dampening != 0.0)) continue;
            cases.push_back({momentum, dampening, weight_decay, nesterov, maximize});
          }
        }
      }
    }
  }
  return cases;
}

// Parameters of several layouts: small, empty, 0-d, a transposed (non-contiguous) matrix and one
// larger than a chunk, so that the loop runs in parallel.
std::vector<Tensor> make_params(ScalarType dtype) {
  return {randn({3, 4}, dtype), randn({0, 5}, dtype), randn({}, dtype), randn({6, 5}, dtype).t(),
          randn({66000}, dtype)};
}

std::vector<Tensor> copies(const std::vector<Tensor>& tensors) {
  std::vector<Tensor> result;
  for (const Tensor& tensor : tensors) result.push_back(tensor.clone());
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

TEST(FusedSgd, MatchesTheCompositeOverManyStepsForEveryOption) {
  manual_seed(0);
  for (ScalarType dtype : {kFloat32, kFloat64}) {
    const double tolerance = dtype == kFloat32 ? 1e-5 : 1e-12;
    for (const SgdCase& option : every_case()) {
      std::vector<Tensor> fused = make_params(dtype);
      std::vector<Tensor> reference = copies(fused);
      std::vector<Tensor> fused_buffers, reference_buffers;
      if (option.momentum != 0.0) {
        for (const Tensor& param : fused) fused_buffers.push_back(empty_like(param));
        for (const Tensor& param : fused) reference_buffers.push_back(empty_like(param));
      }
      for (int step = 0; step < 5; ++step) {
        std::vector<Tensor> grads;
        for (const Tensor& param : fused) grads.push_back(randn_like(param));
        _fused_sgd_(fused, grads, fused_buffers, 0.1, option.momentum, option.dampening,
                    option.weight_decay, option.nesterov, option.maximize, step == 0);
        for (size_t i = 0; i < reference.size(); ++i) {
          detail::sgd_step_composite(reference[i], grads[i],
                                     reference_buffers.empty() ? Tensor() : reference_buffers[i],
                                     0.1, option.momentum, option.dampening, option.weight_decay,
                                     option.nesterov, option.maximize, step == 0);
        }
      }
      const std::string where =
          std::string("dtype ") + (dtype == kFloat32 ? "float32" : "float64") + " momentum " +
          std::to_string(option.momentum) + " dampening " + std::to_string(option.dampening) +
          " weight_decay " + std::to_string(option.weight_decay) + " nesterov " +
          std::to_string(option.nesterov) + " maximize " + std::to_string(option.maximize);
      expect_close(fused, reference, tolerance, where);
      expect_close(fused_buffers, reference_buffers, tolerance, where);
    }
  }
}

TEST(FusedSgd, OneStepByHand) {
  // p = 1, g = 2, weight_decay 0.5: step = 2 + 0.5 = 2.5; first momentum step b = 2.5;
  // nesterov: 2.5 + 0.9 * 2.5 = 4.75; p = 1 - 0.1 * 4.75 = 0.525.
  Tensor param = full({1}, 1.0, kFloat64), grad = full({1}, 2.0, kFloat64);
  Tensor buffer = empty({1}, kFloat64);
  _fused_sgd_({param}, {grad}, {buffer}, 0.1, 0.9, 0.0, 0.5, true, false, true);
  EXPECT_DOUBLE_EQ(param.item<double>(), 0.525);
  EXPECT_DOUBLE_EQ(buffer.item<double>(), 2.5);
  // Second step, g = 2 again: step = 2 + 0.5 * 0.525 = 2.2625; b = 0.9 * 2.5 + 2.2625 = 4.5125;
  // p = 0.525 - 0.1 * (2.2625 + 0.9 * 4.5125).
  _fused_sgd_({param}, {grad}, {buffer}, 0.1, 0.9, 0.0, 0.5, true, false, false);
  EXPECT_NEAR(param.item<double>(), 0.525 - 0.1 * (2.2625 + 0.9 * 4.5125), 1e-15);
}

TEST(FusedSgd, BumpsTheParameterVersion) {
  Tensor param = zeros({4}), grad = ones({4});
  const uint32_t before = param.version();
  _fused_sgd_({param}, {grad}, {}, 0.1, 0.0, 0.0, 0.0, false, false, false);
  EXPECT_GT(param.version(), before);
  EXPECT_FLOAT_EQ(param[0].item<float>(), -0.1f);
}

TEST(FusedSgd, Errors) {
  const Tensor param = zeros({2, 3});
  EXPECT_THROW(_fused_sgd_({param}, {}, {}, 0.1, 0.0, 0.0, 0.0, false, false, false), ValueError);
  EXPECT_NE(message_of([&] {
              _fused_sgd_({param}, {zeros({3, 2})}, {}, 0.1, 0.0, 0.0, 0.0, false, false, false);
            })
                .find("[_fused_sgd_] expected grads[0] of the parameter's shape [2, 3]; got shape "
                      "[3, 2]"),
            std::string::npos);
  EXPECT_THROW(
      _fused_sgd_({param}, {zeros({2, 3}, kFloat64)}, {}, 0.1, 0.0, 0.0, 0.0, false, false, false),
      TypeError);
  EXPECT_THROW(_fused_sgd_({param}, {zeros({2, 3})}, {}, 0.1, 0.9, 0.0, 0.0, false, false, false),
               ValueError);
  EXPECT_THROW(_fused_sgd_({param}, {zeros({2, 3})}, {zeros({2, 3})}, 0.1, 0.0, 0.0, 0.0, false,
                           false, false),
               ValueError);
  EXPECT_THROW(_fused_sgd_({param}, {zeros({2, 3})}, {zeros({2, 3})}, 0.1, 0.9, 0.1, 0.0, true,
                           false, false),
               ValueError);
  EXPECT_THROW(_fused_sgd_({zeros({2}, kInt64)}, {zeros({2}, kInt64)}, {}, 0.1, 0.0, 0.0, 0.0,
                           false, false, false),
               TypeError);
}

}  // namespace
}  // namespace ember
