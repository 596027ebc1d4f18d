// libtorch's name for a list of tensors in autograd signatures (torch::autograd::variable_list).
#pragma once

#include <vector>

#include "ember/tensor/tensor.h"

namespace ember::autograd {

using variable_list = std::vector<Tensor>;

}  // namespace ember::autograd
