// ember::nn::functional::pad, as libtorch's torch/nn/functional/padding.h: forwards its options
// to ember::pad (ember/ops/nn_pad.h), which holds the math.
#pragma once

#include <optional>

#include "ember/nn/options/padding.h"
#include "ember/ops/nn_pad.h"

namespace ember::nn::functional {

inline Tensor pad(const Tensor& input, const PadFuncOptions& options) {
  const bool constant = options.mode().index() == 0;
  return ember::pad(input, options.pad(), pad_mode_name(options.mode()),
                    constant ? std::optional<double>(options.value()) : std::nullopt);
}

}  // namespace ember::nn::functional
