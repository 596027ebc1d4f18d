// The CUDA caching allocator's Python API (python/src/cuda_memory.cpp), called by module.cpp.
#pragma once

#include <nanobind/nanobind.h>

#include "ember/tensor/tensor.h"

namespace ember::python {

// ember._C._cuda's memory functions (memory_allocated & co) and Tensor.record_stream.
void init_cuda_memory(nanobind::module_& module, nanobind::class_<Tensor>& tensor_class);

}  // namespace ember::python
