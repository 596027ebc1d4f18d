// Finite-difference checks of gradients (RELIABILITY.md T4/T5), with PyTorch's semantics; the
// Python ember.autograd.gradcheck/gradgradcheck are thin shells over these.
//
// gradcheck compares autograd's derivatives of function(inputs) with central differences,
// perturbing the inputs that require grad in place (bypassing the version counter, as PyTorch
// writes through .data). Full mode builds both Jacobians, one backward per output element and
// two evaluations per input element. Fast mode (fast_mode=true, PyTorch's "fast gradcheck")
// compares the scalars v^T J u for random unit vectors u (per input) and v (per output): one
// backward per output and two evaluations per input, with atol scaled by sum(u) * sum(v).
// gradgradcheck runs gradcheck on (inputs, grad_outputs) -> autograd::grad(function(inputs),
// inputs, grad_outputs, create_graph=true), i.e. the second-order derivatives.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "ember/autograd/node.h"
#include "ember/tensor/tensor.h"

namespace ember::autograd {

// The outputs compared are the defined floating-point ones.
using MultiOutputFunction = std::function<TensorList(const TensorList&)>;
using DifferentiableFunction = std::function<Tensor(const std::vector<Tensor>&)>;

struct GradcheckOptions {
  double eps = 1e-6;
  double atol = 1e-5;
  double rtol = 1e-3;
  // How far two backward passes with the same grad_output may differ (reentrancy).
  double nondet_tol = 0.0;
  bool fast_mode = false;
  // Gradients must have their input's dtype (else only its shape is checked).
  bool check_grad_dtypes = false;
  // Seeds the random directions (fast mode) and gradgradcheck's grad_outputs; the global
  // generator is left alone.
  uint64_t seed = 0;
};

// Returns "" when the gradients agree, else a report: "Jacobian mismatch for output i with
// respect to input j" (i counts the floating outputs, j the inputs that require grad), the
// wrong size or dtype of a gradient, or non-reentrant backward. Throws ValueError when no input
// requires grad and RuntimeError for an input with a stride-0 dimension.
std::string gradcheck(const MultiOutputFunction& function, const TensorList& inputs,
                      const GradcheckOptions& options = {});
std::string gradcheck(const DifferentiableFunction& function, const TensorList& inputs,
                      const GradcheckOptions& options = {});
// grad_outputs: one per floating output; empty means seeded values in [-1, 1) that require
// grad, so that the derivatives w.r.t. them are checked too.
std::string gradgradcheck(const MultiOutputFunction& function, const TensorList& inputs,
                          const TensorList& grad_outputs = {},
                          const GradcheckOptions& options = {});
std::string gradgradcheck(const DifferentiableFunction& function, const TensorList& inputs,
                          const GradcheckOptions& options = {});

}  // namespace ember::autograd
