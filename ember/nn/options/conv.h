// Options of the convolution layers and functions (libtorch's torch/nn/options/conv.h):
// `Conv2dOptions(3, 16, 3).stride(1).padding(1)`, `.padding(ember::kSame)`,
// `.padding_mode(ember::kReflect)`, `ConvTranspose2dOptions(16, 3, 3).output_padding(1)`,
// `functional::Conv2dFuncOptions().stride(2)`.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <variant>
#include <vector>

#include "ember/nn/arg.h"
#include "ember/nn/enum.h"
#include "ember/nn/expanding_array.h"
#include "ember/tensor/tensor.h"

namespace ember::nn {

using ConvPaddingMode =
    std::variant<enumtype::kZeros, enumtype::kReflect, enumtype::kReplicate, enumtype::kCircular>;

// Numbers, or 'valid' / 'same'.
template <size_t D>
using ConvPadding = std::variant<ExpandingArray<D>, enumtype::kValid, enumtype::kSame>;

// The padding setter also takes a braced list, `.padding({1, 2})`, which a variant cannot.
#define EMBER_CONV_PADDING_ARG(D)                                        \
 public:                                                                 \
  auto padding(const ConvPadding<D>& value)->decltype(*this) {           \
    padding_ = value;                                                    \
    return *this;                                                        \
  }                                                                      \
  auto padding(std::initializer_list<int64_t> values)->decltype(*this) { \
    padding_ = ExpandingArray<D>(values);                                \
    return *this;                                                        \
  }                                                                      \
  const ConvPadding<D>& padding() const noexcept { return padding_; }    \
                                                                         \
 private:                                                                \
  ConvPadding<D> padding_ = ExpandingArray<D>(0)

template <size_t D>
struct ConvOptions {
  ConvOptions(int64_t in_channels, int64_t out_channels, ExpandingArray<D> kernel_size)
      : in_channels_(in_channels), out_channels_(out_channels), kernel_size_(kernel_size) {}
  EMBER_ARG(int64_t, in_channels);
  EMBER_ARG(int64_t, out_channels);
  EMBER_ARG(ExpandingArray<D>, kernel_size);
  EMBER_ARG(ExpandingArray<D>, stride) = 1;
  EMBER_CONV_PADDING_ARG(D);
  EMBER_ARG(ExpandingArray<D>, dilation) = 1;
  EMBER_ARG(int64_t, groups) = 1;
  EMBER_ARG(bool, bias) = true;
  EMBER_ARG(ConvPaddingMode, padding_mode) = enumtype::kZeros{};
};
using Conv1dOptions = ConvOptions<1>;
using Conv2dOptions = ConvOptions<2>;
using Conv3dOptions = ConvOptions<3>;

template <size_t D>
struct ConvTransposeOptions {
  ConvTransposeOptions(int64_t in_channels, int64_t out_channels, ExpandingArray<D> kernel_size)
      : in_channels_(in_channels), out_channels_(out_channels), kernel_size_(kernel_size) {}
  EMBER_ARG(int64_t, in_channels);
  EMBER_ARG(int64_t, out_channels);
  EMBER_ARG(ExpandingArray<D>, kernel_size);
  EMBER_ARG(ExpandingArray<D>, stride) = 1;
  EMBER_ARG(ExpandingArray<D>, padding) = 0;
  EMBER_ARG(ExpandingArray<D>, output_padding) = 0;
  EMBER_ARG(int64_t, groups) = 1;
  EMBER_ARG(bool, bias) = true;
  EMBER_ARG(ExpandingArray<D>, dilation) = 1;
  EMBER_ARG(ConvPaddingMode, padding_mode) = enumtype::kZeros{};
};
using ConvTranspose1dOptions = ConvTransposeOptions<1>;
using ConvTranspose2dOptions = ConvTransposeOptions<2>;
using ConvTranspose3dOptions = ConvTransposeOptions<3>;

namespace functional {

template <size_t D>
struct ConvFuncOptions {
  EMBER_ARG(Tensor, bias);
  EMBER_ARG(ExpandingArray<D>, stride) = 1;
  EMBER_CONV_PADDING_ARG(D);
  EMBER_ARG(ExpandingArray<D>, dilation) = 1;
  EMBER_ARG(int64_t, groups) = 1;
};
using Conv1dFuncOptions = ConvFuncOptions<1>;
using Conv2dFuncOptions = ConvFuncOptions<2>;
using Conv3dFuncOptions = ConvFuncOptions<3>;

template <size_t D>
struct ConvTransposeFuncOptions {
  EMBER_ARG(Tensor, bias);
  EMBER_ARG(ExpandingArray<D>, stride) = 1;
  EMBER_ARG(ExpandingArray<D>, padding) = 0;
  EMBER_ARG(ExpandingArray<D>, output_padding) = 0;
  EMBER_ARG(int64_t, groups) = 1;
  EMBER_ARG(ExpandingArray<D>, dilation) = 1;
};
using ConvTranspose1dFuncOptions = ConvTransposeFuncOptions<1>;
using ConvTranspose2dFuncOptions = ConvTransposeFuncOptions<2>;
using ConvTranspose3dFuncOptions = ConvTransposeFuncOptions<3>;

}  // namespace functional

#undef EMBER_CONV_PADDING_ARG

}  // namespace ember::nn
