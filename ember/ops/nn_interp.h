// nn.functional's resampling ops: interpolate and the upsample ops it calls (libtorch's
// at::upsample_nearest2d, at::upsample_bilinear2d, ...), grid_sample and affine_grid. The upsample
// ops are one primitive with a separable kernel (primitives_nn_interp.h); grid_sample and
// affine_grid are composites of gather and elementwise ops, so both differentiate to any order.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "ember/tensor/tensor.h"

namespace ember {

// input (N, C, L) / (N, C, H, W) / (N, C, D, H, W) resampled to output_size; a scale given is
// the scale_factor the size came from, which PyTorch's source-index formulas then use.
Tensor upsample_nearest1d(const Tensor& input, IntArrayRef output_size,
                          std::optional<double> scales = std::nullopt);
Tensor upsample_nearest2d(const Tensor& input, IntArrayRef output_size,
                          std::optional<double> scales_h = std::nullopt,
                          std::optional<double> scales_w = std::nullopt);
Tensor upsample_nearest3d(const Tensor& input, IntArrayRef output_size,
                          std::optional<double> scales_d = std::nullopt,
                          std::optional<double> scales_h = std::nullopt,
                          std::optional<double> scales_w = std::nullopt);
Tensor upsample_nearest_exact1d(const Tensor& input, IntArrayRef output_size,
                                std::optional<double> scales = std::nullopt);
Tensor upsample_nearest_exact2d(const Tensor& input, IntArrayRef output_size,
                                std::optional<double> scales_h = std::nullopt,
                                std::optional<double> scales_w = std::nullopt);
Tensor upsample_nearest_exact3d(const Tensor& input, IntArrayRef output_size,
                                std::optional<double> scales_d = std::nullopt,
                                std::optional<double> scales_h = std::nullopt,
                                std::optional<double> scales_w = std::nullopt);
Tensor upsample_linear1d(const Tensor& input, IntArrayRef output_size, bool align_corners,
                         std::optional<double> scales = std::nullopt);
Tensor upsample_bilinear2d(const Tensor& input, IntArrayRef output_size, bool align_corners,
                           std::optional<double> scales_h = std::nullopt,
                           std::optional<double> scales_w = std::nullopt);
Tensor upsample_bicubic2d(const Tensor& input, IntArrayRef output_size, bool align_corners,
                          std::optional<double> scales_h = std::nullopt,
                          std::optional<double> scales_w = std::nullopt);
Tensor upsample_trilinear3d(const Tensor& input, IntArrayRef output_size, bool align_corners,
                            std::optional<double> scales_d = std::nullopt,
                            std::optional<double> scales_h = std::nullopt,
                            std::optional<double> scales_w = std::nullopt);

// torch.nn.functional.interpolate: exactly one of size and scale_factor (one entry per spatial
// dim), mode one of nearest, nearest-exact, linear, bilinear, bicubic, trilinear, area (the
// adaptive average pooling to the output size). Raises ValueError / NotImplementedError as
// PyTorch does for contradicting arguments. antialias=True (bilinear and bicubic, 4-d) resamples
// with PyTorch's antialiasing filters: when downsampling, the filter's support grows with the
// scale and the weights are normalised.
Tensor interpolate(const Tensor& input, const std::optional<std::vector<int64_t>>& size,
                   const std::optional<std::vector<double>>& scale_factor,
                   std::string_view mode = "nearest", std::optional<bool> align_corners = {},
                   std::optional<bool> recompute_scale_factor = {}, bool antialias = false);

// torch.nn.functional.grid_sample: input (N, C, H, W) sampled at grid (N, Ho, Wo, 2) of (x, y)
// in [-1, 1] (or (N, C, D, H, W) at (N, Do, Ho, Wo, 3)); mode bilinear, nearest or bicubic
// (4-d only); padding_mode zeros, border or reflection. align_corners not given means false, with
// PyTorch's warning that the default changed (as affine_grid).
Tensor grid_sample(const Tensor& input, const Tensor& grid, std::string_view mode = "bilinear",
                   std::string_view padding_mode = "zeros",
                   std::optional<bool> align_corners = std::nullopt);

// torch.nn.functional.affine_grid: the sampling grid (N, H, W, 2) / (N, D, H, W, 3) of the affine
// maps theta (N, 2, 3) / (N, 3, 4) for an output of size (N, C, H, W) / (N, C, D, H, W).
Tensor affine_grid(const Tensor& theta, IntArrayRef size,
                   std::optional<bool> align_corners = std::nullopt);

}  // namespace ember
