// The parameters of one convolution pass (ConvGeometry, ConvPass), apart from the primitive
// (primitives_nn_conv.h) so that the public header nn_conv.h can name them without the C++20
// primitive interface.
#pragma once

#include <cstdint>

#include "ember/tensor/shape.h"

namespace ember {

// The spatial parameters of a convolution with k spatial dims (1 to 3), one entry per dim:
// output size = (input + pad_before + pad_after - dilation * (kernel - 1) - 1) / stride + 1.
// Padding may differ on the two sides ('same' with an even kernel).
struct ConvGeometry {
  Shape stride;
  Shape dilation;
  Shape pad_before;
  Shape pad_after;
  int64_t groups = 1;
};

// Which tensor a pass computes from the two others. With x (N, C_in, *in), w (C_out,
// C_in / groups, *kernel) and y (N, C_out, *out):
//   Forward:        inputs x, w;  output y = conv(x, w)
//   BackwardData:   inputs y, w;  output x = conv_w^T(y), the gradient of conv wrt x (and
//                   conv_transpose's forward)
//   BackwardWeight: inputs x, y;  output w, the gradient of conv wrt w for grad_output y
enum class ConvPass { Forward, BackwardData, BackwardWeight };

}  // namespace ember
