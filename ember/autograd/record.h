// Installs autograd into the op call path, and lets a front end say where an op was called
// from (the Python line) for anomaly mode.
#pragma once

#include <string>

#include "ember/tensor/tensor.h"

namespace ember::autograd {

void install_recorder();

// Note [in-place on views]: if `tensor` is a view whose base's history changed since the view's
// grad_fn was made (an in-place write into the base or through another view), its grad_fn
// becomes a fresh as_strided view of the base's current history. Every reader of a grad_fn
// (Tensor::grad_fn, gradient_edge) calls it first.
void refresh_view_history(const Tensor& tensor);

using CreationTraceProvider = std::string (*)();
void set_creation_trace_provider(CreationTraceProvider provider);
std::string current_creation_trace();

}  // namespace ember::autograd
