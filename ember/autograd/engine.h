// The backward engine: from root gradients, walks the recorded graph in reverse topological
// order (dependency counting, later nodes first), summing gradients per edge.
#pragma once

#include <optional>
#include <vector>

#include "ember/autograd/node.h"

namespace ember::autograd {

// torch.autograd.backward: accumulates into the .grad of the leaves (or of `inputs` only).
void backward(const TensorList& outputs, const TensorList& grad_outputs,
              std::optional<bool> retain_graph = std::nullopt, bool create_graph = false,
              const TensorList& inputs = {});

// torch.autograd.grad: returns d(outputs)/d(inputs) without touching any .grad.
TensorList grad(const TensorList& outputs, const TensorList& inputs,
                const TensorList& grad_outputs = {},
                std::optional<bool> retain_graph = std::nullopt, bool create_graph = false,
                bool allow_unused = false);

}  // namespace ember::autograd
