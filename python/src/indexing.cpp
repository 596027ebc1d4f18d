// Tensor.__getitem__ / __setitem__: only the conversion of Python key objects into
// ember::indexing::TensorIndex entries (ints, slices, None, Ellipsis, bools, tensors; lists and
// NumPy arrays become tensors) and PyTorch's Python-only rule that a short list can be a tuple of
// indices. The rules for the keys themselves (views, Ellipsis, advanced indices, errors) live
// once in C++, ember/ops/indexing.cpp, which libtorch-style t.index({...}) calls too.
#include <nanobind/nanobind.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/vector.h>

#include <string>
#include <vector>

#include "convert.h"
#include "ember/ops/indexing.h"

namespace ember::python {
namespace {

using indexing::TensorIndex;

std::string python_type_name(nb::handle object) {
  return nb::cast<std::string>(nb::str(nb::type_name(object.type())));
}

// PyTorch's rule (NumPy's old one) for a list key: a short list holding slices, None, Ellipsis,
// tensors or sequences is a tuple of indices (x[[0, slice(None)]] is x[0, :]); otherwise the
// list itself is one integer index. Other sequences, NumPy arrays included, are one index.
bool treat_as_tuple(nb::handle key) {
  if (PyTuple_Check(key.ptr())) return true;
  if (!PyList_Check(key.ptr())) return false;
  const Py_ssize_t length = PyList_GET_SIZE(key.ptr());
  if (length >= 32) return false;
  for (Py_ssize_t i = 0; i < length; ++i) {
    PyObject* item = PyList_GET_ITEM(key.ptr(), i);
    if (item == Py_None || item == Py_Ellipsis || PySlice_Check(item) || PySequence_Check(item) ||
        nb::isinstance<Tensor>(nb::handle(item))) {
      return true;
    }
  }
  return false;
}

// A list, tuple or array index as a tensor: bool stays a mask, an empty list indexes nothing
// (int64, as in PyTorch); a float index is left for ember::index to reject.
Tensor index_tensor_from(nb::handle object) {
  // Never released: a static nb::object would be decref'd after the interpreter is gone.
  static nb::handle make_tensor =
      nb::object(nb::module_::import_("ember").attr("tensor")).release();
  Tensor t = nb::cast<Tensor>(make_tensor(object));
  if (t.numel() == 0 && t.is_floating_point()) return t.to(kInt64);
  return t;
}

// A slice's bounds as Python resolves them; an omitted stop is PY_SSIZE_T_MAX, INDEX_MAX.
indexing::Slice to_slice(PyObject* raw) {
  Py_ssize_t start, stop, step;
  if (PySlice_Unpack(raw, &start, &stop, &step) != 0) throw nb::python_error();
  return indexing::Slice(start, stop, step);
}

TensorIndex to_index(nb::handle item) {
  PyObject* raw = item.ptr();
  if (raw == Py_Ellipsis) return indexing::Ellipsis;
  if (raw == Py_None) return indexing::None;
  if (PyBool_Check(raw)) return raw == Py_True;
  if (PySlice_Check(raw)) return to_slice(raw);
  if (nb::isinstance<Tensor>(item)) return nb::cast<const Tensor&>(item);
  if (PyList_Check(raw) || PyTuple_Check(raw)) return index_tensor_from(item);
  if (nb::hasattr(item, "__array_interface__")) {
    // NumPy scalars and 0-d arrays index like the Python number they hold.
    if (nb::cast<int64_t>(item.attr("ndim")) == 0) return to_index(item.attr("item")());
    return index_tensor_from(item);
  }
  if (PyLong_Check(raw) || PyIndex_Check(raw)) return nb::cast<int64_t>(item);
  detail::raise<IndexError>(
      "only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are "
      "valid indices (got ",
      python_type_name(item), ")");
}

// Calls body with the key's entries; a key of one entry, the common case, needs no heap.
template <typename Body>
auto with_indices(nb::handle key, Body&& body) {
  if (!treat_as_tuple(key)) {
    const TensorIndex index = to_index(key);
    return body(ArrayRef<TensorIndex>(&index, 1));
  }
  std::vector<TensorIndex> indices;
  indices.reserve(nb::len(key));
  for (nb::handle item : key) indices.push_back(to_index(item));
  return body(ArrayRef<TensorIndex>(indices));
}

Tensor getitem(const Tensor& self, nb::handle key) {
  // x[i] builds no key (per-op overhead budget, DESIGN §7).
  if (PyLong_CheckExact(key.ptr())) {
    const TensorIndex index = nb::cast<int64_t>(key);
    return indexing::get_item(self, ArrayRef<TensorIndex>(&index, 1));
  }
  return with_indices(
      key, [&](ArrayRef<TensorIndex> indices) { return indexing::get_item(self, indices); });
}

void setitem(const Tensor& self, nb::handle key, nb::handle value) {
  with_indices(key, [&](ArrayRef<TensorIndex> indices) {
    if (nb::isinstance<Tensor>(value)) {
      indexing::set_item(self, indices, nb::cast<const Tensor&>(value));
      return;
    }
    EMBER_CHECK_TYPE(PyNumber_Check(value.ptr()), "can't assign a ", python_type_name(value),
                     " to a Tensor");
    indexing::set_item(self, indices, to_scalar(value));
  });
}

}  // namespace

void init_indexing(nb::class_<Tensor>& tensor_class) {
  tensor_class.def("__getitem__", &getitem, nb::arg("key").none());
  tensor_class.def("__setitem__", &setitem, nb::arg("key").none(), nb::arg("value").none());
  tensor_class.def("index_select", &Tensor::index_select, nb::arg("dim"), nb::arg("index"),
                   nb::sig("def index_select(self, dim, index) -> Tensor"),
                   "The entries along dim at the positions in the 1-D index tensor.");
  tensor_class.def("masked_select", &Tensor::masked_select, nb::arg("mask"),
                   nb::sig("def masked_select(self, mask) -> Tensor"),
                   "The elements where the bool mask is True, as a 1-D tensor.");
  tensor_class.def("index_put_",
                   static_cast<Tensor& (Tensor::*)(const std::vector<std::optional<Tensor>>&,
                                                   const Tensor&, bool)>(&Tensor::index_put_),
                   nb::arg("indices"), nb::arg("values"), nb::arg("accumulate") = false,
                   nb::rv_policy::reference_internal,
                   nb::sig("def index_put_(self, indices, values, accumulate=False) -> Tensor"),
                   "self[indices] = values (or += with accumulate) in place.");
}

}  // namespace ember::python
