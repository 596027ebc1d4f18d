// libtorch's names for tensors in autograd signatures: a Variable is a Tensor (they merged in
// libtorch too) and a variable_list is what backward functions take and return.
#pragma once

#include <vector>

#include "ember/tensor/tensor.h"

namespace ember::autograd {

using Variable = Tensor;
using variable_list = std::vector<Tensor>;

}  // namespace ember::autograd
