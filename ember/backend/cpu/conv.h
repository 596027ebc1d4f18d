// The two CPU implementations behind the Convolution primitive (ops/primitives_nn_conv.h). Each
// computes one pass from contiguous tensors laid out as the primitive says, x (N, C_in, *in),
// w (C_out, C_in / groups, *kernel) and y (N, C_out, *out), writing the pass's output (x for
// BackwardData, w for BackwardWeight, y for Forward) and reading the two others.
#pragma once

#include "ember/ops/primitives_nn_conv.h"
#include "ember/tensor/tensor.h"

namespace ember::cpu {

// im2col and GEMM (gemm.h), float32 or float64: the kernel of float64 and of what oneDNN does not
// take, and the reference the oneDNN path is tested against.
void conv_reference(ConvPass pass, const ConvGeometry& geometry, const Tensor& x, const Tensor& w,
                    const Tensor& y);

// oneDNN's convolution for float32, its primitives cached by shape. False, with nothing written,
// where oneDNN does not take the geometry (an input size the output size does not determine, as
// conv_transpose's output_padding of the dilation's size).
bool conv_dnnl(ConvPass pass, const ConvGeometry& geometry, const Tensor& x, const Tensor& w,
               const Tensor& y);

}  // namespace ember::cpu
