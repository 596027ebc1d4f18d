// The gradient rule of ScaledDotProductAttention, called from the switches of derivatives.cpp,
// which stay the one place that says what each rule saves.
#pragma once

#include "ember/autograd/derivatives.h"
#include "ember/ops/primitives_attention.h"

namespace ember::autograd {

// q, k, v: the saved (problems, rows, cols) inputs; mask: the saved mask view (undefined without
// one); out, lse: the saved outputs. Without create_graph the fused backward kernel recomputes the
// probabilities block by block from lse; with it, a composite of public ops recomputes them from
// q and k, so that the result differentiates again.
TensorList attention_vjp(const ScaledDotProductAttention& op, const BackwardContext& c,
                         const Tensor& q, const Tensor& k, const Tensor& v, const Tensor& mask,
                         const Tensor& out, const Tensor& lse);

}  // namespace ember::autograd
