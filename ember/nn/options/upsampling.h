// Options of the resampling layers and functions, as libtorch's torch/nn/options/upsampling.h and
// vision.h: UpsampleOptions().scale_factor(std::vector<double>{2, 2}).mode(ember::kBilinear),
// InterpolateFuncOptions, GridSampleFuncOptions.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <variant>
#include <vector>

#include "ember/nn/arg.h"
#include "ember/nn/enum.h"
#include "ember/ops/nn_init.h"  // ember::kLinear, shared with nn.init's gains

namespace ember::nn {

struct UpsampleOptions {
  using mode_t = std::variant<enumtype::kNearest, enumtype::kLinear, enumtype::kBilinear,
                              enumtype::kBicubic, enumtype::kTrilinear>;
  EMBER_ARG(std::optional<std::vector<int64_t>>, size) = std::nullopt;
  EMBER_ARG(std::optional<std::vector<double>>, scale_factor) = std::nullopt;
  EMBER_ARG(mode_t, mode) = kNearest;
  EMBER_ARG(std::optional<bool>, align_corners) = std::nullopt;
};

namespace functional {

struct InterpolateFuncOptions {
  using mode_t =
      std::variant<enumtype::kNearest, enumtype::kLinear, enumtype::kBilinear, enumtype::kBicubic,
                   enumtype::kTrilinear, enumtype::kArea, enumtype::kNearestExact>;
  EMBER_ARG(std::optional<std::vector<int64_t>>, size) = std::nullopt;
  EMBER_ARG(std::optional<std::vector<double>>, scale_factor) = std::nullopt;
  EMBER_ARG(mode_t, mode) = kNearest;
  EMBER_ARG(std::optional<bool>, align_corners) = std::nullopt;
  EMBER_ARG(std::optional<bool>, recompute_scale_factor) = std::nullopt;
  EMBER_ARG(bool, antialias) = false;
};

struct GridSampleFuncOptions {
  using mode_t = std::variant<enumtype::kBilinear, enumtype::kNearest, enumtype::kBicubic>;
  using padding_mode_t = std::variant<enumtype::kZeros, enumtype::kBorder, enumtype::kReflection>;
  EMBER_ARG(mode_t, mode) = kBilinear;
  EMBER_ARG(padding_mode_t, padding_mode) = kZeros;
  EMBER_ARG(std::optional<bool>, align_corners) = std::nullopt;
};

}  // namespace functional

// The ops' name of a mode value (the variants above list them in these tables' order).
inline std::string_view interpolate_mode_name(
    const functional::InterpolateFuncOptions::mode_t& mode) {
  static constexpr std::string_view kNames[] = {"nearest",   "linear", "bilinear",     "bicubic",
                                                "trilinear", "area",   "nearest-exact"};
  return kNames[mode.index()];
}

inline std::string_view upsample_mode_name(const UpsampleOptions::mode_t& mode) {
  static constexpr std::string_view kNames[] = {"nearest", "linear", "bilinear", "bicubic",
                                                "trilinear"};
  return kNames[mode.index()];
}

}  // namespace ember::nn
