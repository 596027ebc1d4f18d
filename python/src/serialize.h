// The serialization bindings' init functions (python/src/serialize_*.cpp), called by module.cpp.
#pragma once

#include <nanobind/nanobind.h>

#include "ember/tensor/tensor.h"

namespace ember::python {

// ember._C._safetensors (python/src/serialize_safetensors.cpp).
void init_serialize_safetensors(nanobind::module_& module);
// Tensor.__dlpack__, __dlpack_device__, __array__ and ember.from_dlpack
// (python/src/serialize_dlpack.cpp).
void init_serialize_dlpack(nanobind::module_& module, nanobind::class_<Tensor>& tensor_class);
// ember._C._checkpoint (python/src/serialize_checkpoint.cpp).
void init_serialize_checkpoint(nanobind::module_& module);

}  // namespace ember::python
