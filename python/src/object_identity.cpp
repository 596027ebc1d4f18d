// One Python object per TensorImpl (Note [Python objects]): making and recording tensor
// objects, forgetting them when they die, and Tensor._make_subclass / Tensor.as_subclass, which
// make instances of Python subclasses such as nn.Parameter.
#include <nanobind/nanobind.h>

#include <new>

#include "convert.h"

namespace ember::python {
namespace {

PyTypeObject* tensor_type_object = nullptr;
// nanobind's tp_dealloc for the Tensor type, which tensor_dealloc wraps.
destructor instance_dealloc = nullptr;

// The Tensor type's tp_dealloc (Python subclasses reach it through subtype_dealloc). The impl
// forgets its object first: clearing the object's __dict__ and weak references can run Python
// code, and a tensor returned to it from C++ then gets a new object instead of this dying one.
void tensor_dealloc(PyObject* self) {
  if (nb::inst_ready(self)) {
    TensorImpl* impl = nb::inst_ptr<Tensor>(self)->impl();
    if (impl != nullptr && impl->pyobj() == self) impl->set_pyobj(nullptr);
  }
  instance_dealloc(self);
}

PyTypeObject* tensor_subclass(nb::handle cls, const char* method) {
  const bool is_subclass =
      PyType_Check(cls.ptr()) &&
      PyType_IsSubtype(reinterpret_cast<PyTypeObject*>(cls.ptr()), tensor_type_object);
  EMBER_CHECK(is_subclass, method,
              "(): creating a Tensor subclass from a class that does not inherit from Tensor is "
              "not possible. Make sure your class inherits from Tensor (got ",
              nb::repr(cls).c_str(), ")");
  return reinterpret_cast<PyTypeObject*>(cls.ptr());
}

nb::object steal_or_raise(PyObject* object) {
  if (object == nullptr) throw nb::python_error();
  return nb::steal(object);
}

}  // namespace

PyObject* new_tensor_object(Tensor&& tensor, PyTypeObject* type) noexcept {
  nb::object object;
  try {
    object = nb::inst_alloc(reinterpret_cast<PyObject*>(type ? type : tensor_type_object));
  } catch (nb::python_error& error) {
    error.restore();
    return nullptr;
  }
  TensorImpl* impl = tensor.impl();
  new (nb::inst_ptr<Tensor>(object)) Tensor(std::move(tensor));
  nb::inst_mark_ready(object);
  if (impl != nullptr) impl->set_pyobj(object.ptr());
  return object.release().ptr();
}

int tensor_init(PyObject* self, PyObject*, PyObject*) {
  if (nb::inst_ready(self)) return 0;
  PyErr_Format(PyExc_TypeError,
               "%s cannot be constructed directly: use ember.tensor(data), ember.empty(size), or "
               "Tensor._make_subclass(cls, data) in a subclass's __new__",
               Py_TYPE(self)->tp_name);
  return -1;
}

void init_object_identity(nb::class_<Tensor>& tensor_class) {
  tensor_type_object = reinterpret_cast<PyTypeObject*>(tensor_class.ptr());
  instance_dealloc = tensor_type_object->tp_dealloc;
  tensor_type_object->tp_dealloc = &tensor_dealloc;

  tensor_class
      .def_static(
          "_make_subclass",
          [](nb::handle cls, const Tensor& data, bool require_grad) {
            PyTypeObject* type = tensor_subclass(cls, "_make_subclass");
            // As in PyTorch: the data, detached, with requires_grad set as asked.
            Tensor tensor = data.detach();
            tensor.requires_grad_(require_grad);
            return steal_or_raise(new_tensor_object(std::move(tensor), type));
          },
          nb::arg("cls"), nb::arg("data"), nb::arg("require_grad") = false,
          "_make_subclass(cls, data, require_grad=False) -> Tensor\n\n"
          "A new instance of cls, a subclass of Tensor, sharing data's memory, detached from its "
          "history, with requires_grad set to require_grad (how nn.Parameter is made).")
      .def(
          "as_subclass",
          [](const Tensor& self, nb::handle cls) {
            PyTypeObject* type = tensor_subclass(cls, "as_subclass");
            // A view of the whole tensor: the same data, and autograd history that leads back
            // to self (PyTorch's alias).
            return steal_or_raise(new_tensor_object(self.view(self.shape()), type));
          },
          nb::arg("cls"),
          "as_subclass(cls) -> Tensor\n\n"
          "A cls instance with the same data as self; it stays attached to the autograd graph. "
          "cls must be a subclass of Tensor.");
}

}  // namespace ember::python
