// A custom autograd Function as in libtorch's "custom autograd function" docs: a linear layer
// with a hand-written backward and its scale kept in ctx->saved_data, checked against the
// gradients of the same expression from built-in ops, then fitted by gradient descent.
#include <ember/ember.h>

#include <iostream>

#include "check.h"

namespace torch = ember;
using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// output = scale * (input weight^T + bias); bias may be undefined.
class LinearFunction : public torch::autograd::Function<LinearFunction> {
 public:
  static torch::Tensor forward(AutogradContext* ctx, torch::Tensor input, torch::Tensor weight,
                               torch::Tensor bias = torch::Tensor(), double scale = 1.0) {
    ctx->save_for_backward({input, weight, bias});
    ctx->saved_data["scale"] = scale;
    auto output = input.mm(weight.t());
    if (bias.defined()) {
      output += bias.unsqueeze(0).expand_as(output);
    }
    return output * scale;
  }

  static variable_list backward(AutogradContext* ctx, variable_list grad_outputs) {
    auto saved = ctx->get_saved_variables();
    auto input = saved[0];
    auto weight = saved[1];
    auto bias = saved[2];
    auto grad_output = grad_outputs[0] * ctx->saved_data["scale"].toDouble();
    torch::Tensor grad_input, grad_weight, grad_bias;
    if (ctx->needs_input_grad(0)) grad_input = grad_output.mm(weight);
    if (ctx->needs_input_grad(1)) grad_weight = grad_output.t().mm(input);
    if (bias.defined() && ctx->needs_input_grad(2)) grad_bias = grad_output.sum({0});
    // One per forward argument: the scale, not a tensor, gets an undefined one.
    return {grad_input, grad_weight, grad_bias, torch::Tensor()};
  }
};

class MulConstant : public torch::autograd::Function<MulConstant> {
 public:
  static torch::Tensor forward(AutogradContext* ctx, torch::Tensor tensor, double constant) {
    ctx->saved_data["constant"] = constant;
    return tensor * constant;
  }

  static variable_list backward(AutogradContext* ctx, variable_list grad_outputs) {
    return {grad_outputs[0] * ctx->saved_data["constant"].toDouble(), torch::Tensor()};
  }
};

double max_difference(const torch::Tensor& a, const torch::Tensor& b) {
  return (a - b).abs().max().item<double>();
}

int main() {
  torch::manual_seed(0);
  auto input = torch::randn({4, 3}, torch::kDouble).requires_grad_();
  auto weight = torch::randn({2, 3}, torch::kDouble).requires_grad_();
  auto bias = torch::randn({2}, torch::kDouble).requires_grad_();

  // The custom backward against autograd through the same expression in built-in ops.
  auto output = LinearFunction::apply(input, weight, bias, 0.5);
  auto reference = (input.mm(weight.t()) + bias) * 0.5;
  CHECK(max_difference(output, reference) < 1e-12);
  auto grads = torch::autograd::grad({(output * output).sum()}, {input, weight, bias});
  auto expected = torch::autograd::grad({(reference * reference).sum()}, {input, weight, bias});
  for (size_t i = 0; i < grads.size(); ++i) {
    CHECK(max_difference(grads[i], expected[i]) < 1e-12);
  }
  // Without a bias (the default argument): backward's extra undefined gradients are dropped.
  auto no_bias = LinearFunction::apply(input, weight);
  no_bias.sum().backward();
  CHECK(max_difference(weight.grad(), torch::ones({4, 2}, torch::kDouble).t().mm(input)) < 1e-12);

  auto x = torch::randn({3}, torch::kDouble).requires_grad_();
  MulConstant::apply(x, 5.5).sum().backward();
  CHECK(max_difference(x.grad(), torch::full({3}, 5.5, torch::kDouble)) < 1e-12);

  // Fit weight and bias to a linear target by gradient descent through the custom Function.
  auto data = torch::randn({64, 3}, torch::kDouble);
  auto target = data.mm(torch::randn({2, 3}, torch::kDouble).t()) + 0.25;
  auto w = torch::zeros({2, 3}, torch::kDouble).requires_grad_();
  auto b = torch::zeros({2}, torch::kDouble).requires_grad_();
  double first_loss = 0, loss_value = 0;
  for (int step = 0; step < 200; ++step) {
    auto loss = (LinearFunction::apply(data, w, b, 0.5) - target).pow(2).mean();
    loss_value = loss.item<double>();
    if (step == 0) first_loss = loss_value;
    auto step_grads = torch::autograd::grad({loss}, {w, b});
    w = (w - 0.5 * step_grads[0]).detach().requires_grad_();
    b = (b - 0.5 * step_grads[1]).detach().requires_grad_();
  }
  std::cout << "loss " << first_loss << " -> " << loss_value << "\n";
  CHECK(loss_value < 1e-3 * first_loss);
  return 0;
}
