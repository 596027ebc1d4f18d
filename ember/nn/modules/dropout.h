// The dropout layers (libtorch's torch/nn/modules/dropout.h): Dropout, Dropout1d/2d/3d,
// AlphaDropout and FeatureAlphaDropout, active in training mode only (is_training()), each
// forwarding to its nn::functional call with p and inplace from DropoutOptions.
#pragma once

#include <ostream>

#include "ember/nn/module.h"
#include "ember/nn/options/activation.h"
#include "ember/nn/pimpl.h"

namespace ember::nn {

#define EMBER_DROPOUT_MODULE(Name)                                                 \
  class Name##Impl : public Module {                                               \
   public:                                                                         \
    explicit Name##Impl(const Name##Options& options_ = {}) : options(options_) {} \
    void reset() {}                                                                \
    Tensor forward(Tensor input);                                                  \
    void pretty_print(std::ostream& stream) const override;                        \
    Name##Options options;                                                         \
  };                                                                               \
  EMBER_MODULE(Name)

EMBER_DROPOUT_MODULE(Dropout);
EMBER_DROPOUT_MODULE(Dropout1d);
EMBER_DROPOUT_MODULE(Dropout2d);
EMBER_DROPOUT_MODULE(Dropout3d);
EMBER_DROPOUT_MODULE(AlphaDropout);
EMBER_DROPOUT_MODULE(FeatureAlphaDropout);
#undef EMBER_DROPOUT_MODULE

}  // namespace ember::nn
