// The backward engine: from root gradients, walks the recorded graph in reverse topological
// order (dependency counting, later nodes first), summing gradients per edge.
#pragma once

#include <functional>
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

// Variable._execution_engine.queue_callback: `callback` runs once when the backward pass (or
// autograd.grad call) running on this thread has run its last node, before that call returns;
// callbacks queued by a callback run too. Raises outside a backward pass (call it from a hook).
void queue_callback(std::function<void()> callback);

}  // namespace ember::autograd
