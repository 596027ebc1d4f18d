// nn.functional's convolutions (torch.nn.functional.conv1d/2d/3d, conv_transpose1d/2d/3d and
// torch.convolution; libtorch's at::conv2d ...). All of them run the Convolution primitive
// (primitives_nn_conv.h); the bias is a broadcast add.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "ember/ops/nn_conv_geometry.h"
#include "ember/tensor/tensor.h"

namespace ember {

// input (N, C_in, *in) or unbatched (C_in, *in); weight (C_out, C_in / groups, *kernel), or for
// transposed (C_in, C_out / groups, *kernel); bias (C_out). stride, padding, dilation and
// output_padding hold one value for every spatial dim or one per spatial dim.
Tensor convolution(const Tensor& input, const Tensor& weight, const std::optional<Tensor>& bias,
                   IntArrayRef stride, IntArrayRef padding, IntArrayRef dilation, bool transposed,
                   IntArrayRef output_padding, int64_t groups);

Tensor conv1d(const Tensor& input, const Tensor& weight,
              const std::optional<Tensor>& bias = std::nullopt, IntArrayRef stride = 1,
              IntArrayRef padding = 0, IntArrayRef dilation = 1, int64_t groups = 1);
Tensor conv2d(const Tensor& input, const Tensor& weight,
              const std::optional<Tensor>& bias = std::nullopt, IntArrayRef stride = 1,
              IntArrayRef padding = 0, IntArrayRef dilation = 1, int64_t groups = 1);
Tensor conv3d(const Tensor& input, const Tensor& weight,
              const std::optional<Tensor>& bias = std::nullopt, IntArrayRef stride = 1,
              IntArrayRef padding = 0, IntArrayRef dilation = 1, int64_t groups = 1);

// A padding given as text: a string literal or a std::string_view, but not the integer 0, so
// that conv2d(x, w, b, 1, 0) picks the numeric overload.
class ConvPaddingString {
 public:
  template <size_t N>
  ConvPaddingString(const char (&text)[N]) : text_(text, N - 1) {}  // NOLINT: implicit
  ConvPaddingString(std::string_view text) : text_(text) {}         // NOLINT: implicit
  std::string_view view() const { return text_; }

 private:
  std::string_view text_;
};

// padding "valid" (none) or "same" (the output keeps the input's size; stride 1 only). An even
// kernel pads one more element after than before, as PyTorch does.
Tensor conv1d(const Tensor& input, const Tensor& weight, const std::optional<Tensor>& bias,
              IntArrayRef stride, ConvPaddingString padding, IntArrayRef dilation = 1,
              int64_t groups = 1);
Tensor conv2d(const Tensor& input, const Tensor& weight, const std::optional<Tensor>& bias,
              IntArrayRef stride, ConvPaddingString padding, IntArrayRef dilation = 1,
              int64_t groups = 1);
Tensor conv3d(const Tensor& input, const Tensor& weight, const std::optional<Tensor>& bias,
              IntArrayRef stride, ConvPaddingString padding, IntArrayRef dilation = 1,
              int64_t groups = 1);

// The gradient of the convolution with the same parameters wrt its input: out = (in - 1) *
// stride - 2 * padding + dilation * (kernel - 1) + output_padding + 1 per spatial dim, with
// output_padding below stride or dilation.
Tensor conv_transpose1d(const Tensor& input, const Tensor& weight,
                        const std::optional<Tensor>& bias = std::nullopt, IntArrayRef stride = 1,
                        IntArrayRef padding = 0, IntArrayRef output_padding = 0, int64_t groups = 1,
                        IntArrayRef dilation = 1);
Tensor conv_transpose2d(const Tensor& input, const Tensor& weight,
                        const std::optional<Tensor>& bias = std::nullopt, IntArrayRef stride = 1,
                        IntArrayRef padding = 0, IntArrayRef output_padding = 0, int64_t groups = 1,
                        IntArrayRef dilation = 1);
Tensor conv_transpose3d(const Tensor& input, const Tensor& weight,
                        const std::optional<Tensor>& bias = std::nullopt, IntArrayRef stride = 1,
                        IntArrayRef padding = 0, IntArrayRef output_padding = 0, int64_t groups = 1,
                        IntArrayRef dilation = 1);

// The output_padding that makes a transposed convolution of input produce output_size (its
// spatial sizes, or the whole shape): what ConvTranspose layers take in forward. stride, padding,
// kernel_size and dilation hold one value per spatial dim. ValueError when output_size has the
// wrong length or a size outside [min, min + stride - 1].
Shape conv_transpose_output_padding(const Tensor& input, IntArrayRef output_size,
                                    IntArrayRef stride, IntArrayRef padding,
                                    IntArrayRef kernel_size, IntArrayRef dilation);

// The three passes of the primitive as differentiable functions on batched, validated tensors
// of one floating dtype (autograd's rules call them, so each is differentiable again).
// conv_forward: x, w -> y (of spatial size output_size where given, else the largest that fits:
// the gradient of conv_transpose with output_padding of the dilation's size uses a smaller one);
// conv_backward_input: grad_y, w -> grad_x of spatial size
// input_size; conv_backward_weight: x, grad_y -> grad_w of spatial size kernel_size.
Tensor conv_forward(const Tensor& x, const Tensor& w, const ConvGeometry& geometry,
                    IntArrayRef output_size = {});
Tensor conv_backward_input(const Tensor& grad_y, const Tensor& w, IntArrayRef input_size,
                           const ConvGeometry& geometry);
Tensor conv_backward_weight(const Tensor& x, const Tensor& grad_y, IntArrayRef kernel_size,
                            const ConvGeometry& geometry);

}  // namespace ember
