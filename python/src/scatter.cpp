// Bindings of the scatter family (ember/ops/scatter.h): the functions and Tensor methods, with
// PyTorch's signatures. A scatter's src may be a tensor or a Python number (PyTorch's value).
#include <nanobind/nanobind.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/string_view.h>

#include <optional>
#include <string>

#include "convert.h"
#include "ember/ops/scatter.h"
#include "out.h"

namespace ember::python {
namespace {

nb::object to_tuple(const std::vector<Tensor>& tensors) {
  nb::list list;
  for (const Tensor& t : tensors) list.append(nb::cast(t));
  return nb::steal(PyList_AsTuple(list.ptr()));
}

// scatter's src (a tensor or a number) or its value= keyword: exactly one of them.
nb::handle src_or_value(nb::handle src, nb::handle value) {
  EMBER_CHECK_TYPE(src.is_none() != value.is_none(),
                   "[scatter] expected exactly one of src and value; got ",
                   src.is_none() ? "neither" : "both");
  return src.is_none() ? value : src;
}

Tensor& scatter_inplace(Tensor& self, int64_t dim, const Tensor& index, nb::handle src,
                        const std::optional<std::string>& reduce) {
  if (nb::isinstance<Tensor>(src)) {
    const Tensor& source = nb::cast<const Tensor&>(src);
    return reduce ? self.scatter_(dim, index, source, *reduce) : self.scatter_(dim, index, source);
  }
  const Scalar value = to_scalar(src);
  return reduce ? self.scatter_(dim, index, value, *reduce) : self.scatter_(dim, index, value);
}

Tensor& fill_inplace(Tensor& self, int64_t dim, const Tensor& index, nb::handle value) {
  if (nb::isinstance<Tensor>(value)) {
    return self.index_fill_(dim, index, nb::cast<const Tensor&>(value));
  }
  return self.index_fill_(dim, index, to_scalar(value));
}

nb::object nonzero(const Tensor& self, bool as_tuple) {
  return as_tuple ? to_tuple(self.nonzero_numpy()) : nb::cast(self.nonzero());
}

// ember.nonzero also takes out= (not with as_tuple, as in PyTorch).
nb::object nonzero_function(const Tensor& self, bool as_tuple, nb::handle out) {
  if (as_tuple) {
    if (!out.is_none())
      ember::detail::raise<ember::TypeError>("nonzero(as_tuple=True) takes no out= argument");
    return nonzero(self, true);
  }
  static const auto nonzero_out =
      with_out("nonzero", [](const Tensor& input) { return input.nonzero(); });
  return nonzero_out(self, out);
}

}  // namespace

nb::object where_condition(const Tensor& condition) { return to_tuple(ember::where(condition)); }

void init_scatter(nb::module_& module, nb::class_<Tensor>& tensor_class) {
  constexpr auto reference = nb::rv_policy::reference_internal;
  module.def("gather", with_out("gather", &ember::gather), nb::arg("input"), nb::arg("dim"),
             nb::arg("index"), nb::kw_only(), nb::arg("sparse_grad") = false,
             nb::arg("out") = nb::none(),
             nb::sig("def gather(input, dim, index, *, sparse_grad=False, out=None) -> Tensor"),
             "Values of input along dim at the positions in index (index's shape).");
  tensor_class.def("gather", &Tensor::gather, nb::arg("dim"), nb::arg("index"), nb::kw_only(),
                   nb::arg("sparse_grad") = false,
                   nb::sig("def gather(self, dim, index, *, sparse_grad=False) -> Tensor"),
                   "Values of self along dim at the positions in index (index's shape).");

  module.def(
      "scatter",
      [](const Tensor& input, int64_t dim, const Tensor& index, nb::handle src, nb::handle value,
         const std::optional<std::string>& reduce) {
        Tensor result = input.clone();
        return scatter_inplace(result, dim, index, src_or_value(src, value), reduce);
      },
      nb::arg("input"), nb::arg("dim"), nb::arg("index"), nb::arg("src") = nb::none(),
      nb::kw_only(), nb::arg("value") = nb::none(), nb::arg("reduce") = nb::none(),
      nb::sig("def scatter(input, dim, index, src=None, *, value=None, reduce=None) -> Tensor"),
      "A copy of input with src (a tensor or number) written along dim at index.");
  tensor_class.def(
      "scatter",
      [](const Tensor& self, int64_t dim, const Tensor& index, nb::handle src, nb::handle value,
         const std::optional<std::string>& reduce) {
        Tensor result = self.clone();
        return scatter_inplace(result, dim, index, src_or_value(src, value), reduce);
      },
      nb::arg("dim"), nb::arg("index"), nb::arg("src") = nb::none(), nb::kw_only(),
      nb::arg("value") = nb::none(), nb::arg("reduce") = nb::none(),
      nb::sig("def scatter(self, dim, index, src=None, *, value=None, reduce=None) -> Tensor"),
      "A copy of self with src (a tensor or number) written along dim at index.");
  tensor_class.def(
      "scatter_",
      [](Tensor& self, int64_t dim, const Tensor& index, nb::handle src, nb::handle value,
         const std::optional<std::string>& reduce) -> Tensor& {
        return scatter_inplace(self, dim, index, src_or_value(src, value), reduce);
      },
      nb::arg("dim"), nb::arg("index"), nb::arg("src") = nb::none(), nb::kw_only(),
      nb::arg("value") = nb::none(), nb::arg("reduce") = nb::none(), reference,
      nb::sig("def scatter_(self, dim, index, src=None, *, value=None, reduce=None) -> Tensor"),
      "Writes src (a tensor or number) into self along dim at index, in place.");

  module.def("scatter_add", &ember::scatter_add, nb::arg("input"), nb::arg("dim"), nb::arg("index"),
             nb::arg("src"), nb::sig("def scatter_add(input, dim, index, src) -> Tensor"),
             "A copy of input with src added along dim at index.");
  tensor_class.def("scatter_add", &Tensor::scatter_add, nb::arg("dim"), nb::arg("index"),
                   nb::arg("src"), nb::sig("def scatter_add(self, dim, index, src) -> Tensor"),
                   "A copy of self with src added along dim at index.");
  tensor_class.def("scatter_add_", &Tensor::scatter_add_, nb::arg("dim"), nb::arg("index"),
                   nb::arg("src"), reference,
                   nb::sig("def scatter_add_(self, dim, index, src) -> Tensor"),
                   "Adds src into self along dim at index, in place.");

  module.def("scatter_reduce", &ember::scatter_reduce, nb::arg("input"), nb::arg("dim"),
             nb::arg("index"), nb::arg("src"), nb::arg("reduce"), nb::kw_only(),
             nb::arg("include_self") = true,
             nb::sig("def scatter_reduce(input, dim, index, src, reduce, *, include_self=True) "
                     "-> Tensor"),
             "A copy of input with src reduced in along dim at index (sum, prod, mean, amax, "
             "amin).");
  tensor_class.def("scatter_reduce", &Tensor::scatter_reduce, nb::arg("dim"), nb::arg("index"),
                   nb::arg("src"), nb::arg("reduce"), nb::kw_only(), nb::arg("include_self") = true,
                   nb::sig("def scatter_reduce(self, dim, index, src, reduce, *, "
                           "include_self=True) -> Tensor"),
                   "A copy of self with src reduced in along dim at index.");
  tensor_class.def("scatter_reduce_", &Tensor::scatter_reduce_, nb::arg("dim"), nb::arg("index"),
                   nb::arg("src"), nb::arg("reduce"), nb::kw_only(), nb::arg("include_self") = true,
                   reference,
                   nb::sig("def scatter_reduce_(self, dim, index, src, reduce, *, "
                           "include_self=True) -> Tensor"),
                   "Reduces src into self along dim at index, in place.");

  module.def("index_add",
             with_out("index_add",
                      [](const Tensor& input, int64_t dim, const Tensor& index,
                         const Tensor& source, nb::handle alpha) {
                        return ember::index_add(input, dim, index, source, to_scalar(alpha));
                      }),
             nb::arg("input"), nb::arg("dim"), nb::arg("index"), nb::arg("source"), nb::kw_only(),
             nb::arg("alpha") = 1, nb::arg("out") = nb::none(),
             nb::sig("def index_add(input, dim, index, source, *, alpha=1, out=None) -> Tensor"),
             "A copy of input with alpha * source added at the positions index along dim.");
  tensor_class.def(
      "index_add",
      [](const Tensor& self, int64_t dim, const Tensor& index, const Tensor& source,
         nb::handle alpha) { return self.index_add(dim, index, source, to_scalar(alpha)); },
      nb::arg("dim"), nb::arg("index"), nb::arg("source"), nb::kw_only(), nb::arg("alpha") = 1,
      nb::sig("def index_add(self, dim, index, source, *, alpha=1) -> Tensor"),
      "A copy of self with alpha * source added at the positions index along dim.");
  tensor_class.def(
      "index_add_",
      [](Tensor& self, int64_t dim, const Tensor& index, const Tensor& source, nb::handle alpha)
          -> Tensor& { return self.index_add_(dim, index, source, to_scalar(alpha)); },
      nb::arg("dim"), nb::arg("index"), nb::arg("source"), nb::kw_only(), nb::arg("alpha") = 1,
      reference, nb::sig("def index_add_(self, dim, index, source, *, alpha=1) -> Tensor"),
      "Adds alpha * source into self at the positions index along dim, in place.");

  module.def("index_copy", with_out("index_copy", &ember::index_copy), nb::arg("input"),
             nb::arg("dim"), nb::arg("index"), nb::arg("source"), nb::kw_only(),
             nb::arg("out") = nb::none(),
             nb::sig("def index_copy(input, dim, index, source, *, out=None) -> Tensor"),
             "A copy of input with the slices of source written at the positions index along "
             "dim.");
  tensor_class.def("index_copy", &Tensor::index_copy, nb::arg("dim"), nb::arg("index"),
                   nb::arg("source"), nb::sig("def index_copy(self, dim, index, source) -> Tensor"),
                   "A copy of self with source's slices written at the positions index along dim.");
  tensor_class.def("index_copy_", &Tensor::index_copy_, nb::arg("dim"), nb::arg("index"),
                   nb::arg("source"), reference,
                   nb::sig("def index_copy_(self, dim, index, source) -> Tensor"),
                   "Writes source's slices into self at the positions index along dim, in place.");

  module.def(
      "index_fill",
      [](const Tensor& input, int64_t dim, const Tensor& index, nb::handle value) {
        Tensor result = input.clone();
        return fill_inplace(result, dim, index, value);
      },
      nb::arg("input"), nb::arg("dim"), nb::arg("index"), nb::arg("value"),
      nb::sig("def index_fill(input, dim, index, value) -> Tensor"),
      "A copy of input with value written at the positions index along dim.");
  tensor_class.def(
      "index_fill",
      [](const Tensor& self, int64_t dim, const Tensor& index, nb::handle value) {
        Tensor result = self.clone();
        return fill_inplace(result, dim, index, value);
      },
      nb::arg("dim"), nb::arg("index"), nb::arg("value"),
      nb::sig("def index_fill(self, dim, index, value) -> Tensor"),
      "A copy of self with value written at the positions index along dim.");
  tensor_class.def(
      "index_fill_",
      [](Tensor& self, int64_t dim, const Tensor& index, nb::handle value) -> Tensor& {
        return fill_inplace(self, dim, index, value);
      },
      nb::arg("dim"), nb::arg("index"), nb::arg("value"), reference,
      nb::sig("def index_fill_(self, dim, index, value) -> Tensor"),
      "Writes value into self at the positions index along dim, in place.");

  module.def("masked_scatter", &ember::masked_scatter, nb::arg("input"), nb::arg("mask"),
             nb::arg("source"), nb::sig("def masked_scatter(input, mask, source) -> Tensor"),
             "A copy of input with source's leading elements written where mask is True.");
  tensor_class.def("masked_scatter", &Tensor::masked_scatter, nb::arg("mask"), nb::arg("source"),
                   nb::sig("def masked_scatter(self, mask, source) -> Tensor"),
                   "A copy of self with source's leading elements written where mask is True.");
  tensor_class.def("masked_scatter_", &Tensor::masked_scatter_, nb::arg("mask"), nb::arg("source"),
                   reference, nb::sig("def masked_scatter_(self, mask, source) -> Tensor"),
                   "Writes source's leading elements into self where mask is True, in place.");

  module.def("take", &ember::take, nb::arg("input"), nb::arg("index"),
             nb::sig("def take(input, index) -> Tensor"),
             "The elements of input, taken as 1-D, at index (index's shape).");
  tensor_class.def("take", &Tensor::take, nb::arg("index"),
                   nb::sig("def take(self, index) -> Tensor"),
                   "The elements of self, taken as 1-D, at index (index's shape).");
  module.def("take_along_dim", with_out("take_along_dim", &ember::take_along_dim), nb::arg("input"),
             nb::arg("indices"), nb::arg("dim") = nb::none(), nb::kw_only(),
             nb::arg("out") = nb::none(),
             nb::sig("def take_along_dim(input, indices, dim=None, *, out=None) -> Tensor"),
             "gather along dim with input and indices broadcast (input flattened without dim).");
  tensor_class.def("take_along_dim", &Tensor::take_along_dim, nb::arg("indices"),
                   nb::arg("dim") = nb::none(),
                   nb::sig("def take_along_dim(self, indices, dim=None) -> Tensor"),
                   "gather along dim with self and indices broadcast.");
  module.def("put", &ember::put, nb::arg("input"), nb::arg("index"), nb::arg("source"),
             nb::arg("accumulate") = false,
             nb::sig("def put(input, index, source, accumulate=False) -> Tensor"),
             "A copy of input, taken as 1-D, with source written (or added) at index.");
  tensor_class.def("put", &Tensor::put, nb::arg("index"), nb::arg("source"),
                   nb::arg("accumulate") = false,
                   nb::sig("def put(self, index, source, accumulate=False) -> Tensor"),
                   "A copy of self, taken as 1-D, with source written (or added) at index.");
  tensor_class.def("put_", &Tensor::put_, nb::arg("index"), nb::arg("source"),
                   nb::arg("accumulate") = false, reference,
                   nb::sig("def put_(self, index, source, accumulate=False) -> Tensor"),
                   "Writes (or adds) source into self, taken as 1-D, at index, in place.");

  module.def("nonzero", &nonzero_function, nb::arg("input"), nb::kw_only(),
             nb::arg("as_tuple") = false, nb::arg("out") = nb::none(),
             nb::sig("def nonzero(input, *, as_tuple=False, out=None) -> Tensor"),
             "The indices of the non-zero elements: (count, input.dim()), or one 1-D tensor per "
             "dim with as_tuple.");
  tensor_class.def("nonzero", &nonzero, nb::kw_only(), nb::arg("as_tuple") = false,
                   nb::sig("def nonzero(self, *, as_tuple=False) -> Tensor"),
                   "The indices of the non-zero elements: (count, self.dim()), or one 1-D "
                   "tensor per dim with as_tuple.");
  module.def("argwhere", &ember::argwhere, nb::arg("input"),
             nb::sig("def argwhere(input) -> Tensor"),
             "The indices of the non-zero elements of input, shape (count, input.dim()).");
  tensor_class.def("argwhere", &Tensor::argwhere, nb::sig("def argwhere(self) -> Tensor"),
                   "The indices of the non-zero elements of self, shape (count, self.dim()).");
}

}  // namespace ember::python
