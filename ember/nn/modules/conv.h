// The convolution layers (libtorch's torch/nn/modules/conv.h): Conv1d/2d/3d and
// ConvTranspose1d/2d/3d. Each registers weight and bias with PyTorch's shapes, initialises them
// as PyTorch does (kaiming_uniform_ with a = sqrt(5), the bias from U(-1/sqrt(fan_in),
// 1/sqrt(fan_in))) and forwards to one op; padding_mode other than zeros pads with ember::pad.
#pragma once

#include <optional>
#include <ostream>

#include "ember/nn/module.h"
#include "ember/nn/options/conv.h"
#include "ember/nn/pimpl.h"

namespace ember::nn {

#define EMBER_CONV_MODULE(Name, D, forward_signature)                                          \
  class Name##Impl : public Module {                                                           \
   public:                                                                                     \
    Name##Impl(int64_t input_channels, int64_t output_channels, ExpandingArray<D> kernel_size) \
        : Name##Impl(Name##Options(input_channels, output_channels, kernel_size)) {}           \
    explicit Name##Impl(const Name##Options& options_);                                        \
    /* Registers the parameters and initialises them (the constructor calls it). */            \
    void reset();                                                                              \
    void reset_parameters();                                                                   \
    forward_signature;                                                                         \
    void pretty_print(std::ostream& stream) const override;                                    \
    Name##Options options;                                                                     \
    Tensor weight;                                                                             \
    Tensor bias; /* undefined with bias(false) */                                              \
  };                                                                                           \
  EMBER_MODULE(Name)

EMBER_CONV_MODULE(Conv1d, 1, Tensor forward(const Tensor& input));
EMBER_CONV_MODULE(Conv2d, 2, Tensor forward(const Tensor& input));
EMBER_CONV_MODULE(Conv3d, 3, Tensor forward(const Tensor& input));
// output_size (the output's spatial sizes, or its whole shape) picks the output_padding.
EMBER_CONV_MODULE(ConvTranspose1d, 1,
                  Tensor forward(const Tensor& input,
                                 const std::optional<IntArrayRef>& output_size = std::nullopt));
EMBER_CONV_MODULE(ConvTranspose2d, 2,
                  Tensor forward(const Tensor& input,
                                 const std::optional<IntArrayRef>& output_size = std::nullopt));
EMBER_CONV_MODULE(ConvTranspose3d, 3,
                  Tensor forward(const Tensor& input,
                                 const std::optional<IntArrayRef>& output_size = std::nullopt));
#undef EMBER_CONV_MODULE

}  // namespace ember::nn
