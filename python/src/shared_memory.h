// Tensors in memory that other processes share (python/src/shared_memory.cpp), called by
// module.cpp.
#pragma once

#include <nanobind/nanobind.h>

#include "ember/tensor/tensor.h"

namespace ember::python {

// Tensor.share_memory_, Tensor.is_shared and ember._C._shared_tensor (DataLoader workers).
void init_shared_memory(nanobind::module_& module, nanobind::class_<Tensor>& tensor_class);

}  // namespace ember::python
