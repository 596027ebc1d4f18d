// gradcheck itself (RELIABILITY T4/T5): both modes pass right gradients and catch wrong ones,
// on non-contiguous, float32 and multi-output cases, and leave the inputs as they were.
#include <gtest/gtest.h>

#include <string>

#include "ember/autograd/function.h"
#include "ember/autograd/gradcheck.h"
#include "ember/base/error.h"
#include "ember/ops/ops.h"
#include "tests/test_support.h"

namespace ember {
namespace {

using autograd::gradcheck;
using autograd::GradcheckOptions;
using autograd::gradgradcheck;
using autograd::TensorList;
using testing::leaf;

GradcheckOptions fast() {
  GradcheckOptions options;
  options.fast_mode = true;
  return options;
}

// sin with a backward that is off by `error` (scaled) in one element: a wrong gradient.
struct WrongSin : autograd::Function<WrongSin> {
  static Tensor forward(autograd::AutogradContext* context, const Tensor& x) {
    context->save_for_backward({x});
    return x.sin();
  }
  static TensorList backward(autograd::AutogradContext* context, TensorList grads) {
    const Tensor x = context->get_saved_variables()[0];
    Tensor derivative = x.cos().clone();
    derivative.view({-1}).select(0, 0).mul_(1.1);
    return {grads[0] * derivative};
  }
};

const auto product = [](const std::vector<Tensor>& in) { return (in[0] * in[1].exp()).sum({1}); };
const auto wrong = [](const std::vector<Tensor>& in) { return WrongSin::apply(in[0]); };

TEST(Gradcheck, BothModesPassARightGradient) {
  const TensorList inputs{leaf({3, 4}), leaf({3, 4})};
  EXPECT_EQ(gradcheck(product, inputs), "");
  EXPECT_EQ(gradcheck(product, inputs, fast()), "");
  EXPECT_EQ(gradgradcheck(autograd::MultiOutputFunction(
                              [](const TensorList& in) { return TensorList{product(in)}; }),
                          inputs, {}, fast()),
            "");
}

TEST(Gradcheck, BothModesCatchAWrongGradient) {
  const TensorList inputs{leaf({2, 3})};
  EXPECT_NE(gradcheck(wrong, inputs).find("Jacobian mismatch for output 0 with respect to input 0"),
            std::string::npos);
  const std::string report = gradcheck(wrong, inputs, fast());
  EXPECT_NE(report.find("Jacobian mismatch for output 0 with respect to input 0"),
            std::string::npos);
  EXPECT_NE(report.find("fast mode"), std::string::npos);
}

TEST(Gradcheck, FastModeChecksEveryInputOutputPair) {
  // The second output's gradient w.r.t. the second input is wrong; the first pair is right.
  const autograd::MultiOutputFunction function = [](const TensorList& in) {
    return TensorList{in[0].exp(), WrongSin::apply(in[1]) * in[0].sum()};
  };
  const std::string report = gradcheck(function, {leaf({3}), leaf({4})}, fast());
  EXPECT_NE(report.find("for output 1 with respect to input 1"), std::string::npos) << report;
}

TEST(Gradcheck, NonContiguousInputsAreRestored) {
  Tensor base = empty({4, 6}, kFloat64);
  base.uniform_(-1.0, 1.0);
  const Tensor x = base.slice(1, 0, 6, 2).t().detach().requires_grad_();
  const std::vector<double> before = testing::values(x);
  const auto function = [](const std::vector<Tensor>& in) {
    return (in[0].square() * in[0]).sum({0});
  };
  for (bool fast_mode : {false, true}) {
    GradcheckOptions options;
    options.fast_mode = fast_mode;
    EXPECT_EQ(gradcheck(function, {x}, options), "");
    EXPECT_EQ(testing::values(x), before);
  }
}

TEST(Gradcheck, Float32InputsWithLooserTolerances) {
  const Tensor x = leaf({5}).to(kFloat32).detach().requires_grad_();
  GradcheckOptions options = fast();
  options.eps = 1e-3;
  options.atol = 1e-3;
  options.rtol = 1e-2;
  EXPECT_EQ(gradcheck([](const std::vector<Tensor>& in) { return in[0].tanh(); }, {x}, options),
            "");
}

TEST(Gradcheck, RefusesInputsItCannotPerturb) {
  const auto identity = [](const std::vector<Tensor>& in) { return in[0] * 1; };
  EXPECT_THROW(gradcheck(identity, {empty({3}, kFloat64)}), ValueError);
  const Tensor expanded = leaf({1}).expand({3});
  EXPECT_NE(testing::message_of([&] { gradcheck(identity, {expanded}); }).find("stride 0"),
            std::string::npos);
}

}  // namespace
}  // namespace ember
