#include "ember/autograd/gradcheck.h"

#include <cmath>
#include <sstream>

#include "ember/autograd/engine.h"
#include "ember/autograd/grad_mode.h"
#include "ember/base/error.h"
#include "ember/ops/ops.h"

namespace ember::autograd {
namespace {

// L = sum(f(x) * weights): one scalar whose gradient is the vector-Jacobian product.
Tensor weighted_output(const DifferentiableFunction& function, const std::vector<Tensor>& inputs,
                       const Tensor& weights) {
  const Tensor output = function(inputs);
  return (output.to(kFloat64) * weights).sum();
}

}  // namespace

std::string gradcheck(const DifferentiableFunction& function, const std::vector<Tensor>& inputs,
                      const GradcheckOptions& options) {
  std::vector<Tensor> checked;
  for (const Tensor& input : inputs) {
    if (input.requires_grad()) checked.push_back(input);
  }
  if (checked.empty()) return "gradcheck: no input requires grad";
  Tensor probe;
  {
    NoGradGuard no_grad;
    probe = function(inputs);
  }
  manual_seed(options.seed);
  const Tensor weights = randn(probe.shape(), kFloat64);
  const Tensor loss = weighted_output(function, inputs, weights);
  // An output that does not depend on the inputs differentiably (a constant gradient, say)
  // has zero derivative, which the finite differences must confirm.
  const TensorList analytical = loss.requires_grad()
                                    ? grad({loss}, checked, {}, std::nullopt, false, true)
                                    : TensorList(checked.size());

  std::ostringstream report;
  NoGradGuard no_grad;
  for (size_t k = 0; k < checked.size(); ++k) {
    const Tensor& input = checked[k];
    EMBER_CHECK(input.dtype() == kFloat64 && input.is_contiguous(),
                "[gradcheck] inputs must be contiguous float64 tensors");
    double* data = input.data_ptr<double>();
    const Tensor expected =
        analytical[k].defined() ? analytical[k].contiguous() : zeros_like(input);
    const double* expected_data = expected.data_ptr<double>();
    for (int64_t i = 0; i < input.numel(); ++i) {
      const double original = data[i];
      data[i] = original + options.eps;
      const double plus = weighted_output(function, inputs, weights).item().to_double();
      data[i] = original - options.eps;
      const double minus = weighted_output(function, inputs, weights).item().to_double();
      data[i] = original;
      const double numerical = (plus - minus) / (2 * options.eps);
      const double difference = std::abs(numerical - expected_data[i]);
      if (!(difference <= options.atol + options.rtol * std::abs(numerical))) {
        report << "input " << k << " element " << i << ": analytical " << expected_data[i]
               << " numerical " << numerical << "\n";
      }
    }
  }
  return report.str();
}

std::string gradgradcheck(const DifferentiableFunction& function, const std::vector<Tensor>& inputs,
                          const GradcheckOptions& options) {
  std::vector<Tensor> checked;
  for (const Tensor& input : inputs) {
    if (input.requires_grad()) checked.push_back(input);
  }
  Tensor probe;
  {
    NoGradGuard no_grad;
    probe = function(inputs);
  }
  manual_seed(options.seed + 1);
  const Tensor weights = randn(probe.shape(), kFloat64);
  std::vector<Tensor> grad_weights;
  for (const Tensor& input : checked) grad_weights.push_back(randn(input.shape(), kFloat64));
  // The first-order gradients as one function of the inputs, flattened and concatenated
  // through a weighted sum so that gradcheck sees a single output.
  const DifferentiableFunction first_order = [&](const std::vector<Tensor>& values) {
    // gradcheck evaluates this under no_grad for its finite differences; the gradient inside
    // still needs a graph.
    EnableGradGuard enable_grad;
    const Tensor loss = weighted_output(function, values, weights);
    const TensorList grads = grad({loss}, checked, {}, true, true, true);
    Tensor total = zeros({}, kFloat64);
    for (size_t k = 0; k < grads.size(); ++k) {
      if (grads[k].defined()) total = total + (grads[k] * grad_weights[k]).sum();
    }
    return total;
  };
  return gradcheck(first_order, inputs, options);
}

}  // namespace ember::autograd
