// Conversions between Python objects and ember's C++ types, shared by every binding file:
// Python numbers as weak scalars, dtype and device objects, dim lists and shapes.
#pragma once

#include <nanobind/nanobind.h>

#include <optional>
#include <vector>

#include "ember/base/error.h"
#include "ember/ops/ops.h"

namespace ember::python {

namespace nb = nanobind;

// The Python `ember.dtype` object: one singleton per ScalarType.
struct DType {
  ScalarType type;
};

nb::object dtype_object(ScalarType type);
// Accepts an ember.dtype, a legacy tensor type (ember.FloatTensor) or None.
std::optional<ScalarType> to_dtype(nb::handle object);
std::optional<Device> to_device(nb::handle object);

bool is_python_number(nb::handle object);
Scalar to_scalar(nb::handle object);
nb::object scalar_to_python(const Scalar& value);

// A Tensor, or a Python number wrapped as a weak 0-d tensor (PyTorch's "wrapped number").
Tensor to_operand(nb::handle object);

// None -> {} (all dims); an int -> {d}; a sequence of ints -> the list.
std::vector<int64_t> to_dims(nb::handle object);
// shape given as f(2, 3), f((2, 3)), f([2, 3]) or f(ember.Size)
std::vector<int64_t> to_shape(const nb::args& args, nb::handle size_keyword = nb::none());

nb::object shape_to_python(const Shape& shape);

void init_dtypes(nb::module_& module);
void init_tensor(nb::class_<Tensor>& tensor_class);
void init_ops(nb::module_& module);
void init_compare(nb::module_& module, nb::class_<Tensor>& tensor_class);
void init_creation(nb::module_& module);
void init_numpy(nb::module_& module, nb::class_<Tensor>& tensor_class);
void init_indexing(nb::class_<Tensor>& tensor_class);
void init_autograd(nb::module_& module, nb::class_<Tensor>& tensor_class);
// The Tensor type's garbage-collector slots (Note [tensors and the garbage collector]).
PyType_Slot* tensor_type_slots();

}  // namespace ember::python
