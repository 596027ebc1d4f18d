// The engine and the gradient rules: hand-derived gradients, gradcheck/gradgradcheck in float64
// over every primitive's rule on contiguous, non-contiguous and broadcast inputs, and the
// autograd safety errors (B18-B22).
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "ember/autograd/engine.h"
#include "ember/autograd/function.h"
#include "ember/autograd/grad_mode.h"
#include "ember/autograd/gradcheck.h"
#include "ember/autograd/node.h"
#include "ember/base/error.h"
#include "ember/ops/ops.h"
#include "tests/test_support.h"

namespace ember {
namespace {

using testing::leaf;
using testing::message_of;
using testing::values;

using autograd::gradcheck;
using autograd::gradgradcheck;

TEST(Autograd, SimpleChainRule) {
  Tensor x = tensor({1.0, 2.0, 3.0}, kFloat64).requires_grad_();
  Tensor y = (x * x * 3 + x).sum();  // dy/dx = 6x + 1
  y.backward();
  EXPECT_EQ(values(x.grad()), (std::vector<double>{7, 13, 19}));
  EXPECT_EQ((x * x).grad_fn()->name(), "MulBackward0");
  EXPECT_TRUE(x.is_leaf());
  EXPECT_FALSE(y.is_leaf());
}

TEST(Autograd, CastsRouteGradientsBackInTheInputType) {
  Tensor x = tensor({1.0, 2.0}, kFloat64).requires_grad_();
  (x.to(kFloat32) * 2).sum().backward();
  EXPECT_EQ(x.grad().dtype(), kFloat64);
  EXPECT_EQ(values(x.grad()), (std::vector<double>{2, 2}));
}

TEST(Autograd, GradientsAccumulateAcrossBackwardCalls) {
  Tensor x = tensor({2.0}, kFloat64).requires_grad_();
  (x * 3).sum().backward();
  (x * 4).sum().backward();
  EXPECT_EQ(values(x.grad()), (std::vector<double>{7}));
}

TEST(Autograd, DynamicControlFlow) {
  Tensor x = tensor({0.5}, kFloat64).requires_grad_();
  Tensor y = x;
  for (int i = 0; i < 5; ++i) y = (y.item<double>() > 0.1) ? y * 0.5 : y + 1;
  y.sum().backward();
  EXPECT_NEAR(values(x.grad())[0], std::pow(0.5, 4),
              1e-12);  // 0.5 -> .25 -> .125 -> .0625 -> +1 -> *0.5
}

TEST(Autograd, GradOfGradient) {
  Tensor x = tensor({1.5}, kFloat64).requires_grad_();
  Tensor y = (x * x * x).sum();
  auto first = autograd::grad({y}, {x}, {}, std::nullopt, /*create_graph=*/true);
  EXPECT_NEAR(values(first[0])[0], 3 * 1.5 * 1.5, 1e-12);
  auto second = autograd::grad({first[0].sum()}, {x}, {}, std::nullopt, true);
  EXPECT_NEAR(values(second[0])[0], 6 * 1.5, 1e-12);
  auto third = autograd::grad({second[0].sum()}, {x});
  EXPECT_NEAR(values(third[0])[0], 6.0, 1e-12);
}

TEST(Autograd, NoGradAndDetach) {
  Tensor x = leaf({3});
  {
    autograd::NoGradGuard guard;
    EXPECT_FALSE((x * 2).requires_grad());
  }
  EXPECT_TRUE((x * 2).requires_grad());
  EXPECT_FALSE((x * 2).detach().requires_grad());
}

TEST(Autograd, HooksAndRetainGrad) {
  Tensor x = tensor({1.0, 2.0}, kFloat64).requires_grad_();
  Tensor y = x * 2;
  y.retain_grad();
  const int64_t handle = x.register_hook([](const Tensor& grad) { return grad * 10; });
  (y * y).sum().backward();
  EXPECT_EQ(values(y.grad()), (std::vector<double>{4, 8}));
  EXPECT_EQ(values(x.grad()), (std::vector<double>{80, 160}));
  x.remove_hook(handle);
  x.set_grad(Tensor());
  (x * 2).sum().backward();
  EXPECT_EQ(values(x.grad()), (std::vector<double>{2, 2}));
}

TEST(AutogradErrors, BackwardTwiceThroughFreedGraph) {  // B18
  Tensor x = leaf({3});
  Tensor y = (x.exp() * 2).sum();
  y.backward();
  EXPECT_NE(
      message_of([&] { y.backward(); }).find("Trying to backward through the graph a second time"),
      std::string::npos);
}

TEST(AutogradErrors, SavedTensorModifiedInPlace) {  // B20
  Tensor x = leaf({3});
  Tensor y = x.sigmoid();
  y.mul_(2);
  const std::string message = message_of([&] { y.sum().backward(); });
  EXPECT_NE(message.find("modified by an inplace operation"), std::string::npos) << message;
  EXPECT_NE(message.find("SigmoidBackward0"), std::string::npos) << message;
}

TEST(AutogradErrors, InPlaceOnLeafAndNonScalarBackward) {  // B21, B22
  Tensor w = leaf({2});
  EXPECT_NE(message_of([&] { w.add_(1); }).find("a leaf Variable that requires grad"),
            std::string::npos);
  {
    autograd::NoGradGuard guard;
    EXPECT_NO_THROW(w.add_(1));
  }
  EXPECT_NE(message_of([&] {
              (w * 2).backward();
            }).find("grad can be implicitly created only for scalar outputs"),
            std::string::npos);
  EXPECT_NE(message_of([] { zeros({1}).backward(); }).find("does not require grad"),
            std::string::npos);
  EXPECT_NE(message_of([&] {
              (w * 2).backward(ones({1, 2}));
            }).find("Mismatch in shape"),
            std::string::npos);
}

TEST(AutogradErrors, InPlaceOnNonLeafIsDifferentiated) {
  Tensor x = tensor({1.0, 2.0}, kFloat64).requires_grad_();
  Tensor y = x * 3;
  y.add_(1);
  y.mul_(y.detach().clone());
  y.sum().backward();  // d/dx ((3x + 1) * c) = 3c with c = 3x + 1
  EXPECT_EQ(values(x.grad()), (std::vector<double>{12, 21}));
}

// A custom function: y = x^3 with a hand-written backward that also works with create_graph.
struct Cube : autograd::Function<Cube> {
  static Tensor forward(autograd::AutogradContext* context, const Tensor& x) {
    context->save_for_backward({x});
    return x * x * x;
  }
  static autograd::TensorList backward(autograd::AutogradContext* context,
                                       autograd::TensorList grads) {
    const Tensor x = context->get_saved_variables()[0];
    return {grads[0] * 3 * x * x};
  }
};

TEST(CustomFunction, ForwardBackwardAndDoubleBackward) {
  Tensor x = tensor({1.0, 2.0}, kFloat64).requires_grad_();
  Tensor y = Cube::apply(x);
  // Named as libtorch names a C++ Function: its demangled type name.
  EXPECT_EQ(y.grad_fn()->name(), "ember::(anonymous namespace)::Cube");
  auto first = autograd::grad({y.sum()}, {x}, {}, std::nullopt, /*create_graph=*/true);
  EXPECT_EQ(values(first[0]), (std::vector<double>{3, 12}));
  auto second = autograd::grad({first[0].sum()}, {x});
  EXPECT_EQ(values(second[0]), (std::vector<double>{6, 12}));
  EXPECT_EQ(
      gradcheck([](const std::vector<Tensor>& in) { return Cube::apply(in[0]); }, {leaf({3})}), "");
}

TEST(CustomFunction, SavedInputModifiedInPlaceIsReported) {
  Tensor x = tensor({1.0, 2.0}, kFloat64).requires_grad_();
  Tensor input = x * 1;
  Tensor y = Cube::apply(input);
  input.mul_(2);
  EXPECT_NE(message_of([&] { y.sum().backward(); }).find("modified by an inplace operation"),
            std::string::npos);
}

struct RuleCase {
  const char* name;
  autograd::DifferentiableFunction function;
  std::vector<Tensor> inputs;
};

std::vector<RuleCase> rule_cases() {
  manual_seed(42);
  std::vector<RuleCase> cases;
  auto unary = [&](const char* name, Tensor (*op)(const Tensor&), double low = -1,
                   double high = 1) {
    cases.push_back({name,
                     [op](const std::vector<Tensor>& in) { return op(in[0]); },
                     {leaf({2, 3}, low, high)}});
    // non-contiguous: a transposed input
    cases.push_back({name,
                     [op](const std::vector<Tensor>& in) { return op(in[0].t()); },
                     {leaf({3, 2}, low, high)}});
  };
  unary("neg", &neg);
  unary("abs", &abs, 0.1, 1);
  unary("exp", &exp);
  unary("log", &log, 0.5, 2);
  unary("log1p", &log1p, 0, 1);
  unary("expm1", &expm1);
  unary("sqrt", &sqrt, 0.5, 2);
  unary("rsqrt", &rsqrt, 0.5, 2);
  unary("sin", &sin);
  unary("cos", &cos);
  unary("tanh", &tanh);
  unary("sigmoid", &sigmoid);
  unary("relu", &relu, 0.1, 1);
  unary("erf", &erf);
  unary("reciprocal", &reciprocal, 0.5, 2);
  unary("square", &square);
  auto binary = [&](const char* name, Tensor (*op)(const Tensor&, const Tensor&), double low = -1,
                    double high = 1) {
    cases.push_back({name,
                     [op](const std::vector<Tensor>& in) { return op(in[0], in[1]); },
                     {leaf({2, 3}, low, high), leaf({2, 3}, low, high)}});
    // broadcast: (2, 3) with (3,)
    cases.push_back({name,
                     [op](const std::vector<Tensor>& in) { return op(in[0], in[1]); },
                     {leaf({2, 3}, low, high), leaf({3}, low, high)}});
  };
  binary("add", static_cast<Tensor (*)(const Tensor&, const Tensor&)>(&add));
  binary("sub", static_cast<Tensor (*)(const Tensor&, const Tensor&)>(&sub));
  binary("mul", static_cast<Tensor (*)(const Tensor&, const Tensor&)>(&mul));
  binary("div", static_cast<Tensor (*)(const Tensor&, const Tensor&)>(&div), 0.5, 2);
  binary("pow", static_cast<Tensor (*)(const Tensor&, const Tensor&)>(&pow), 0.5, 2);
  binary("maximum", static_cast<Tensor (*)(const Tensor&, const Tensor&)>(&maximum));
  binary("minimum", static_cast<Tensor (*)(const Tensor&, const Tensor&)>(&minimum));
  cases.push_back({"where",
                   [](const std::vector<Tensor>& in) { return where(in[0] > 0, in[0], in[1]); },
                   {leaf({4}), leaf({4})}});
  cases.push_back(
      {"clamp", [](const std::vector<Tensor>& in) { return in[0].clamp(-0.5, 0.5); }, {leaf({5})}});
  cases.push_back({"sum_dims",
                   [](const std::vector<Tensor>& in) {
                     return in[0].sum({0, 2}, true);
                   },
                   {leaf({2, 3, 2})}});
  cases.push_back(
      {"mean", [](const std::vector<Tensor>& in) { return in[0].mean({1}); }, {leaf({2, 3})}});
  cases.push_back({"prod",
                   [](const std::vector<Tensor>& in) { return in[0].prod(1); },
                   {leaf({2, 3}, 0.5, 1.5)}});
  cases.push_back(
      {"amax", [](const std::vector<Tensor>& in) { return in[0].amax({1}); }, {leaf({2, 3})}});
  cases.push_back({"max_dim",
                   [](const std::vector<Tensor>& in) { return std::get<0>(in[0].max(0)); },
                   {leaf({3, 2})}});
  cases.push_back(
      {"var", [](const std::vector<Tensor>& in) { return in[0].var({1}); }, {leaf({2, 4})}});
  cases.push_back({"logsumexp",
                   [](const std::vector<Tensor>& in) { return in[0].logsumexp({1}); },
                   {leaf({2, 3})}});
  cases.push_back(
      {"norm", [](const std::vector<Tensor>& in) { return in[0].norm(2); }, {leaf({4})}});
  cases.push_back({"mm",
                   [](const std::vector<Tensor>& in) { return in[0].mm(in[1]); },
                   {leaf({2, 3}), leaf({3, 4})}});
  cases.push_back({"mm_t",
                   [](const std::vector<Tensor>& in) { return in[0].t().mm(in[1]); },
                   {leaf({3, 2}), leaf({3, 4})}});
  cases.push_back({"matmul_batched",
                   [](const std::vector<Tensor>& in) { return in[0].matmul(in[1]); },
                   {leaf({2, 2, 3}), leaf({3, 2})}});
  cases.push_back({"addmm",
                   [](const std::vector<Tensor>& in) { return in[0].addmm(in[1], in[2], 0.5, 2); },
                   {leaf({2}), leaf({2, 3}), leaf({3, 2})}});
  cases.push_back(
      {"views",
       [](const std::vector<Tensor>& in) {
         return in[0].permute({1, 0}).reshape({6}).unsqueeze(0).expand({2, 6}).select(1, 2);
       },
       {leaf({2, 3})}});
  cases.push_back({"slice_step",
                   [](const std::vector<Tensor>& in) { return in[0].slice(1, 1, 6, 2); },
                   {leaf({2, 6})}});
  cases.push_back({"as_strided",
                   [](const std::vector<Tensor>& in) {
                     return in[0].as_strided({2, 2}, {1, 2}, 1);
                   },
                   {leaf({6})}});
  cases.push_back({"masked_fill",
                   [](const std::vector<Tensor>& in) { return in[0].masked_fill(in[0] > 0, 1.5); },
                   {leaf({5})}});
  return cases;
}

TEST(Gradcheck, EveryRuleFirstOrder) {
  for (const RuleCase& rule : rule_cases()) {
    EXPECT_EQ(gradcheck(rule.function, rule.inputs), "") << rule.name;
  }
}

TEST(Gradcheck, EveryRuleSecondOrder) {
  for (const RuleCase& rule : rule_cases()) {
    EXPECT_EQ(gradgradcheck(rule.function, rule.inputs), "") << rule.name;
  }
}

}  // namespace
}  // namespace ember

