// The gradients of the fused BatchNorm and GroupNorm primitives: first order (the fused
// backward kernels) against the composite references' autograd, and gradcheck/gradgradcheck
// (whose second order differentiates the composite rules) on contiguous and non-contiguous
// float64 inputs, in training and eval mode.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "ember/autograd/engine.h"
#include "ember/autograd/gradcheck.h"
#include "ember/ops/nn_norm.h"
#include "ember/ops/ops.h"
#include "tests/test_support.h"

namespace ember {
namespace {

using autograd::gradcheck;
using autograd::gradgradcheck;
using testing::leaf;
using testing::values;

void expect_close(const Tensor& actual, const Tensor& expected, double tol,
                  const std::string& what) {
  ASSERT_EQ(actual.shape(), expected.shape()) << what;
  const std::vector<double> a = values(actual), e = values(expected);
  for (size_t i = 0; i < a.size(); ++i) {
    ASSERT_NEAR(a[i], e[i], tol * (1 + std::abs(e[i]))) << what << " at " << i;
  }
}

// d(sum(y * probe))/d(input, weight, bias) of the fused op and of its reference.
void compare_gradients(
    const Tensor& input,
    const std::function<Tensor(const Tensor&, const Tensor&, const Tensor&, bool)>& norm,
    double tol, const std::string& what) {
  const int64_t channels = input.size(1);
  const Tensor x = input.detach().requires_grad_();
  const Tensor weight = (arange(channels, kFloat64) * 0.3 + 0.7).to(input.dtype()).requires_grad_();
  const Tensor bias = (arange(channels, kFloat64) * -0.2).to(input.dtype()).requires_grad_();
  const Tensor probe = (arange(input.numel(), kFloat64) * 1.3).cos().reshape(input.shape());
  std::vector<std::vector<Tensor>> grads;
  for (bool reference : {false, true}) {
    const Tensor y = norm(x, weight, bias, reference);
    const Tensor loss = (y.to(kFloat64) * probe).sum();
    grads.push_back(autograd::grad({loss}, {x, weight, bias}));
  }
  expect_close(grads[0][0], grads[1][0], tol, what + " grad_input");
  expect_close(grads[0][1], grads[1][1], tol, what + " grad_weight");
  expect_close(grads[0][2], grads[1][2], tol, what + " grad_bias");
}

std::vector<std::pair<std::string, Tensor>> channel_inputs(ScalarType dtype) {
  auto wavy = [&](IntArrayRef shape) {
    const int64_t n = numel_of(shape.to_shape());
    return ((arange(0, n, TensorOptions(kFloat64)) * 0.731).sin() * 2.0 + 1.5)
        .reshape(shape)
        .to(dtype);
  };
  return {
      {"2d", wavy({6, 4})},
      {"3d", wavy({4, 4, 5})},
      {"4d", wavy({2, 4, 3, 5})},
      {"5d", wavy({2, 4, 2, 3, 2})},
      {"batch 1", wavy({1, 4, 7})},
      {"transposed", wavy({5, 4, 2}).transpose(0, 2)},
      {"channels last", wavy({2, 3, 5, 4}).permute({0, 3, 1, 2})},
  };
}

TEST(NormGradients, FusedBackwardMatchesTheComposites) {
  for (ScalarType dtype : {kFloat64, kFloat32}) {
    const double tol = dtype == kFloat64 ? 1e-9 : 2e-4;
    for (const auto& [name, input] : channel_inputs(dtype)) {
      const std::string what = name + " " + std::string(dtype_name(dtype));
      for (bool training : {true, false}) {
        compare_gradients(
            input,
            [&](const Tensor& x, const Tensor& w, const Tensor& b, bool reference) {
              const Tensor mean = (arange(x.size(1), kFloat64) * 0.1).to(x.dtype());
              const Tensor var = (arange(x.size(1), kFloat64) * 0.2 + 0.5).to(x.dtype());
              return reference
                         ? detail::batch_norm_composite(x, w, b, mean.clone(), var.clone(),
                                                        training, 0.1, 1e-5)
                         : batch_norm(x, w, b, mean.clone(), var.clone(), training, 0.1, 1e-5);
            },
            tol, what + (training ? " batch_norm train" : " batch_norm eval"));
      }
      for (int64_t groups : {int64_t{1}, input.size(1)}) {
        compare_gradients(
            input,
            [&](const Tensor& x, const Tensor& w, const Tensor& b, bool reference) {
              return reference ? detail::group_norm_composite(x, groups, w, b)
                               : group_norm(x, groups, w, b);
            },
            tol, what + " group_norm " + std::to_string(groups));
      }
    }
  }
}

TEST(NormGradients, GradcheckAndGradgradcheckBatchNorm) {
  for (bool training : {true, false}) {
    const Tensor mean = arange(3, kFloat64) * 0.1;
    const Tensor var = arange(3, kFloat64) * 0.2 + 0.5;
    auto function = [&](const std::vector<Tensor>& in) {
      return batch_norm(in[0], in[1], in[2], mean.clone(), var.clone(), training, 0.1, 1e-5);
    };
    const std::vector<Tensor> contiguous{leaf({4, 3, 2}), leaf({3}), leaf({3})};
    const std::vector<Tensor> transposed{leaf({2, 3, 4}).transpose(0, 2), leaf({3}), leaf({3})};
    for (const auto& inputs : {contiguous, transposed}) {
      EXPECT_EQ(gradcheck(function, inputs), "") << training;
      EXPECT_EQ(gradgradcheck(function, inputs), "") << training;
    }
    // Without the affine.
    auto bare = [&](const std::vector<Tensor>& in) {
      return batch_norm(in[0], std::nullopt, std::nullopt, std::nullopt, std::nullopt, training,
                        0.1, 1e-5);
    };
    EXPECT_EQ(gradgradcheck(bare, {leaf({3, 2, 3})}), "") << training;
  }
}

TEST(NormGradients, GradcheckAndGradgradcheckGroupNorm) {
  auto function = [](const std::vector<Tensor>& in) { return group_norm(in[0], 2, in[1], in[2]); };
  const std::vector<Tensor> contiguous{leaf({2, 4, 3}), leaf({4}), leaf({4})};
  const std::vector<Tensor> transposed{leaf({3, 4, 2}).transpose(0, 2), leaf({4}), leaf({4})};
  for (const auto& inputs : {contiguous, transposed}) {
    EXPECT_EQ(gradcheck(function, inputs), "");
    EXPECT_EQ(gradgradcheck(function, inputs), "");
  }
  auto bare = [](const std::vector<Tensor>& in) { return group_norm(in[0], 1); };
  EXPECT_EQ(gradgradcheck(bare, {leaf({2, 2, 3})}), "");
}

}  // namespace
}  // namespace ember
