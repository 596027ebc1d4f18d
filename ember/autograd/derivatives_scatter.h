// The gradient rules of the scatter family's primitives (called from derivatives.cpp's switch,
// which reads the saved values). Built from public ops, so they are differentiable themselves.
#pragma once

#include "ember/autograd/derivatives.h"
#include "ember/ops/primitives_scatter.h"

namespace ember::autograd {

// inputs: self, index.
TensorList gather_vjp(const Gather& gather, const Tensor& grad, const Tensor& index,
                      const Shape& self_shape);
// inputs: src, index, then self's old value (the written output).
TensorList scatter_vjp(const Scatter& scatter, const BackwardContext& c, const Tensor& index);
// inputs: self, index, src; `out` is the result.
TensorList scatter_reduce_vjp(const ScatterReduce& reduce, const BackwardContext& c,
                              const Tensor& self, const Tensor& index, const Tensor& src,
                              const Tensor& out);

}  // namespace ember::autograd
