// ember::nn::functional's pixel_shuffle / pixel_unshuffle (libtorch's
// torch/nn/functional/pixelshuffle.h): forwards to the ops of ember/ops/nn_fold.h.
#pragma once

#include "ember/nn/options/pixelshuffle.h"
#include "ember/ops/nn_fold.h"

namespace ember::nn::functional {

inline Tensor pixel_shuffle(const Tensor& input, const PixelShuffleFuncOptions& options) {
  return ember::pixel_shuffle(input, options.upscale_factor());
}

inline Tensor pixel_unshuffle(const Tensor& input, const PixelUnshuffleFuncOptions& options) {
  return ember::pixel_unshuffle(input, options.downscale_factor());
}

}  // namespace ember::nn::functional
