// libtorch's torch::nn::functional interpolate, grid_sample and affine_grid: inline calls of the
// ops (ember/ops/nn_interp.h), no math here.
#pragma once

#include <cstdint>
#include <vector>

#include "ember/nn/options/upsampling.h"
#include "ember/ops/nn_interp.h"

namespace ember::nn::functional {

inline Tensor interpolate(const Tensor& input, const InterpolateFuncOptions& options = {}) {
  return ember::interpolate(input, options.size(), options.scale_factor(),
                            interpolate_mode_name(options.mode()), options.align_corners(),
                            options.recompute_scale_factor(), options.antialias());
}

inline Tensor grid_sample(const Tensor& input, const Tensor& grid,
                          const GridSampleFuncOptions& options = {}) {
  static constexpr std::string_view kModes[] = {"bilinear", "nearest", "bicubic"};
  static constexpr std::string_view kPaddings[] = {"zeros", "border", "reflection"};
  return ember::grid_sample(input, grid, kModes[options.mode().index()],
                            kPaddings[options.padding_mode().index()], options.align_corners());
}

inline Tensor affine_grid(const Tensor& theta, const std::vector<int64_t>& size,
                          bool align_corners = false) {
  return ember::affine_grid(theta, size, align_corners);
}

}  // namespace ember::nn::functional
