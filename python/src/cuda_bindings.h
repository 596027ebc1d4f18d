// The CUDA runtime's binding (python/src/cuda.cpp), called by module.cpp.
#pragma once

#include <nanobind/nanobind.h>

#include <string_view>

#include "ember/tensor/tensor.h"

namespace ember::python {

// ember._C._cuda: ember::cuda's runtime API for python/ember/cuda.py; the Tensor methods
// pin_memory / is_pinned; and ember._C's switches of the math libraries (_get_cublas_allow_tf32,
// _set_float32_matmul_precision, ..., for ember.backends).
void init_cuda(nanobind::module_& module, nanobind::class_<Tensor>& tensor_class);
// A device argument's CUDA index: None is -1 (the current device), an int is itself, a str or
// ember.device must name a CUDA device (a ValueError naming `op` otherwise).
int cuda_device_index(nanobind::handle device, std::string_view op);

}  // namespace ember::python
