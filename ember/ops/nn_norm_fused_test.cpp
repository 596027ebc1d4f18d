// The fused BatchNorm and GroupNorm primitives against their composite references
// (detail::batch_norm_composite / group_norm_composite): outputs and running statistics over
// ranks 2-5, non-contiguous layouts, batch 1, an empty batch, every floating dtype, training and
// eval, with and without the affine and the running statistics.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ember/ops/nn_norm.h"
#include "ember/ops/ops.h"
#include "tests/test_support.h"

namespace ember {
namespace {

using testing::values;

// Smooth values far from zero mean, so that a cancelling variance would show.
Tensor wavy(IntArrayRef shape, ScalarType dtype = kFloat64, double offset = 3.0) {
  const int64_t n = numel_of(shape.to_shape());
  return ((arange(0, n, TensorOptions(kFloat64)) * 0.731).sin() * 2.0 + offset)
      .reshape(shape)
      .to(dtype);
}

double tolerance(ScalarType dtype) {
  if (dtype == kFloat64) return 1e-10;
  if (dtype == kFloat32) return 2e-5;
  return 2e-2;  // float16/bfloat16: both sides round to the input's dtype
}

void expect_close(const Tensor& actual, const Tensor& expected, double tol,
                  const std::string& what) {
  ASSERT_EQ(actual.shape(), expected.shape()) << what;
  ASSERT_EQ(actual.dtype(), expected.dtype()) << what;
  const std::vector<double> a = values(actual), e = values(expected);
  for (size_t i = 0; i < a.size(); ++i) {
    ASSERT_NEAR(a[i], e[i], tol * (1 + std::abs(e[i]))) << what << " at " << i;
  }
}

struct BatchNormCase {
  bool training;
  bool affine;
  bool running;
};

void compare_batch_norm(const Tensor& input, const BatchNormCase& c, const std::string& what) {
  const int64_t channels = input.size(1);
  const ScalarType dtype = input.dtype();
  const std::optional<Tensor> weight =
      c.affine ? std::optional<Tensor>(wavy({channels}, dtype, 1.0)) : std::nullopt;
  const std::optional<Tensor> bias =
      c.affine ? std::optional<Tensor>(wavy({channels}, dtype, -0.5)) : std::nullopt;
  auto running = [&](double offset) {
    return c.running ? std::optional<Tensor>(wavy({channels}, kFloat32, offset)) : std::nullopt;
  };
  const std::optional<Tensor> mean_fused = running(0.2), var_fused = running(2.5);
  const std::optional<Tensor> mean_ref = running(0.2), var_ref = running(2.5);
  const Tensor fused =
      batch_norm(input, weight, bias, mean_fused, var_fused, c.training, 0.1, 1e-5);
  const Tensor reference =
      detail::batch_norm_composite(input, weight, bias, mean_ref, var_ref, c.training, 0.1, 1e-5);
  expect_close(fused, reference, tolerance(dtype), what + " y");
  if (c.running) {
    // float16/bfloat16: the fused statistics stay float32, the reference's round to the dtype.
    const double stats_tol = dtype == kFloat16 || dtype == kBFloat16 ? tolerance(dtype) : 2e-6;
    expect_close(*mean_fused, *mean_ref, stats_tol, what + " running_mean");
    expect_close(*var_fused, *var_ref, stats_tol, what + " running_var");
  }
}

// The inputs of every rank and layout, of one dtype.
std::vector<std::pair<std::string, Tensor>> channel_inputs(ScalarType dtype) {
  return {
      {"2d", wavy({6, 3}, dtype)},
      {"3d", wavy({4, 3, 5}, dtype)},
      {"4d", wavy({2, 3, 4, 5}, dtype)},
      {"5d", wavy({2, 4, 2, 3, 2}, dtype)},
      {"batch 1", wavy({1, 4, 7}, dtype)},
      {"transposed", wavy({5, 4, 2}, dtype).transpose(0, 2)},
      {"sliced", wavy({4, 6, 9}, dtype).slice(1, 0, 6, 2).slice(2, 1, 9, 2)},
      {"channels last", wavy({2, 3, 5, 4}, dtype).permute({0, 3, 1, 2})},
  };
}

TEST(BatchNormFused, MatchesTheCompositeInEveryLayoutAndMode) {
  for (ScalarType dtype : {kFloat64, kFloat32, kFloat16, kBFloat16}) {
    for (const auto& [name, input] : channel_inputs(dtype)) {
      for (bool training : {true, false}) {
        for (bool affine : {true, false}) {
          for (bool running : {true, false}) {
            compare_batch_norm(input, {training, affine, running},
                               name + " " + std::string(dtype_name(dtype)) +
                                   (training ? " train" : " eval") + (affine ? " affine" : "") +
                                   (running ? " running" : ""));
          }
        }
      }
    }
  }
}

TEST(BatchNormFused, AnEmptyBatchLeavesTheRunningStatistics) {
  const Tensor input = empty({0, 3, 4}, kFloat32);
  Tensor running_mean = zeros({3});
  Tensor running_var = ones({3});
  const Tensor y = batch_norm(input, ones({3}), zeros({3}), running_mean, running_var,
                              /*training=*/true, 0.1, 1e-5);
  EXPECT_EQ(y.shape(), input.shape());
  EXPECT_EQ(values(running_mean), std::vector<double>(3, 0.0));
  EXPECT_EQ(values(running_var), std::vector<double>(3, 1.0));
  const Tensor reference = detail::batch_norm_composite(input, ones({3}), zeros({3}), std::nullopt,
                                                        std::nullopt, true, 0.1, 1e-5);
  EXPECT_EQ(reference.shape(), input.shape());
}

TEST(BatchNormFused, ALargeMeanDoesNotCancelTheVariance) {
  // float32 values 1e4 apart from their mean by about 1: a sum of squares would lose them.
  const Tensor input = wavy({8, 2, 64}, kFloat32, 1e4);
  const Tensor y =
      batch_norm(input, std::nullopt, std::nullopt, std::nullopt, std::nullopt, true, 0.1, 0.0);
  const Tensor expected = detail::batch_norm_composite(
      input.to(kFloat64), std::nullopt, std::nullopt, std::nullopt, std::nullopt, true, 0.1, 0.0);
  expect_close(y.to(kFloat64), expected, 2e-3, "large mean");
}

TEST(GroupNormFused, MatchesTheCompositeInEveryLayout) {
  for (ScalarType dtype : {kFloat64, kFloat32, kFloat16, kBFloat16}) {
    for (const auto& [name, input] : channel_inputs(dtype)) {
      const int64_t channels = input.size(1);
      for (int64_t groups : {int64_t{1}, channels}) {
        for (bool affine : {true, false}) {
          const std::optional<Tensor> weight =
              affine ? std::optional<Tensor>(wavy({channels}, dtype, 1.0)) : std::nullopt;
          const std::optional<Tensor> bias =
              affine ? std::optional<Tensor>(wavy({channels}, dtype, -0.5)) : std::nullopt;
          expect_close(group_norm(input, groups, weight, bias),
                       detail::group_norm_composite(input, groups, weight, bias), tolerance(dtype),
                       name + " " + std::string(dtype_name(dtype)) + " groups " +
                           std::to_string(groups) + (affine ? " affine" : ""));
        }
      }
    }
  }
  // Two channels per group, and an empty batch.
  const Tensor x = wavy({3, 4, 5});
  expect_close(group_norm(x, 2, wavy({4}), wavy({4})),
               detail::group_norm_composite(x, 2, wavy({4}), wavy({4})), 1e-10, "2 groups");
  EXPECT_EQ(group_norm(empty({0, 4, 3}, kFloat64), 2).shape(), (Shape{0, 4, 3}));
}

TEST(InstanceNormFused, EvalModeRunsBatchNormWithTheRunningStatistics) {
  const Tensor x = wavy({2, 3, 5});
  const Tensor mean = wavy({3}, kFloat64, 0.5), var = wavy({3}, kFloat64, 2.0);
  expect_close(
      instance_norm(x, std::nullopt, std::nullopt, mean, var, false, 0.1, 1e-5),
      detail::batch_norm_composite(x, std::nullopt, std::nullopt, mean, var, false, 0.1, 1e-5),
      1e-12, "instance_norm eval");
}

}  // namespace
}  // namespace ember
