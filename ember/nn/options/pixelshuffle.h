// Options of PixelShuffle / PixelUnshuffle and their functions (libtorch's
// torch/nn/options/pixelshuffle.h).
#pragma once

#include <cstdint>

#include "ember/nn/arg.h"

namespace ember::nn {

struct PixelShuffleOptions {
  PixelShuffleOptions(int64_t upscale_factor)  // NOLINT: implicit as libtorch's
      : upscale_factor_(upscale_factor) {}
  EMBER_ARG(int64_t, upscale_factor);
};

struct PixelUnshuffleOptions {
  PixelUnshuffleOptions(int64_t downscale_factor)  // NOLINT: implicit as libtorch's
      : downscale_factor_(downscale_factor) {}
  EMBER_ARG(int64_t, downscale_factor);
};

namespace functional {
using PixelShuffleFuncOptions = PixelShuffleOptions;
using PixelUnshuffleFuncOptions = PixelUnshuffleOptions;
}  // namespace functional

}  // namespace ember::nn
