// The serialization bindings' init functions (python/src/serialize_*.cpp), called by module.cpp.
#pragma once

#include <nanobind/nanobind.h>

#include "ember/tensor/tensor.h"

namespace ember::python {

// ember._C._safetensors (python/src/serialize_safetensors.cpp).
void init_serialize_safetensors(nanobind::module_& module);
// ember._C._checkpoint (python/src/serialize_checkpoint.cpp).
void init_serialize_checkpoint(nanobind::module_& module);

}  // namespace ember::python
