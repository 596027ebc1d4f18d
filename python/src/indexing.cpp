// Tensor.__getitem__ / __setitem__ with PyTorch's rules. Ints, slices (positive steps), None,
// Ellipsis and Python bools are basic indices and give views; tensors, lists and NumPy arrays of
// integers or bools are advanced indices: the basic ones are applied first, then ember::index
// gathers (a copy) or ember::index_put_ writes through the view.
#include <nanobind/nanobind.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/vector.h>

#include <string>
#include <vector>

#include "convert.h"

namespace ember::python {
namespace {

// One element of a key. Lists and arrays have already become tensors.
struct KeyItem {
  enum class Kind { Ellipsis, None, Bool, Integer, Slice, Tensor };
  Kind kind;
  nb::handle object;    // the slice
  int64_t integer = 0;  // Integer: the position; Bool: 0 or 1
  Tensor tensor;        // an advanced index
};

bool is_mask(const Tensor& t) { return t.dtype() == kBool || t.dtype() == kUInt8; }

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

KeyItem classify(nb::handle item) {
  using Kind = KeyItem::Kind;
  PyObject* raw = item.ptr();
  if (raw == Py_Ellipsis) return {Kind::Ellipsis, item};
  if (raw == Py_None) return {Kind::None, item};
  if (PyBool_Check(raw)) return {Kind::Bool, item, raw == Py_True};
  if (PySlice_Check(raw)) return {Kind::Slice, item};
  Tensor t;
  if (nb::isinstance<Tensor>(item)) {
    t = nb::cast<const Tensor&>(item);
  } else if (PyList_Check(raw) || PyTuple_Check(raw)) {
    t = index_tensor_from(item);
  } else if (nb::hasattr(item, "__array_interface__")) {
    // NumPy scalars and 0-d arrays index like the Python number they hold.
    if (nb::cast<int64_t>(item.attr("ndim")) == 0) return classify(item.attr("item")());
    t = index_tensor_from(item);
  } else if (PyLong_Check(raw) || PyIndex_Check(raw)) {
    return {Kind::Integer, item, nb::cast<int64_t>(item)};
  } else {
    detail::raise<IndexError>(
        "only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are "
        "valid indices (got ",
        python_type_name(item), ")");
  }
  // A 0-d integer tensor indexes like an int (a view), as in PyTorch; a 0-d mask stays advanced.
  if (t.dim() == 0 && is_integral(t.dtype(), /*include_bool=*/false) && !is_mask(t)) {
    return {Kind::Integer, item, t.item<int64_t>()};
  }
  return {Kind::Tensor, item, 0, t};
}

// How many dims of the indexed tensor an item consumes.
int64_t dims_consumed(const KeyItem& item) {
  switch (item.kind) {
    case KeyItem::Kind::Integer:
    case KeyItem::Kind::Slice:
      return 1;
    case KeyItem::Kind::Tensor:
      return is_mask(item.tensor) ? item.tensor.dim() : 1;
    default:
      return 0;
  }
}

// view sliced along dim. ":" leaves view as it is, sparing a view per full slice.
Tensor apply_slice(const Tensor& view, int64_t dim, PyObject* raw) {
  const auto* slice = reinterpret_cast<const PySliceObject*>(raw);
  const bool has_start = slice->start != Py_None, has_stop = slice->stop != Py_None;
  if (!has_start && !has_stop && slice->step == Py_None) return view;
  Py_ssize_t start, stop, step;
  if (PySlice_Unpack(raw, &start, &stop, &step) != 0) throw nb::python_error();
  EMBER_CHECK_VALUE(step > 0, "step must be greater than zero");
  return view.slice(dim, has_start ? std::optional<int64_t>(start) : std::nullopt,
                    has_stop ? std::optional<int64_t>(stop) : std::nullopt, step);
}

struct Indexed {
  Tensor view;                                 // self after the basic indices
  std::vector<std::optional<Tensor>> indices;  // advanced indices over view's dims; often none
};

Indexed apply_key(const Tensor& self, nb::handle key) {
  std::vector<KeyItem> items;
  if (treat_as_tuple(key)) {
    items.reserve(nb::len(key));
    for (nb::handle item : key) items.push_back(classify(item));
  } else {
    items.push_back(classify(key));
  }
  int64_t consumed = 0;
  int ellipses = 0;
  bool advanced = false;
  for (const KeyItem& item : items) {
    consumed += dims_consumed(item);
    ellipses += item.kind == KeyItem::Kind::Ellipsis;
    advanced = advanced || item.kind == KeyItem::Kind::Tensor;
  }
  EMBER_CHECK_INDEX(ellipses <= 1, "an index can only have a single ellipsis ('...')");
  EMBER_CHECK_INDEX(consumed <= self.dim(), "too many indices for tensor of dimension ",
                    self.dim());

  Indexed result{self, {}};
  Tensor& view = result.view;
  int64_t dim = 0;      // the view's dim the next item applies to
  int64_t covered = 0;  // how many of the view's dims the entries of result.indices stand for
  auto record = [&](const Tensor& index, int64_t dims_used) {
    for (; covered < dim; ++covered) result.indices.emplace_back(std::nullopt);
    result.indices.emplace_back(index);
    covered += dims_used;
    dim += dims_used;
  };
  for (const KeyItem& item : items) {
    switch (item.kind) {
      case KeyItem::Kind::Ellipsis:
        dim += self.dim() - consumed;
        break;
      case KeyItem::Kind::None:
        view = view.unsqueeze(dim++);
        break;
      case KeyItem::Kind::Bool:
        // x[True] adds a dim (a view); x[False] adds it and then takes nothing from it. Beside
        // another advanced index, True is an advanced index too (position 0 of the new dim), so
        // it broadcasts with the others as in PyTorch: zeros(2, 3, 4)[True, i, 1] is (2, 4).
        view = view.unsqueeze(dim);
        if (item.integer && !advanced) {
          ++dim;
        } else {
          record(zeros({item.integer}, TensorOptions(kInt64).device(self.device())), 1);
        }
        break;
      case KeyItem::Kind::Integer:
        view = view.select(dim, item.integer);
        break;
      case KeyItem::Kind::Slice:
        view = apply_slice(view, dim++, item.object.ptr());
        break;
      case KeyItem::Kind::Tensor:
        // A 0-d mask consumes no dim: ember::index inserts its size-1 dim itself.
        record(item.tensor, dims_consumed(item));
        break;
    }
  }
  return result;
}

Tensor getitem(const Tensor& self, nb::handle key) {
  // The common keys skip the general parse (per-op overhead budget, DESIGN §7).
  if (PyLong_CheckExact(key.ptr())) return self.select(0, nb::cast<int64_t>(key));
  Indexed indexed = apply_key(self, key);
  if (!indexed.indices.empty()) return index(indexed.view, indexed.indices);
  // x[:] and x[...] are new tensors sharing x's memory, never x itself (PyTorch's alias).
  const Tensor& view = indexed.view;
  if (view.is_same(self)) return self.as_strided(self.shape(), self.strides());
  return view;
}

void setitem(Tensor& self, nb::handle key, nb::handle value) {
  // x[mask] = number with a mask shaped like x (the seed's grad_h[h < 0] = 0) is masked_fill_:
  // one elementwise pass instead of gathering positions.
  if (nb::isinstance<Tensor>(key) && is_python_number(value)) {
    const Tensor& mask = nb::cast<const Tensor&>(key);
    if (mask.dtype() == kBool && mask.shape() == self.shape()) {
      self.masked_fill_(mask, to_scalar(value));
      return;
    }
  }
  Indexed indexed = apply_key(self, key);
  Tensor values;
  if (nb::isinstance<Tensor>(value)) {
    values = nb::cast<const Tensor&>(value);
    // Leading size-1 dims of the value never matter (x[0] = ones(1, 3) works), as in PyTorch.
    while (values.dim() > 0 && values.size(0) == 1) values = values.squeeze(0);
  } else {
    EMBER_CHECK_TYPE(PyNumber_Check(value.ptr()), "can't assign a ", python_type_name(value),
                     " to a Tensor");
    if (indexed.indices.empty()) {
      indexed.view.fill_(to_scalar(value));
      return;
    }
    values = scalar_tensor(to_scalar(value), self.dtype());
  }
  if (indexed.indices.empty()) {
    indexed.view.copy_(values);
  } else {
    index_put_(indexed.view, indexed.indices, values);
  }
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
  tensor_class.def("nonzero", &Tensor::nonzero, nb::sig("def nonzero(self) -> Tensor"),
                   "The indices of the non-zero elements, shape (count, self.dim()).");
  tensor_class.def("index_put_", &Tensor::index_put_, nb::arg("indices"), nb::arg("values"),
                   nb::arg("accumulate") = false, nb::rv_policy::reference_internal,
                   nb::sig("def index_put_(self, indices, values, accumulate=False) -> Tensor"),
                   "self[indices] = values (or += with accumulate) in place.");
}

}  // namespace ember::python
