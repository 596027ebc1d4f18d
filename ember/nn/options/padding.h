// Options of nn::functional::pad and the padding layers (libtorch's torch/nn/options/padding.h):
// `PadFuncOptions({1, 1}).mode(ember::kReflect)`, `ReflectionPad2dOptions(1)`,
// `ConstantPad1dOptions({1, 2}, 3.5)`.
#pragma once

#include <cstdint>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "ember/nn/arg.h"
#include "ember/nn/enum.h"
#include "ember/nn/expanding_array.h"

namespace ember::nn {

using PadMode = std::variant<enumtype::kConstant, enumtype::kReflect, enumtype::kReplicate,
                             enumtype::kCircular>;

// The mode as ember::pad names it.
inline std::string_view pad_mode_name(const PadMode& mode) {
  constexpr std::string_view kNames[] = {"constant", "reflect", "replicate", "circular"};
  return kNames[mode.index()];
}

namespace functional {
struct PadFuncOptions {
  PadFuncOptions(std::vector<int64_t> pad) : pad_(std::move(pad)) {}  // NOLINT: as libtorch's
  EMBER_ARG(std::vector<int64_t>, pad);
  EMBER_ARG(PadMode, mode) = enumtype::kConstant{};
  EMBER_ARG(double, value) = 0.0;
};
}  // namespace functional

// ReflectionPad{1,2,3}d and ReplicationPad{1,2,3}d: the (left, right) pairs from the last dim.
template <size_t D>
struct PaddingOptions {
  PaddingOptions(ExpandingArray<D * 2> padding) : padding_(padding) {}  // NOLINT: as libtorch's
  EMBER_ARG(ExpandingArray<D * 2>, padding);
};
using ReflectionPad1dOptions = PaddingOptions<1>;
using ReflectionPad2dOptions = PaddingOptions<2>;
using ReflectionPad3dOptions = PaddingOptions<3>;
using ReplicationPad1dOptions = PaddingOptions<1>;
using ReplicationPad2dOptions = PaddingOptions<2>;
using ReplicationPad3dOptions = PaddingOptions<3>;
using ZeroPad2dOptions = PaddingOptions<2>;

template <size_t D>
struct ConstantPadOptions {
  ConstantPadOptions(ExpandingArray<D * 2> padding, double value)
      : padding_(padding), value_(value) {}
  EMBER_ARG(ExpandingArray<D * 2>, padding);
  EMBER_ARG(double, value);
};
using ConstantPad1dOptions = ConstantPadOptions<1>;
using ConstantPad2dOptions = ConstantPadOptions<2>;
using ConstantPad3dOptions = ConstantPadOptions<3>;

}  // namespace ember::nn
