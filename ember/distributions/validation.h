// The parameter checks of ember::distributions' constructors, with PyTorch's message.
#pragma once

#include <string_view>

#include "ember/tensor/tensor.h"

namespace ember::distributions {

// ValueError unless every element of `satisfied` (a bool tensor computed from the parameter) is
// true: "[Normal] expected parameter scale (Tensor of shape [2]) to satisfy the constraint
// GreaterThan(lower_bound=0.0); received invalid values".
void check_parameter(const Tensor& satisfied, std::string_view distribution,
                     std::string_view parameter, std::string_view constraint);

}  // namespace ember::distributions
