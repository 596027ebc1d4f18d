// The pooling layers (libtorch's torch/nn/modules/pooling.h): MaxPool{1,2,3}d,
// AvgPool{1,2,3}d, AdaptiveAvgPool{1,2,3}d and AdaptiveMaxPool{1,2,3}d, each a call of its
// functional form with its options, e.g. `ember::nn::MaxPool2d(MaxPool2dOptions(3).stride(2))`.
// Max pools also offer forward_with_indices; MaxUnpool{1,2,3}d invert them.
#pragma once

#include <optional>
#include <ostream>
#include <tuple>
#include <vector>

#include "ember/nn/module.h"
#include "ember/nn/options/pooling.h"
#include "ember/nn/pimpl.h"

namespace ember::nn {

// `Arg` is what the one-argument constructor takes (kernel_size or output_size); `extra` declares
// more members (forward_with_indices).
#define EMBER_POOL_MODULE(Name, Arg, extra)                                   \
  class Name##Impl : public Module {                                          \
   public:                                                                    \
    explicit Name##Impl(const Name##Options& options_) : options(options_) {} \
    explicit Name##Impl(Arg arg) : Name##Impl(Name##Options(arg)) {}          \
    void reset() {}                                                           \
    Tensor forward(const Tensor& input);                                      \
    extra;                                                                    \
    void pretty_print(std::ostream& stream) const override;                   \
    Name##Options options;                                                    \
  };                                                                          \
  EMBER_MODULE(Name)

#define EMBER_WITH_INDICES std::tuple<Tensor, Tensor> forward_with_indices(const Tensor& input)
#define EMBER_NOTHING static_assert(true)

EMBER_POOL_MODULE(MaxPool1d, ExpandingArray<1>, EMBER_WITH_INDICES);
EMBER_POOL_MODULE(MaxPool2d, ExpandingArray<2>, EMBER_WITH_INDICES);
EMBER_POOL_MODULE(MaxPool3d, ExpandingArray<3>, EMBER_WITH_INDICES);
EMBER_POOL_MODULE(AvgPool1d, ExpandingArray<1>, EMBER_NOTHING);
EMBER_POOL_MODULE(AvgPool2d, ExpandingArray<2>, EMBER_NOTHING);
EMBER_POOL_MODULE(AvgPool3d, ExpandingArray<3>, EMBER_NOTHING);
EMBER_POOL_MODULE(AdaptiveAvgPool1d, ExpandingArray<1>, EMBER_NOTHING);
EMBER_POOL_MODULE(AdaptiveAvgPool2d, ExpandingArrayWithOptional<2>, EMBER_NOTHING);
EMBER_POOL_MODULE(AdaptiveAvgPool3d, ExpandingArrayWithOptional<3>, EMBER_NOTHING);
EMBER_POOL_MODULE(AdaptiveMaxPool1d, ExpandingArray<1>, EMBER_WITH_INDICES);
EMBER_POOL_MODULE(AdaptiveMaxPool2d, ExpandingArrayWithOptional<2>, EMBER_WITH_INDICES);
EMBER_POOL_MODULE(AdaptiveMaxPool3d, ExpandingArrayWithOptional<3>, EMBER_WITH_INDICES);
#undef EMBER_NOTHING
#undef EMBER_WITH_INDICES
#undef EMBER_POOL_MODULE

// MaxUnpool{1,2,3}d: forward(input, indices, output_size) places each value at its max pool's
// index, as libtorch's.
#define EMBER_UNPOOL_MODULE(D)                                                                  \
  class MaxUnpool##D##dImpl : public Module {                                                   \
   public:                                                                                      \
    explicit MaxUnpool##D##dImpl(const MaxUnpool##D##dOptions& options_) : options(options_) {} \
    explicit MaxUnpool##D##dImpl(ExpandingArray<D> kernel_size)                                 \
        : MaxUnpool##D##dImpl(MaxUnpool##D##dOptions(kernel_size)) {}                           \
    void reset() {}                                                                             \
    Tensor forward(const Tensor& input, const Tensor& indices,                                  \
                   const std::optional<std::vector<int64_t>>& output_size = std::nullopt);      \
    void pretty_print(std::ostream& stream) const override;                                     \
    MaxUnpool##D##dOptions options;                                                             \
  };                                                                                            \
  EMBER_MODULE(MaxUnpool##D##d)

EMBER_UNPOOL_MODULE(1);
EMBER_UNPOOL_MODULE(2);
EMBER_UNPOOL_MODULE(3);
#undef EMBER_UNPOOL_MODULE

}  // namespace ember::nn
