// Helpers shared by the linear-algebra op files (ops/linalg_*.cpp) and their gradient rules
// (autograd/derivatives_linalg.cpp): argument checks with torch.linalg's messages, the
// column-major results of the Lapack primitive, and matrix helpers.
#pragma once

#include <string_view>

#include "ember/tensor/tensor.h"

namespace ember::linalg_detail {

// A is a (batch of) matrices of float32 or float64; `square` also asks for n x n. Messages
// name op, the argument, shapes and dtypes (as torch.linalg's do).
void check_matrix(std::string_view op, const Tensor& A, bool square, std::string_view name = "A");
// A and B (the right-hand side) share a dtype and a device.
void check_same_dtype(std::string_view op, const Tensor& A, const Tensor& B);

// An uninitialized tensor of `shape` whose matrices are column-major (strides (1, rows)), batch
// dims contiguous and outermost: the layout LAPACK (and cuSOLVER) writes.
Tensor empty_column_major(IntArrayRef shape, ScalarType dtype, Device device = kCPU);

// The machine epsilon of float32 or float64 (the tolerances' unit).
double epsilon(ScalarType dtype);

// The n x n identity, broadcastable against a batch.
Tensor eye_like(const Tensor& A);
// The last two dims swapped (PyTorch's .mT).
inline Tensor mT(const Tensor& x) { return x.transpose(-2, -1); }

}  // namespace ember::linalg_detail