namespace ember {
namespace {

TEST(InPlaceOnViews, WritingThroughAViewRebasesTheBase) {
  Tensor x = tensor({1.0, 2.0, 3.0}, kFloat64).requires_grad_();
  Tensor y = x * 2;
  y.select(0, 1).mul_(10);   // y = [2x0, 20x1, 2x2]
  (y * y).sum().backward();  // d/dx = 2y * dy/dx
  EXPECT_EQ(values(x.grad()), (std::vector<double>{8, 1600, 24}));
}

TEST(InPlaceOnViews, CopyIntoASliceOfAFreshTensor) {
  Tensor x = tensor({1.0, 2.0}, kFloat64).requires_grad_();
  Tensor y = zeros({4}, kFloat64);
  y.slice(0, 1, 3).copy_(x * 3);
  EXPECT_TRUE(y.requires_grad());
  (y * tensor({1.0, 2.0, 3.0, 4.0}, kFloat64)).sum().backward();
  EXPECT_EQ(values(x.grad()), (std::vector<double>{6, 9}));
}

TEST(InPlaceOnViews, ViewOfALeafIsRejected) {
  Tensor w = tensor({1.0, 2.0}, kFloat64).requires_grad_();
  EXPECT_NE(message_of([&] { w.select(0, 0).add_(1); }).find("a view of a leaf Variable"),
            std::string::npos);
}

TEST(InPlaceOnViews, Gradcheck) {
  const auto function = [](const std::vector<Tensor>& in) {
    Tensor y = in[0] * 1;
    y.slice(1, 0, 3, 2).mul_(in[1]);
    return y.exp();
  };
  EXPECT_EQ(gradcheck(function, {leaf({2, 4}), leaf({2, 2})}), "");
  EXPECT_EQ(gradgradcheck(function, {leaf({2, 4}), leaf({2, 2})}), "");
}

}  // namespace
}  // namespace ember
