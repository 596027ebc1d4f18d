// Primitives of the interpolation family (see primitives.h for the contract): upsampling in every
// mode of nn.functional.interpolate, and its adjoint. Each spatial dim is resampled separably by a
// table of taps (source index, weight) per output index, built from PyTorch's source-index
// formulas (backend/cpu/nn_interp.cpp), so one kernel serves 1-, 2- and 3-d inputs.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ember/ops/primitive.h"

namespace ember {

// How an output index reads its sources along one dim.
enum class UpsampleMode : uint8_t {
  Nearest,       // floor(o * scale)
  NearestExact,  // floor((o + 0.5) * scale)
  Linear,        // two taps (linear, bilinear, trilinear)
  Cubic,         // four taps of Keys' kernel with A = -0.75, indices clamped to the border
  Area,          // the mean over [floor(o * in / out), ceil((o + 1) * in / out))
  // antialias=True (PyTorch's _upsample_*_aa): every input index within the filter's support of
  // the centre scale * (o + 0.5), the support and the filter's argument stretched by the scale
  // when downsampling, the weights normalised to sum 1.
  LinearAntialias,  // the triangle filter, support 1
  CubicAntialias,   // Keys' kernel with A = -0.5, support 2
};

// inputs: x (contiguous (N, C, *input_size), floating point); outputs: y (N, C, *output_size).
// With adjoint, the transpose map: inputs grad_y (N, C, *output_size), outputs grad_x (N, C,
// *input_size), each grad_y element scattered back to its taps. Both are linear, so the gradient
// of one is the other. scales[d] > 0 is the scale_factor the caller gave for dim d (PyTorch then
// uses 1 / scale instead of input / output size); 0 means none.
class Upsample final : public Primitive {
 public:
  EMBER_PRIMITIVE(Upsample, Upsample)
  Upsample(UpsampleMode mode, std::vector<int64_t> input_size, std::vector<int64_t> output_size,
           std::vector<double> scales, bool align_corners, bool adjoint);
  UpsampleMode mode() const { return mode_; }
  const std::vector<int64_t>& input_size() const { return input_size_; }
  const std::vector<int64_t>& output_size() const { return output_size_; }
  const std::vector<double>& scales() const { return scales_; }
  bool align_corners() const { return align_corners_; }
  bool adjoint() const { return adjoint_; }
  // The same map in the other direction (the gradient).
  Upsample transposed() const {
    return Upsample(mode_, input_size_, output_size_, scales_, align_corners_, !adjoint_);
  }
  std::string_view name() const override { return name_; }
  void eval_cpu(TensorSpan inputs, TensorSpan outputs) const override;

 private:
  UpsampleMode mode_;
  std::vector<int64_t> input_size_;
  std::vector<int64_t> output_size_;
  std::vector<double> scales_;
  bool align_corners_;
  bool adjoint_;
  std::string name_;  // PyTorch's op name: upsample_bilinear2d, upsample_nearest1d_backward, ...
};

}  // namespace ember

namespace ember {

// op applied to x (any layout; float16 and bfloat16 run in float32 and return in their dtype):
// the leading (N, C) dims of x kept, the spatial ones mapped (ops/nn_interp.cpp).
Tensor run_upsample(const Upsample& op, const Tensor& x);

}  // namespace ember
