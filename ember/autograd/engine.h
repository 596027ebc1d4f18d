// The backward engine: from root gradients, walks the recorded graph in reverse topological
// order (dependency counting, later nodes first), summing gradients per edge.
#pragma once

#include <optional>
#include <vector>

#include "ember/autograd/node.h"
#include "ember/autograd/variable.h"

namespace ember::autograd {

// torch::autograd::backward: accumulates into the .grad of the leaves (or of `inputs` only).
// An empty grad_tensors means implicit ones for scalar outputs.
void backward(const variable_list& tensors, const variable_list& grad_tensors = {},
              std::optional<bool> retain_graph = std::nullopt, bool create_graph = false,
              const variable_list& inputs = {});

// torch.autograd.grad: returns d(outputs)/d(inputs) without touching any .grad.
variable_list grad(const variable_list& outputs, const variable_list& inputs,
                   const variable_list& grad_outputs = {},
                   std::optional<bool> retain_graph = std::nullopt, bool create_graph = false,
                   bool allow_unused = false);

}  // namespace ember::autograd
