// The gradient rules of the Lapack primitive (derivatives.cpp's switches call these), kept in
// their own file because the published formulas (PyTorch's FunctionsManual) run long.
#pragma once

#include "ember/autograd/derivatives.h"
#include "ember/ops/primitives.h"

namespace ember::autograd {

bool lapack_is_differentiable(const Lapack& primitive);
SaveMask lapack_saves(const Lapack& primitive);
TensorList lapack_vjp(const Lapack& primitive, const BackwardContext& c);

}  // namespace ember::autograd
