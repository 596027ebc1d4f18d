// The row and reduction kernels (reduce.cu, arg_reduce.cu, softmax.cu, scan.cu, layer_norm.cu,
// loss.cu) through the public ops on a CUDA device, against the same ops on the CPU. Skipped
// without a device: kernel_emulation_rows_test.cpp checks the bodies on any machine.
#include <gtest/gtest.h>

#include <string>
#include <tuple>

#include "ember/ops/nn_activation.h"
#include "ember/ops/nn_loss.h"
#include "ember/ops/nn_norm.h"
#include "ember/ops/ops.h"
#include "ember/ops/scan.h"
#include "ember/tensor/cuda_runtime.h"

namespace ember {
namespace {

void expect_device_matches(const Tensor& device_result, const Tensor& cpu_result,
                           const std::string& what, double rtol = 1e-5, double atol = 1e-5) {
  ASSERT_TRUE(device_result.device().is_cuda()) << what;
  const Tensor back = device_result.cpu();
  ASSERT_EQ(back.dtype(), cpu_result.dtype()) << what;
  ASSERT_EQ(back.sizes(), cpu_result.sizes()) << what;
  if (is_floating_point(back.dtype())) {
    EXPECT_TRUE(allclose(back.to(kFloat64), cpu_result.to(kFloat64), rtol, atol, true)) << what;
  } else {
    EXPECT_TRUE(equal(back, cpu_result)) << what;
  }
}

TEST(CudaRowsOps, ReductionsMatchTheCpu) {
  if (!cuda::is_available()) GTEST_SKIP() << "needs a CUDA device";
  manual_seed(14);
  const Tensor x = randn({37, 515});
  const Tensor xd = x.cuda();
  expect_device_matches(sum(xd, {1}), sum(x, {1}), "sum inner");
  expect_device_matches(sum(xd, {0}), sum(x, {0}), "sum outer");
  expect_device_matches(sum(xd), sum(x), "sum all");
  expect_device_matches(mean(xd.to(kFloat16), {1}), mean(x.to(kFloat16), {1}), "mean float16", 1e-2,
                        1e-3);
  const Tensor ints = randint(-5, 6, {9, 33}, kInt32);
  expect_device_matches(sum(ints.cuda(), {0}), sum(ints, {0}), "sum int32 -> int64");
  const Tensor near_one = 1 + x / 64;
  expect_device_matches(prod(near_one.cuda(), 1), prod(near_one, 1), "prod");
  expect_device_matches(amax(xd, {0}), amax(x, {0}), "amax");
  const Tensor mask = ints.gt(0);
  expect_device_matches(all(mask.cuda(), 1), all(mask, 1), "all");
  expect_device_matches(any(mask.cuda(), 0), any(mask, 0), "any");
  expect_device_matches(argmax(xd, 1), argmax(x, 1), "argmax");
  const auto [values, indices] = max(xd, 0);
  const auto [cpu_values, cpu_indices] = max(x, 0);
  expect_device_matches(values, cpu_values, "max values");
  expect_device_matches(indices, cpu_indices, "max indices");
}

TEST(CudaRowsOps, SoftmaxScansAndLayerNormMatchTheCpu) {
  if (!cuda::is_available()) GTEST_SKIP() << "needs a CUDA device";
  manual_seed(14);
  const Tensor x = randn({6, 300, 5});
  const Tensor xd = x.cuda();
  for (int64_t dim : {0, 1, 2}) {
    const std::string at = " dim " + std::to_string(dim);
    expect_device_matches(softmax(xd, dim), softmax(x, dim), "softmax" + at);
    expect_device_matches(log_softmax(xd, dim), log_softmax(x, dim), "log_softmax" + at);
    expect_device_matches(cumsum(xd, dim), cumsum(x, dim), "cumsum" + at);
    expect_device_matches(logcumsumexp(xd, dim), logcumsumexp(x, dim), "logcumsumexp" + at);
    const auto [values, indices] = cummax(xd, dim);
    const auto [cpu_values, cpu_indices] = cummax(x, dim);
    expect_device_matches(values, cpu_values, "cummax values" + at);
    expect_device_matches(indices, cpu_indices, "cummax indices" + at);
  }
  const Tensor weight = randn({5});
  const Tensor bias = randn({5});
  expect_device_matches(layer_norm(xd, {5}, weight.cuda(), bias.cuda()),
                        layer_norm(x, {5}, weight, bias), "layer_norm");
}

TEST(CudaRowsOps, LossesMatchTheCpu) {
  if (!cuda::is_available()) GTEST_SKIP() << "needs a CUDA device";
  manual_seed(14);
  const Tensor logits = randn({64, 10});
  const Tensor target = randint(0, 10, {64}, kInt64);
  for (int64_t reduction : {Reduction::None, Reduction::Mean, Reduction::Sum}) {
    const std::string what = " reduction " + std::to_string(reduction);
    expect_device_matches(
        cross_entropy_loss(logits.cuda(), target.cuda(), std::nullopt, reduction, -100, 0.1),
        cross_entropy_loss(logits, target, std::nullopt, reduction, -100, 0.1),
        "cross_entropy" + what);
    const Tensor log_probs = log_softmax(logits, 1);
    expect_device_matches(nll_loss(log_probs.cuda(), target.cuda(), std::nullopt, reduction),
                          nll_loss(log_probs, target, std::nullopt, reduction), "nll_loss" + what);
  }
  const Tensor probabilities = rand({50});
  const Tensor labels = rand({50});
  expect_device_matches(binary_cross_entropy(probabilities.cuda(), labels.cuda()),
                        binary_cross_entropy(probabilities, labels), "binary_cross_entropy");
}

}  // namespace
}  // namespace ember
