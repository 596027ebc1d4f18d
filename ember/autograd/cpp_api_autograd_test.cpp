// The libtorch-shaped autograd entry points: top-level guards, GradMode, variable_list,
// autograd::backward/grad defaults, hooks that observe or replace, mutable_grad, and factories
// that make leaves through TensorOptions::requires_grad.
#include <gtest/gtest.h>

#include <vector>

#include "ember/autograd/engine.h"
#include "ember/autograd/grad_mode.h"
#include "ember/autograd/variable.h"
#include "ember/base/error.h"
#include "ember/base/error_testing.h"
#include "ember/ops/ops.h"
#include "tests/test_support.h"

namespace ember {
namespace {

using test_support::contains;
using test_support::error_of;
using testing::values;
using Values = std::vector<double>;

TEST(CppApiAutograd, TopLevelGuards) {
  ASSERT_TRUE(GradMode::is_enabled());
  const Tensor x = ones({2}, requires_grad());
  {
    NoGradGuard guard;
    EXPECT_FALSE(GradMode::is_enabled());
    EXPECT_FALSE((x * 2).requires_grad());
    {
      AutoGradMode enable(true);
      EXPECT_TRUE((x * 2).requires_grad());
    }
    EXPECT_FALSE(autograd::is_grad_enabled());
  }
  {
    autograd::NoGradGuard same_guard;  // the same class under its autograd name
    EXPECT_FALSE(GradMode::is_enabled());
  }
  {
    InferenceMode inference;
    EXPECT_FALSE((x * 2).requires_grad());
    InferenceMode off(false);
    EXPECT_TRUE((x * 2).requires_grad());
  }
  GradMode::set_enabled(false);
  EXPECT_FALSE(autograd::is_grad_enabled());
  GradMode::set_enabled(true);
  EXPECT_TRUE(GradMode::is_enabled());
}

TEST(CppApiAutograd, BackwardAndGradDefaults) {
  Tensor x = tensor({1.0, 2.0}, dtype(kDouble).requires_grad(true));
  const autograd::variable_list outputs = {(x * x).sum()};
  autograd::backward(outputs);
  EXPECT_EQ(values(x.grad()), (Values{2, 4}));
  const autograd::variable_list grads = autograd::grad({(x * 3).sum()}, {x});
  EXPECT_EQ(values(grads[0]), (Values{3, 3}));
  EXPECT_EQ(values(x.grad()), (Values{2, 4}));  // grad() leaves .grad alone
  (x * 2).backward(ones({2}, kDouble), /*retain_graph=*/std::nullopt, /*create_graph=*/false,
                   /*inputs=*/{x});
  EXPECT_EQ(values(x.grad()), (Values{4, 6}));
}

TEST(CppApiAutograd, MutableGrad) {
  Tensor x = zeros({2}, dtype(kDouble).requires_grad(true));
  EXPECT_TRUE(x.is_leaf());
  x.mutable_grad() = full({2}, 5.0, kDouble);
  EXPECT_EQ(values(x.grad()), (Values{5, 5}));
  (x * 1).sum().backward();
  EXPECT_EQ(values(x.grad()), (Values{6, 6}));
  x.mutable_grad().zero_();
  EXPECT_EQ(values(x.grad()), (Values{0, 0}));
  x.mutable_grad() = Tensor();
  EXPECT_FALSE(x.grad().defined());
  // A non-leaf after retain_grad: the slot is the retained gradient.
  Tensor y = x * 2;
  y.retain_grad();
  y.sum().backward();
  EXPECT_EQ(values(y.mutable_grad()), (Values{1, 1}));
}

TEST(CppApiAutograd, HooksObserveOrReplace) {
  Tensor x = ones({2}, dtype(kDouble).requires_grad(true));
  std::vector<double> observed;
  const unsigned observe = x.register_hook([&](Tensor grad) { observed = values(grad); });
  const unsigned replace = x.register_hook([](const Tensor& grad) { return grad * 10; });
  EXPECT_NE(observe, replace);
  (x * 3).sum().backward();
  EXPECT_EQ(observed, (Values{3, 3}));
  EXPECT_EQ(values(x.grad()), (Values{30, 30}));
  x.remove_hook(replace);
  x.mutable_grad() = Tensor();
  (x * 3).sum().backward();
  EXPECT_EQ(values(x.grad()), (Values{3, 3}));

  // On a non-leaf, the hook sits on its grad_fn; remove_hook finds it by the same handle.
  Tensor y = x * 2;
  int calls = 0;
  const unsigned counted = y.register_hook([&](const Tensor&) { ++calls; });
  y.sum().backward();
  EXPECT_EQ(calls, 1);
  y.remove_hook(counted);
  Tensor z = x * 2;
  z.sum().backward();
  EXPECT_EQ(calls, 1);
  EXPECT_TRUE(contains(error_of<RuntimeError>([] { ones({1}).register_hook([](Tensor) {}); }),
                       "[register_hook] cannot register a hook on a tensor that doesn't"));
}

TEST(CppApiAutograd, FactoryLeavesTrain) {
  Tensor w = randn({3}, dtype(kDouble).requires_grad(true));
  EXPECT_TRUE(w.is_leaf());
  EXPECT_EQ(w.grad_fn(), nullptr);
  Tensor loss = (w * w).sum();
  ASSERT_NE(loss.grad_fn(), nullptr);
  loss.backward();
  EXPECT_EQ(values(w.grad()), values(w * 2));
  Tensor leaf = tensor({1.0}).set_requires_grad(true);
  EXPECT_TRUE(leaf.requires_grad());
}

}  // namespace
}  // namespace ember
