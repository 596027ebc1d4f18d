// Autograd as a libtorch user drives it: options with requires_grad, tensor hooks that observe
// or replace a gradient, retain_grad on an intermediate, torch::autograd::grad with create_graph
// for a second derivative, NoGradGuard, and the gradient slot written through mutable_grad().
#include <ember/ember.h>

#include <cmath>
#include <vector>

#include "check.h"

namespace torch = ember;

namespace {
bool close(double a, double b) { return std::abs(a - b) < 1e-9; }
}  // namespace

int main() {
  torch::manual_seed(0);
  auto x = torch::tensor({1.0, 2.0, 3.0}, torch::dtype(torch::kDouble).requires_grad(true));
  CHECK(x.requires_grad() && x.is_leaf());

  // y = x^2 (intermediate, retained), loss = sum(3 * y)
  auto y = x * x;
  y.retain_grad();
  std::vector<double> seen;
  y.register_hook([&seen](torch::Tensor grad) {
    for (int64_t i = 0; i < grad.numel(); ++i) seen.push_back(grad[i].item<double>());
  });
  // A hook that returns a tensor replaces the gradient flowing into x.
  const auto handle = x.register_hook([](const torch::Tensor& grad) { return grad * 2; });
  auto loss = (3 * y).sum();
  CHECK(loss.grad_fn() != nullptr && !loss.is_leaf());
  loss.backward();
  CHECK(seen == (std::vector<double>{3, 3, 3}));
  CHECK(close(y.grad()[1].item<double>(), 3));
  // d loss / dx = 6x, doubled by the hook.
  torch::Tensor x_grad = x.grad();
  auto gx = x_grad.accessor<double, 1>();
  CHECK(close(gx[0], 12) && close(gx[1], 24) && close(gx[2], 36));

  // Gradients accumulate; zero them through the mutable slot, then remove the hook.
  x.mutable_grad().zero_();
  x.remove_hook(handle);
  (x * x).sum().backward();
  CHECK(close(x.grad()[2].item<double>(), 6));
  x.mutable_grad() = torch::Tensor();
  CHECK(!x.grad().defined());

  // Second derivative of sum(x^3): first 3x^2 (with create_graph), then 6x.
  auto cube = x.pow(3).sum();
  torch::autograd::variable_list first =
      torch::autograd::grad({cube}, {x}, /*grad_outputs=*/{}, /*retain_graph=*/true,
                            /*create_graph=*/true);
  CHECK(first[0].requires_grad());
  CHECK(close(first[0][1].item<double>(), 12));
  auto second = torch::autograd::grad({first[0].sum()}, {x});
  CHECK(close(second[0][0].item<double>(), 6) && close(second[0][2].item<double>(), 18));
  CHECK(!x.grad().defined());  // autograd::grad leaves .grad alone

  // torch::autograd::backward with explicit grad_tensors.
  auto z = x * 2;
  torch::autograd::backward({z}, {torch::ones({3}, torch::kDouble)});
  CHECK(close(x.grad()[0].item<double>(), 2));

  {
    torch::NoGradGuard no_grad;
    CHECK(!torch::GradMode::is_enabled());
    auto w = x * 2;
    CHECK(!w.requires_grad());
    {
      torch::AutoGradMode enable(true);
      CHECK((x * 2).requires_grad());
    }
  }
  {
    torch::InferenceMode guard;
    CHECK(!(x + 1).requires_grad());
  }
  CHECK(torch::GradMode::is_enabled());

  // detach, requires_grad_ and set_requires_grad on a fresh leaf.
  auto d = x.detach();
  CHECK(!d.requires_grad());
  auto leaf = torch::randn({2, 2}).requires_grad_();
  CHECK(leaf.requires_grad());
  leaf.set_requires_grad(false);
  CHECK(!leaf.requires_grad());
  auto weights = torch::zeros({2}, torch::requires_grad());
  CHECK(weights.requires_grad() && weights.scalar_type() == torch::kFloat);
  return 0;
}
