// The CUDA runtime's binding (python/src/cuda.cpp), called by module.cpp.
#pragma once

#include <nanobind/nanobind.h>

#include "ember/tensor/tensor.h"

namespace ember::python {

// ember._C._cuda: ember::cuda's runtime API for python/ember/cuda.py, and the Tensor methods
// pin_memory / is_pinned.
void init_cuda(nanobind::module_& module, nanobind::class_<Tensor>& tensor_class);

}  // namespace ember::python
