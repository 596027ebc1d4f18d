// The convolution primitive (see primitives.h for the contract). One primitive computes the three
// passes of a convolution y = conv(x, w), each bilinear in its two inputs, so that the gradient
// of every pass is again one of the passes (autograd/derivatives_nn_conv.cpp) and double
// backward needs nothing more.
#pragma once

#include <cstdint>
#include <utility>

#include "ember/ops/primitive.h"
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

// inputs and output contiguous, float32 or float64, all of one dtype. float32 runs through
// oneDNN, float64 (and what oneDNN does not take) through im2col and GEMM (backend/cpu/conv.h).
class Convolution final : public Primitive {
 public:
  EMBER_PRIMITIVE(Convolution, Convolution)
  Convolution(ConvPass pass, ConvGeometry geometry) : pass_(pass), geometry_(std::move(geometry)) {}
  ConvPass pass() const { return pass_; }
  const ConvGeometry& geometry() const { return geometry_; }
  std::string_view name() const override {
    switch (pass_) {
      case ConvPass::Forward:
        return "convolution";
      case ConvPass::BackwardData:
        return "convolution_backward_input";
      case ConvPass::BackwardWeight:
        return "convolution_backward_weight";
    }
    return "convolution";
  }
  void eval_cpu(TensorSpan inputs, TensorSpan outputs) const override;

 private:
  ConvPass pass_;
  ConvGeometry geometry_;
};

}  // namespace ember
