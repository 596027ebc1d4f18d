// The convolution primitive (see primitives.h for the contract). One primitive computes the three
// passes of a convolution y = conv(x, w), each bilinear in its two inputs, so that the gradient
// of every pass is again one of the passes (autograd/derivatives_nn_conv.cpp) and double
// backward needs nothing more.
#pragma once

#include <cstdint>
#include <utility>

#include "ember/ops/nn_conv_geometry.h"
#include "ember/ops/primitive.h"

namespace ember {

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
