// The rearranging layers (libtorch's torch/nn/modules/pixelshuffle.h and fold.h): PixelShuffle,
// PixelUnshuffle, Fold and Unfold, each a call of its nn::functional op with its options.
#pragma once

#include <ostream>

#include "ember/nn/module.h"
#include "ember/nn/options/fold.h"
#include "ember/nn/options/pixelshuffle.h"
#include "ember/nn/pimpl.h"

namespace ember::nn {

#define EMBER_REARRANGE_MODULE(Name)                                          \
  class Name##Impl : public Module {                                          \
   public:                                                                    \
    explicit Name##Impl(const Name##Options& options_) : options(options_) {} \
    void reset() {}                                                           \
    Tensor forward(const Tensor& input);                                      \
    void pretty_print(std::ostream& stream) const override;                   \
    Name##Options options;                                                    \
  };                                                                          \
  EMBER_MODULE(Name)

EMBER_REARRANGE_MODULE(PixelShuffle);
EMBER_REARRANGE_MODULE(PixelUnshuffle);
EMBER_REARRANGE_MODULE(Fold);
EMBER_REARRANGE_MODULE(Unfold);
#undef EMBER_REARRANGE_MODULE

}  // namespace ember::nn
