// Finite-difference checks of gradients (RELIABILITY.md T4/T5): gradcheck compares autograd's
// vector-Jacobian product with central differences in float64; gradgradcheck does the same for
// the gradient function itself (create_graph), i.e. second order.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "ember/tensor/tensor.h"

namespace ember::autograd {

using DifferentiableFunction = std::function<Tensor(const std::vector<Tensor>&)>;

struct GradcheckOptions {
  double eps = 1e-6;
  double atol = 1e-5;
  double rtol = 1e-3;
  uint64_t seed = 0;
};

// inputs: float64 tensors; those with requires_grad are checked. Returns "" when the gradients
// agree, else a report naming the input, element, analytical and numerical values.
std::string gradcheck(const DifferentiableFunction& function, const std::vector<Tensor>& inputs,
                      const GradcheckOptions& options = {});
std::string gradgradcheck(const DifferentiableFunction& function, const std::vector<Tensor>& inputs,
                          const GradcheckOptions& options = {});

}  // namespace ember::autograd
