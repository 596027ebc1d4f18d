// libtorch's torch::nn::functional convolutions: inline calls of the ops (ember/ops/nn_conv.h)
// with the options unpacked, no math here.
#pragma once

#include <variant>

#include "ember/nn/options/conv.h"
#include "ember/ops/nn_conv.h"

namespace ember::nn::functional {

#define EMBER_CONV_FUNCTIONAL(D)                                                            \
  inline Tensor conv##D##d(const Tensor& input, const Tensor& weight,                       \
                           const Conv##D##dFuncOptions& options = {}) {                     \
    if (const auto* sizes = std::get_if<ExpandingArray<D>>(&options.padding())) {           \
      return ember::conv##D##d(input, weight, options.bias(), options.stride(), *sizes,     \
                               options.dilation(), options.groups());                       \
    }                                                                                       \
    const bool same = std::holds_alternative<enumtype::kSame>(options.padding());           \
    return ember::conv##D##d(input, weight, options.bias(), options.stride(),               \
                             same ? ConvPaddingString("same") : ConvPaddingString("valid"), \
                             options.dilation(), options.groups());                         \
  }                                                                                         \
  inline Tensor conv_transpose##D##d(const Tensor& input, const Tensor& weight,             \
                                     const ConvTranspose##D##dFuncOptions& options = {}) {  \
    return ember::conv_transpose##D##d(input, weight, options.bias(), options.stride(),     \
                                       options.padding(), options.output_padding(),         \
                                       options.groups(), options.dilation());               \
  }

EMBER_CONV_FUNCTIONAL(1)
EMBER_CONV_FUNCTIONAL(2)
EMBER_CONV_FUNCTIONAL(3)

#undef EMBER_CONV_FUNCTIONAL

}  // namespace ember::nn::functional
