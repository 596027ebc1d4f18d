// The nn activation family: the fused softmax kernel of every instruction set this CPU runs
// against its composite exp(x - max) / sum (last and inner dims, every floating dtype, rows long
// enough for the threaded path), the composites against their formulas, dropout's masks, and
// the errors that name the op.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "ember/backend/cpu/kernel_table.h"
#include "ember/backend/cpu/nn_softmax_kernels.h"
#include "ember/ops/nn_activation.h"
#include "ember/ops/nn_distance.h"
#include "ember/ops/nn_dropout.h"
#include "ember/ops/ops.h"
#include "ember/ops/random.h"
#include "tests/test_support.h"

namespace ember {
namespace {

using testing::message_of;
using testing::values;

// The composite the fused kernel replaces, in float64.
Tensor composite_softmax(const Tensor& x, int64_t dim, bool log) {
  const Tensor wide = x.to(kFloat64);
  const Tensor shifted = sub(wide, amax(wide, {dim}, /*keepdim=*/true));
  const Tensor total = sum(exp(shifted), {dim}, /*keepdim=*/true);
  return log ? sub(shifted, ember::log(total)) : div(exp(shifted), total);
}

void expect_close(const Tensor& actual, const Tensor& expected, double tolerance) {
  const std::vector<double> got = values(actual);
  const std::vector<double> want = values(expected);
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    ASSERT_NEAR(got[i], want[i], tolerance * (1 + std::abs(want[i]))) << "at " << i;
  }
}

std::vector<cpu::SoftmaxKernel> supported_kernels() {
  std::vector<cpu::SoftmaxKernel> kernels = {&cpu::generic::softmax_kernel};
  const cpu::CpuCapability widest = cpu::supported_capability();
  if (widest >= cpu::CpuCapability::Avx2) kernels.push_back(&cpu::avx2::softmax_kernel);
  if (widest >= cpu::CpuCapability::Avx512) kernels.push_back(&cpu::avx512::softmax_kernel);
  return kernels;
}

TEST(NnSoftmax, EveryIsaKernelMatchesTheComposite) {
  manual_seed(11);
  const Tensor base = mul(randn({6, 37, 300}), 8.0);
  for (ScalarType dtype : {kFloat32, kFloat64, kFloat16, kBFloat16}) {
    const Tensor x = base.to(dtype).contiguous();
    const double tolerance = dtype == kFloat32 ? 1e-6 : dtype == kFloat64 ? 1e-12 : 1e-2;
    for (int64_t dim = 0; dim < 3; ++dim) {
      for (bool log : {false, true}) {
        for (cpu::SoftmaxKernel kernel : supported_kernels()) {
          Tensor out = empty(x.shape(), dtype);
          kernel(x, out, dim, log);
          expect_close(out, composite_softmax(x, dim, log), tolerance);
        }
      }
    }
  }
}

TEST(NnSoftmax, OpsHandleLayoutsZeroDimAndEmptyInputs) {
  const Tensor x = randn({5, 7}).transpose(0, 1);
  expect_close(softmax(x, 1), composite_softmax(x, 1, false), 1e-6);
  expect_close(x.log_softmax(0), composite_softmax(x, 0, true), 1e-6);
  EXPECT_EQ(values(softmax(scalar_tensor(3.0), 0)), std::vector<double>{1.0});
  EXPECT_EQ(values(log_softmax(scalar_tensor(3.0), -1)), std::vector<double>{0.0});
  EXPECT_EQ(softmax(empty({0, 4}), 1).shape(), (Shape{0, 4}));
  expect_close(softmin(x, 1), composite_softmax(neg(x), 1, false), 1e-6);
  EXPECT_EQ(softmax(x, 1, kFloat64).dtype(), kFloat64);
}

TEST(NnSoftmax, ErrorsNameTheOp) {
  EXPECT_NE(message_of([] {
              softmax(zeros({2, 3}), 2);
            }).find("[softmax] Dimension out of range"),
            std::string::npos);
  EXPECT_NE(message_of([] { log_softmax(arange(3), 0); }).find("[log_softmax] expected a floating"),
            std::string::npos);
}

TEST(NnActivation, CompositesFollowTheirFormulas) {
  const Tensor x = tensor({-4.0, -1.0, -0.25, 0.0, 0.5, 2.0, 7.0});
  const std::vector<double> v = values(x);
  auto check = [&](const Tensor& result, auto formula) {
    const std::vector<double> got = values(result);
    for (size_t i = 0; i < v.size(); ++i) EXPECT_NEAR(got[i], formula(v[i]), 1e-6) << v[i];
  };
  check(relu6(x), [](double a) { return std::min(std::max(a, 0.0), 6.0); });
  check(leaky_relu(x, 0.2), [](double a) { return a > 0 ? a : 0.2 * a; });
  check(elu(x, 0.5), [](double a) { return a > 0 ? a : 0.5 * std::expm1(a); });
  check(gelu(x), [](double a) { return 0.5 * a * (1 + std::erf(a / std::sqrt(2.0))); });
  check(silu(x), [](double a) { return a / (1 + std::exp(-a)); });
  check(hardswish(x), [](double a) { return a * std::min(std::max(a + 3, 0.0), 6.0) / 6; });
  check(softplus(x, 2, 3),
        [](double a) { return 2 * a > 3 ? a : std::log1p(std::exp(2 * a)) / 2; });
  check(softshrink(x, 0.5), [](double a) { return a > 0.5 ? a - 0.5 : a < -0.5 ? a + 0.5 : 0; });
  check(threshold(x, 0.1, -3), [](double a) { return a > 0.1 ? a : -3; });
  check(log_sigmoid(x), [](double a) { return -std::log1p(std::exp(-a)); });
  Tensor y = x.clone();
  EXPECT_EQ(&hardtanh_(y, -1, 1), &y);
  check(y, [](double a) { return std::min(std::max(a, -1.0), 1.0); });
}

TEST(NnActivation, ErrorsNameTheOp) {
  EXPECT_NE(message_of([] {
              glu(zeros({2, 3}));
            }).find("[glu] Halving dimension must be even"),
            std::string::npos);
  EXPECT_NE(message_of([] {
              prelu(zeros({2, 3}), zeros({2}));
            }).find("[prelu] Mismatch"),
            std::string::npos);
  EXPECT_NE(message_of([] { gelu(zeros({2}), "fast"); }).find("[gelu]"), std::string::npos);
  EXPECT_NE(
      message_of([] { dropout(zeros({2}), 2.0, true); }).find("[dropout] dropout probability"),
      std::string::npos);
  EXPECT_NE(message_of([] {
              one_hot(tensor({-1, 0}), 3);
            }).find("[one_hot] Class values"),
            std::string::npos);
  EXPECT_NE(message_of([] { pdist(zeros({2})); }).find("[pdist]"), std::string::npos);
}

TEST(NnDropout, MasksRepeatWithTheSeedAndScaleKeptElements) {
  const Tensor x = ones({200, 300});
  manual_seed(4);
  const Tensor first = dropout(x, 0.25, true);
  manual_seed(4);
  EXPECT_TRUE(equal(first, dropout(x, 0.25, true)));
  for (double v : values(first)) EXPECT_TRUE(v == 0.0 || std::abs(v - 1 / 0.75) < 1e-6);
  EXPECT_TRUE(equal(dropout(x, 0.25, false), x));
}

}  // namespace
}  // namespace ember
