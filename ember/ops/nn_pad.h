// nn.functional.pad with PyTorch's modes and rules, as a composite: constant pads are a cat of
// constant blocks around the (cropped) input, so their gradient is a slice; reflect, replicate
// and circular gather each padded dim through an index (index_select), so their gradient
// accumulates the copies back into the source positions (index_add).
#pragma once

#include <optional>
#include <string_view>

#include "ember/tensor/tensor.h"

namespace ember {

// `pad` holds (left, right) pairs starting from the last dim: (l_last, r_last, l_prev, ...).
// mode "constant" pads any number of trailing dims with `value` (0 by default; negative pads
// crop). "reflect", "replicate" and "circular" pad the last 1, 2 or 3 dims of an input with one
// or two more dims than that (a batch and a channel dim, or a channel dim alone) and take no
// value.
Tensor pad(const Tensor& input, IntArrayRef pad, std::string_view mode = "constant",
           std::optional<double> value = std::nullopt);

}  // namespace ember
