// LBFGS of the C++ frontend: Rosenbrock's minimum with and without the strong-Wolfe line
// search, a quadratic solved in a few iterations, the history bound, the state and the errors.
#include "ember/optim/lbfgs.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ember/base/error.h"
#include "ember/ops/ops.h"
#include "tests/test_support.h"

namespace ember::optim {
namespace {

// (1 - x)^2 + 100 (y - x^2)^2, minimum 0 at (1, 1).
Tensor rosenbrock(const Tensor& p) {
  const Tensor x = p[0], y = p[1];
  return (1 - x).pow(2) + 100 * (y - x * x).pow(2);
}

Tensor minimize_rosenbrock(LBFGSOptions options, int steps, LBFGS** out = nullptr) {
  Tensor p = ember::testing::tensor_of({-1.5, 2.0}, {2}, kFloat64).requires_grad_();
  static std::unique_ptr<LBFGS> keep;
  keep = std::make_unique<LBFGS>(std::vector<Tensor>{p}, options);
  for (int i = 0; i < steps; ++i) {
    keep->step([&] {
      keep->zero_grad();
      Tensor loss = rosenbrock(p);
      loss.backward();
      return loss;
    });
  }
  if (out != nullptr) *out = keep.get();
  return p;
}

TEST(LBFGS, FindsRosenbrocksMinimumWithStrongWolfe) {
  LBFGS* optimizer = nullptr;
  const Tensor p = minimize_rosenbrock(
      LBFGSOptions(1).line_search_fn("strong_wolfe").history_size(10).max_iter(50), 5, &optimizer);
  EXPECT_NEAR(p[0].item<double>(), 1.0, 1e-4);
  EXPECT_NEAR(p[1].item<double>(), 1.0, 1e-4);
  const auto& state = static_cast<const LBFGSParamState&>(
      *optimizer->state().at(state_key(optimizer->param_groups()[0].params()[0])));
  EXPECT_GT(state.n_iter(), 10);
  EXPECT_LE(static_cast<int64_t>(state.old_dirs().size()), 10);
  EXPECT_GE(state.func_evals(), state.n_iter());
}

TEST(LBFGS, FindsRosenbrocksMinimumWithoutLineSearch) {
  const Tensor p = minimize_rosenbrock(LBFGSOptions(0.5).max_iter(100), 30);
  EXPECT_NEAR(p[0].item<double>(), 1.0, 1e-3);
  EXPECT_NEAR(p[1].item<double>(), 1.0, 2e-3);
}

TEST(LBFGS, SolvesAQuadraticInOneStep) {
  // 0.5 x^T A x - b^T x with A = diag(1, 10): solution A^-1 b = (1, 0.2).
  Tensor x = zeros({2}, kFloat64).requires_grad_();
  const Tensor a = ember::testing::tensor_of({1, 10}, {2}, kFloat64);
  const Tensor b = ember::testing::tensor_of({1, 2}, {2}, kFloat64);
  LBFGS optimizer(std::vector<Tensor>{x}, LBFGSOptions(1).line_search_fn("strong_wolfe"));
  const Tensor first = optimizer.step([&] {
    optimizer.zero_grad();
    Tensor loss = (0.5 * a * x * x - b * x).sum();
    loss.backward();
    return loss;
  });
  EXPECT_DOUBLE_EQ(first.item<double>(), 0.0);
  EXPECT_NEAR(x[0].item<double>(), 1.0, 1e-6);
  EXPECT_NEAR(x[1].item<double>(), 0.2, 1e-6);
  const OptimizerStateDict saved = optimizer.state_dict();
  EXPECT_EQ(saved.state.at(0).count("d"), 1u);
  EXPECT_EQ(std::get<std::string>(saved.param_groups[0].at("line_search_fn")), "strong_wolfe");
  EXPECT_EQ(std::get<int64_t>(saved.param_groups[0].at("max_eval")), 25);
}

TEST(LBFGS, Errors) {
  Tensor x = zeros({2}).requires_grad_(), y = zeros({1}).requires_grad_();
  EXPECT_THROW(LBFGS(std::vector<Tensor>{x}, LBFGSOptions(1).line_search_fn("backtracking")),
               ValueError);
  EXPECT_THROW(LBFGS({OptimizerParamGroup({x}), OptimizerParamGroup({y})}), ValueError);
  LBFGS optimizer(std::vector<Tensor>{x});
  EXPECT_THROW(optimizer.step(nullptr), ValueError);
}

}  // namespace
}  // namespace ember::optim
