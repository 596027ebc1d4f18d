// The padding layers (libtorch's torch/nn/modules/padding.h): ReflectionPad{1,2,3}d,
// ReplicationPad{1,2,3}d, ZeroPad2d and ConstantPad{1,2,3}d, each a call of ember::pad with its
// options, e.g. `ember::nn::ReflectionPad2d(ember::nn::ReflectionPad2dOptions({1, 1, 2, 0}))`.
#pragma once

#include <ostream>

#include "ember/nn/module.h"
#include "ember/nn/options/padding.h"
#include "ember/nn/pimpl.h"

namespace ember::nn {

// `extra` declares the constructor from the padding (and value) alone, as libtorch's.
#define EMBER_PADDING_MODULE(Name, extra)                                     \
  class Name##Impl : public Module {                                          \
   public:                                                                    \
    explicit Name##Impl(const Name##Options& options_) : options(options_) {} \
    extra;                                                                    \
    void reset() {}                                                           \
    Tensor forward(const Tensor& input);                                      \
    void pretty_print(std::ostream& stream) const override;                   \
    Name##Options options;                                                    \
  };                                                                          \
  EMBER_MODULE(Name)

#define EMBER_FROM_PADDING(Name, D) \
  explicit Name##Impl(ExpandingArray<2 * D> padding) : Name##Impl(Name##Options(padding)) {}
#define EMBER_FROM_PADDING_AND_VALUE(Name, D)             \
  Name##Impl(ExpandingArray<2 * D> padding, double value) \
      : Name##Impl(Name##Options(padding, value)) {}

EMBER_PADDING_MODULE(ReflectionPad1d, EMBER_FROM_PADDING(ReflectionPad1d, 1));
EMBER_PADDING_MODULE(ReflectionPad2d, EMBER_FROM_PADDING(ReflectionPad2d, 2));
EMBER_PADDING_MODULE(ReflectionPad3d, EMBER_FROM_PADDING(ReflectionPad3d, 3));
EMBER_PADDING_MODULE(ReplicationPad1d, EMBER_FROM_PADDING(ReplicationPad1d, 1));
EMBER_PADDING_MODULE(ReplicationPad2d, EMBER_FROM_PADDING(ReplicationPad2d, 2));
EMBER_PADDING_MODULE(ReplicationPad3d, EMBER_FROM_PADDING(ReplicationPad3d, 3));
EMBER_PADDING_MODULE(ZeroPad2d, EMBER_FROM_PADDING(ZeroPad2d, 2));
EMBER_PADDING_MODULE(ConstantPad1d, EMBER_FROM_PADDING_AND_VALUE(ConstantPad1d, 1));
EMBER_PADDING_MODULE(ConstantPad2d, EMBER_FROM_PADDING_AND_VALUE(ConstantPad2d, 2));
EMBER_PADDING_MODULE(ConstantPad3d, EMBER_FROM_PADDING_AND_VALUE(ConstantPad3d, 3));
#undef EMBER_FROM_PADDING_AND_VALUE
#undef EMBER_FROM_PADDING
#undef EMBER_PADDING_MODULE

}  // namespace ember::nn
