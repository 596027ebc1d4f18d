// Regression tests for the autograd and reduction defects of issue 6 found by differential
// fuzzing against PyTorch: graphs deep enough to overflow a recursive teardown or walk, and
// gradients that were wrong (expanded views, norm/std at zero, clamp at its bounds, relu under
// create_graph, addmm with beta = 0, ops on empty tensors); and two fuzz findings: views that
// missed an in-place write into their base, and nodes that saved values no gradient read.
// Expected values are hand-derived.
#include <gtest/gtest.h>

#include <cmath>
#include <initializer_list>
#include <memory>
#include <vector>

#include "ember/autograd/engine.h"
#include "ember/autograd/grad_mode.h"
#include "ember/autograd/node.h"
#include "ember/ops/ops.h"
#include "tests/test_support.h"

namespace ember {
namespace {

using testing::values;

Tensor leaf(std::initializer_list<double> data) {
  return tensor(std::vector<double>(data), kFloat64).requires_grad_();
}

Tensor chain(const Tensor& x, int64_t length) {
  Tensor y = x;
  for (int64_t i = 0; i < length; ++i) y = y * 1.0;
  return y;
}

// PyTorch survives chains of 300k+ nodes; a recursive teardown of the Node -> edge -> Node
// chain overflowed the stack at ~110k.
constexpr int64_t kDeep = 300'000;

TEST(AutogradRegressions, DeepChainIsBackpropagatedAndFreed) {
  Tensor x = leaf({2.0});
  Tensor y = chain(x, kDeep);
  y.sum().backward();
  EXPECT_EQ(values(x.grad()), std::vector<double>{1.0});
}

TEST(AutogradRegressions, DeepChainIsDestroyedWithoutBackward) {
  Tensor x = leaf({2.0});
  Tensor y = x * 1.0;
  const std::weak_ptr<autograd::Node> first = y.grad_fn();
  y = chain(y, kDeep);
  const std::weak_ptr<autograd::Node> last = y.grad_fn();
  y = Tensor();  // frees the whole chain, last node first
  EXPECT_TRUE(last.expired());
  EXPECT_TRUE(first.expired());
}

TEST(AutogradRegressions, WideAndDeepGraphIsBackpropagatedAndFreed) {
  Tensor x = leaf({1.0, 2.0});
  std::weak_ptr<autograd::Node> root;
  {
    Tensor y = x;
    // Each step: two paths that join again, so nodes are shared by several edges.
    for (int64_t i = 0; i < kDeep / 3; ++i) y = y * 0.5 + y * 0.5;
    root = y.grad_fn();
    y.sum().backward(Tensor(), /*retain_graph=*/true);
    EXPECT_EQ(values(x.grad()), (std::vector<double>{1.0, 1.0}));
  }
  EXPECT_TRUE(root.expired());
}

TEST(AutogradRegressions, DeepCreateGraphGradientIsFreed) {
  Tensor x = leaf({3.0});
  const autograd::TensorList grads =
      autograd::grad({chain(x * x, kDeep / 3).sum()}, {x}, {}, std::nullopt, true, false);
  EXPECT_EQ(values(grads[0]), std::vector<double>{6.0});
  EXPECT_TRUE(grads[0].requires_grad());
}

TEST(AutogradRegressions, ViewsOfAnExpandedTensorGetTheGradientOnce) {
  Tensor b = leaf({1.0, 2.0, 3.0});
  b.expand({5, 3}).as_strided({5, 3}, {0, 1}).sum().backward();
  EXPECT_EQ(values(b.grad()), (std::vector<double>{5, 5, 5}));
}

TEST(AutogradRegressions, NormAndStdOfZerosHaveZeroGradients) {
  for (double p : {2.0, 3.0, 0.5, 1.5, -1.0}) {
    Tensor x = leaf({0.0, 0.0, 0.0});
    x.norm(p).backward();
    EXPECT_EQ(values(x.grad()), (std::vector<double>{0, 0, 0})) << "p = " << p;
  }
  Tensor x = leaf({2.0, 2.0, 2.0});
  x.std().backward();
  EXPECT_EQ(values(x.grad()), (std::vector<double>{0, 0, 0}));
}

TEST(AutogradRegressions, ClampPassesTheGradientAtItsBounds) {
  Tensor x = leaf({-1.0, 0.0, 1.0, 2.0});
  clamp(x, Scalar(-1.0), Scalar(1.0)).sum().backward();
  EXPECT_EQ(values(x.grad()), (std::vector<double>{1, 1, 1, 0}));
}

TEST(AutogradRegressions, ReluKeepsTheGraphUnderCreateGraph) {
  Tensor x = leaf({-1.0, 2.0});
  const autograd::TensorList grads =
      autograd::grad({relu(x).sum()}, {x}, {}, std::nullopt, true, false);
  EXPECT_TRUE(grads[0].requires_grad());
  grads[0].sum().backward();
  EXPECT_EQ(values(x.grad()), (std::vector<double>{0, 0}));
}

TEST(AutogradRegressions, AddmmWithBetaZeroGivesInputAZeroGradient) {
  Tensor input = leaf({NAN, 1.0});
  Tensor product = addmm(input, tensor({1.0, 2.0}, kFloat64).reshape({1, 2}),
                         tensor({3.0, 4.0, 5.0, 6.0}, kFloat64).reshape({2, 2}), 0);
  EXPECT_EQ(values(product), (std::vector<double>{13, 16}));
  product.sum().backward();
  EXPECT_EQ(values(input.grad()), (std::vector<double>{0, 0}));
}

TEST(AutogradRegressions, OpsOnEmptyTensorsKeepTheirHistory) {
  Tensor w = leaf({1.0, 2.0});
  Tensor empty_part = w.slice(0, 0, 0);
  Tensor out = (exp(empty_part) * 2).sum();
  ASSERT_TRUE(out.requires_grad());
  out.backward();
  EXPECT_EQ(values(w.grad()), (std::vector<double>{0, 0}));
}

// fuzz_findings.md 1 (Note [in-place on views]): views taken before an in-place write into
// their base, or through another view of it, see the write.
TEST(AutogradRegressions, ViewSeesAnInplaceWriteIntoItsBase) {
  Tensor x = leaf({1.0, 2.0});
  Tensor y = x * 1.0;
  Tensor v = y.narrow(0, 0, 2);
  Tensor chained = y.unsqueeze(0).t();
  y.mul_(2.0);
  EXPECT_EQ(v.grad_fn()->name(), "AsStridedBackward0");
  EXPECT_EQ(values(v), (std::vector<double>{2, 4}));
  (v.sum() + chained.sum()).backward();
  EXPECT_EQ(values(x.grad()), (std::vector<double>{4, 4}));  // was {2, 2}
}

TEST(AutogradRegressions, ViewSeesAnInplaceWriteThroughAnotherView) {
  Tensor x = leaf({1.0, 2.0, 3.0});
  Tensor y = x * x;
  Tensor v = y.narrow(0, 0, 2);
  y.narrow(0, 1, 2).mul_(3.0);  // y = {x0^2, 3 x1^2, 3 x2^2}
  (v * tensor({1.0, 10.0}, kFloat64)).sum().backward();
  EXPECT_EQ(values(x.grad()), (std::vector<double>{2, 120, 0}));
}

TEST(AutogradRegressions, ViewOfABaseAnInplaceWriteGivesHistoryRequiresGrad) {
  Tensor x = leaf({1.0, 2.0});
  Tensor b = zeros({2}, kFloat64);
  Tensor v = b.narrow(0, 0, 2);
  b.add_(x * x);
  Tensor z = v * 3.0;
  ASSERT_TRUE(z.requires_grad());
  z.sum().backward();
  EXPECT_EQ(values(x.grad()), (std::vector<double>{6, 12}));
}

// fuzz_findings.md 4: t * c saved t, so writing into t made backward raise.
TEST(AutogradRegressions, InputsNoNeededGradientReadsAreNotSaved) {
  Tensor x = leaf({1.0, 2.0});
  Tensor y = x * 2.0;
  Tensor c = tensor({2.0, -4.0}, kFloat64);
  Tensor z = (y * 0.5 + y * c + y / c).sum() + matmul(y.reshape({1, 2}), c.reshape({2, 1})).sum();
  y.add_(1.0);
  z.backward();
  // d/dx of x + 2 x c + 2 x / c + 2 x . c
  EXPECT_EQ(values(x.grad()), (std::vector<double>{10, -15.5}));
}

TEST(AutogradRegressions, InputsANeededGradientReadsAreSaved) {
  Tensor x = leaf({1.0, 2.0});
  Tensor c = tensor({3.0, -4.0}, kFloat64);
  Tensor z = c * (x * 2.0);
  c.add_(1.0);
  EXPECT_THROW(z.sum().backward(), RuntimeError);
}

// Issue 7: autograd::grad detached every result, so a gradient that already had no history (a
// grad_output passed through, a hook's tensor) came back as a new tensor and Python lost the
// object's identity. Results with history are still detached.
TEST(AutogradRegressions, GradReturnsHistoryFreeGradientsThemselves) {
  Tensor x = leaf({1.0, 2.0});
  Tensor y = x * 1.0;
  Tensor g = tensor({2.0, 3.0}, kFloat64);
  EXPECT_TRUE(autograd::grad({y}, {y}, {g})[0].is_same(g));
  Tensor tracked = leaf({2.0, 3.0}) * 1.0;
  Tensor z = x * 1.0;
  Tensor result = autograd::grad({z}, {z}, {tracked})[0];
  EXPECT_FALSE(result.is_same(tracked));
  EXPECT_FALSE(result.requires_grad());
}

}  // namespace
}  // namespace ember
