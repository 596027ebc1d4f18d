// Conversions between Python objects and ember's C++ types, shared by every binding file (each
// includes it, so that all of them use the Tensor caster below): tensors (one Python object per
// TensorImpl), Python numbers as weak scalars, dtype and device objects, dim lists and shapes.
#pragma once

#include <nanobind/nanobind.h>

#include <optional>
#include <vector>

#include "ember/base/error.h"
#include "ember/ops/ops.h"

namespace ember::python {

namespace nb = nanobind;

// A new Python object of `type` (ember.Tensor when null, or a Python subclass) owning `tensor`,
// recorded as its impl's object (Note [Python objects]). New reference; nullptr with a Python
// error set on failure.
PyObject* new_tensor_object(Tensor&& tensor, PyTypeObject* type = nullptr) noexcept;

}  // namespace ember::python

// Every Tensor that crosses into Python goes through this caster, declared before any binding
// code uses one: a tensor whose impl has a live Python object returns that object (a subclass
// instance keeps its class and attributes), any other becomes a new ember.Tensor that owns its
// handle and is recorded as the impl's object.
namespace nanobind::detail {
template <>
struct type_caster<ember::Tensor> : type_caster_base<ember::Tensor> {
  template <typename T>
  static handle from_cpp(T&& value, rv_policy, cleanup_list*) noexcept {
    const ember::Tensor* tensor;
    if constexpr (is_pointer_v<T>) {
      if (value == nullptr) return none().release();
      tensor = value;
    } else {
      tensor = &value;
    }
    if (const ember::TensorImpl* impl = tensor->impl(); impl != nullptr && impl->pyobj()) {
      return handle(static_cast<PyObject*>(impl->pyobj())).inc_ref();
    }
    // The new object always holds its own handle, whatever the policy: an object referring to
    // a C++ Tensor elsewhere could outlive it.
    if constexpr (std::is_same_v<T, ember::Tensor>) {
      return ember::python::new_tensor_object(std::move(value));
    } else {
      return ember::python::new_tensor_object(ember::Tensor(*tensor));
    }
  }
};
}  // namespace nanobind::detail

namespace ember::python {

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
void init_tensor_reductions(nb::class_<Tensor>& tensor_class);
void init_ops(nb::module_& module);
void init_compare(nb::module_& module, nb::class_<Tensor>& tensor_class);
void init_math(nb::module_& module, nb::class_<Tensor>& tensor_class);
void init_linalg(nb::module_& module, nb::class_<Tensor>& tensor_class);
void init_creation(nb::module_& module);
void init_scan(nb::module_& module, nb::class_<Tensor>& tensor_class);
void init_random(nb::module_& module, nb::class_<Tensor>& tensor_class);
// A factory's result with requires_grad set as asked; TensorOptions from dtype=/device= objects.
Tensor with_grad(Tensor tensor, bool requires_grad);
TensorOptions options_from(nb::handle dtype, nb::handle device);
void init_numpy(nb::module_& module, nb::class_<Tensor>& tensor_class);
void init_indexing(nb::class_<Tensor>& tensor_class);
void init_scatter(nb::module_& module, nb::class_<Tensor>& tensor_class);
// where(condition): the tuple nonzero(condition, as_tuple=True) gives (scatter.cpp).
nb::object where_condition(const Tensor& condition);
void init_autograd(nb::module_& module, nb::class_<Tensor>& tensor_class);
// util (python/src/util.cpp): out= plumbing, finfo/iinfo, printing options, util reductions.
void init_util(nb::module_& module, nb::class_<Tensor>& tensor_class);
// clone(memory_format=None): None and ember.preserve_format keep dense strides.
Tensor clone_python(const Tensor& self, nb::handle memory_format);
// var/std's correction from PyTorch's (dim, unbiased, *, correction) forms; a bool dim is the
// old positional `unbiased` and is reset to None.
double correction_of(nb::handle& dim, nb::handle unbiased, nb::handle correction);
// One Python object per TensorImpl (Note [Python objects]): the Tensor type's dealloc hook,
// Tensor._make_subclass and Tensor.as_subclass.
void init_object_identity(nb::class_<Tensor>& tensor_class);
void init_shape(nb::module_& module, nb::class_<Tensor>& tensor_class);
// The Tensor type's __init__: accepts an instance that __new__ already built (a subclass's
// __new__ calling Tensor._make_subclass), refuses to construct one.
int tensor_init(PyObject* self, PyObject* args, PyObject* kwargs);
// The Tensor type's slots: the garbage collector's (Note [tensors and the garbage collector])
// and tensor_init.
PyType_Slot* tensor_type_slots();
// nn.functional's activations (python/src/nn_activation.cpp): ember.softmax, ..., ember._C._nn.
void init_nn_activation(nb::module_& module, nb::class_<Tensor>& tensor_class,
                        nb::module_& nn_module);
// Mixed precision (python/src/autocast.cpp): ember._C._autocast.
void init_autocast(nb::module_& module);

}  // namespace ember::python
