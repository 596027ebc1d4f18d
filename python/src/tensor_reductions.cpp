// Tensor reduction and linear-algebra methods with PyTorch's argument forms (dim as an int or a
// tuple, keepdim, dtype=; max/min returning (values, indices)). Split from tensor.cpp by area.
#include <nanobind/nanobind.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/string_view.h>
#include <nanobind/stl/vector.h>

#include "convert.h"

namespace ember::python {
namespace {

// max(dim) / min(dim) return (values, indices) as ember.return_types.max/min.
nb::object values_indices(const char* name, std::tuple<Tensor, Tensor> result) {
  static nb::handle return_types = nb::module_::import_("ember._return_types").release();
  return return_types.attr(name)(std::get<0>(result), std::get<1>(result));
}

}  // namespace

void init_tensor_reductions(nb::class_<Tensor>& tensor) {
  // reductions
  tensor
      .def(
          "sum",
          [](const Tensor& t, nb::handle dim, bool keepdim, nb::handle dtype) {
            return ember::sum(t, to_dims(dim), keepdim, to_dtype(dtype));
          },
          nb::arg("dim") = nb::none(), nb::arg("keepdim") = false, nb::kw_only(),
          nb::arg("dtype") = nb::none(),
          nb::sig("def sum(self, dim=None, keepdim=False, *, dtype=None) -> Tensor"),
          "The sum over dim (an int or a tuple; all dims by default).")
      .def(
          "mean",
          [](const Tensor& t, nb::handle dim, bool keepdim, nb::handle dtype) {
            return ember::mean(t, to_dims(dim), keepdim, to_dtype(dtype));
          },
          nb::arg("dim") = nb::none(), nb::arg("keepdim") = false, nb::kw_only(),
          nb::arg("dtype") = nb::none(),
          nb::sig("def mean(self, dim=None, keepdim=False, *, dtype=None) -> Tensor"),
          "The mean over dim (an int or a tuple; all dims by default).")
      .def(
          "prod",
          [](const Tensor& t, std::optional<int64_t> dim, bool keepdim, nb::handle dtype) {
            return ember::prod(t, dim, keepdim, to_dtype(dtype));
          },
          nb::arg("dim") = nb::none(), nb::arg("keepdim") = false, nb::kw_only(),
          nb::arg("dtype") = nb::none(),
          nb::sig("def prod(self, dim=None, keepdim=False, *, dtype=None) -> Tensor"),
          "The product over dim (all elements by default).")
      .def(
          "amax",
          [](const Tensor& t, nb::handle dim, bool keepdim) {
            return ember::amax(t, to_dims(dim), keepdim);
          },
          nb::arg("dim") = nb::none(), nb::arg("keepdim") = false,
          nb::sig("def amax(self, dim=None, keepdim=False) -> Tensor"),
          "The maximum over dim (an int or a tuple; all dims by default).")
      .def(
          "amin",
          [](const Tensor& t, nb::handle dim, bool keepdim) {
            return ember::amin(t, to_dims(dim), keepdim);
          },
          nb::arg("dim") = nb::none(), nb::arg("keepdim") = false,
          nb::sig("def amin(self, dim=None, keepdim=False) -> Tensor"),
          "The minimum over dim (an int or a tuple; all dims by default).")
      .def(
          "max",
          [](const Tensor& t, nb::handle dim, bool keepdim) -> nb::object {
            if (dim.is_none()) return nb::cast(ember::max(t));
            if (nb::isinstance<Tensor>(dim))
              return nb::cast(ember::maximum(t, nb::cast<Tensor>(dim)));
            return values_indices("max", ember::max(t, nb::cast<int64_t>(dim), keepdim));
          },
          nb::arg("dim") = nb::none(), nb::arg("keepdim") = false,
          nb::sig("def max(self, dim=None, keepdim=False) -> Tensor | tuple[Tensor, Tensor]"),
          "The maximum; with dim, (values, indices) along it; with a tensor, the elementwise "
          "maximum.")
      .def(
          "min",
          [](const Tensor& t, nb::handle dim, bool keepdim) -> nb::object {
            if (dim.is_none()) return nb::cast(ember::min(t));
            if (nb::isinstance<Tensor>(dim))
              return nb::cast(ember::minimum(t, nb::cast<Tensor>(dim)));
            return values_indices("min", ember::min(t, nb::cast<int64_t>(dim), keepdim));
          },
          nb::arg("dim") = nb::none(), nb::arg("keepdim") = false,
          nb::sig("def min(self, dim=None, keepdim=False) -> Tensor | tuple[Tensor, Tensor]"),
          "The minimum; with dim, (values, indices) along it; with a tensor, the elementwise "
          "minimum.")
      .def(
          "argmax",
          [](const Tensor& t, std::optional<int64_t> dim, bool keepdim) {
            return ember::argmax(t, dim, keepdim);
          },
          nb::arg("dim") = nb::none(), nb::arg("keepdim") = false,
          nb::sig("def argmax(self, dim=None, keepdim=False) -> Tensor"),
          "The index of the maximum (of the flattened tensor without dim).")
      .def(
          "argmin",
          [](const Tensor& t, std::optional<int64_t> dim, bool keepdim) {
            return ember::argmin(t, dim, keepdim);
          },
          nb::arg("dim") = nb::none(), nb::arg("keepdim") = false,
          nb::sig("def argmin(self, dim=None, keepdim=False) -> Tensor"),
          "The index of the minimum (of the flattened tensor without dim).")
      .def(
          "all",
          [](const Tensor& t, nb::handle dim, bool keepdim) {
            if (dim.is_none()) return ember::all(t, IntArrayRef{}, keepdim);
            if (PyIndex_Check(dim.ptr())) return ember::all(t, nb::cast<int64_t>(dim), keepdim);
            const std::vector<int64_t> dims = to_dims(dim);  // a tuple of dims, as PyTorch 2.2
            return ember::all(t, IntArrayRef(dims), keepdim);
          },
          nb::arg("dim") = nb::none(), nb::arg("keepdim") = false,
          nb::sig("def all(self, dim=None, keepdim=False) -> Tensor"),
          "Whether every element (along dim) is non-zero.")
      .def(
          "any",
          [](const Tensor& t, nb::handle dim, bool keepdim) {
            if (dim.is_none()) return ember::any(t, IntArrayRef{}, keepdim);
            if (PyIndex_Check(dim.ptr())) return ember::any(t, nb::cast<int64_t>(dim), keepdim);
            const std::vector<int64_t> dims = to_dims(dim);  // a tuple of dims, as PyTorch 2.2
            return ember::any(t, IntArrayRef(dims), keepdim);
          },
          nb::arg("dim") = nb::none(), nb::arg("keepdim") = false,
          nb::sig("def any(self, dim=None, keepdim=False) -> Tensor"),
          "Whether any element (along dim) is non-zero.")
      .def(
          "logsumexp",
          [](const Tensor& t, nb::handle dim, bool keepdim) {
            return ember::logsumexp(t, to_dims(dim), keepdim);
          },
          nb::arg("dim"), nb::arg("keepdim") = false,
          nb::sig("def logsumexp(self, dim, keepdim=False) -> Tensor"),
          "log(sum(exp(self))) over dim, computed stably.")
      .def(
          "norm",
          [](const Tensor& t, nb::handle p, nb::handle dim, bool keepdim) {
            if (!nb::isinstance<nb::str>(p)) {
              const double order = p.is_none() ? 2.0 : nb::cast<double>(p);
              return ember::norm(t, order, to_dims(dim), keepdim);
            }
            // PyTorch's matrix norms by name: 'fro' is the 2-norm over at most two dims.
            const std::string name = nb::cast<std::string>(p);
            EMBER_CHECK(name == "fro" || name == "nuc",
                        "[norm] only valid string values are 'fro' and 'nuc', found ", name);
            const std::vector<int64_t> dims = to_dims(dim);
            EMBER_CHECK(name == "fro", "[norm] the nuclear norm (p='nuc') is not supported");
            EMBER_CHECK(dims.size() <= 2, "[norm] Expected at most 2 dimensions, but got ",
                        dims.size(), " dimensions instead.");
            return ember::norm(t, 2.0, dims, keepdim);
          },
          nb::arg("p") = 2, nb::arg("dim") = nb::none(), nb::arg("keepdim") = false,
          nb::sig("def norm(self, p=2, dim=None, keepdim=False) -> Tensor"),
          "The p-norm over dim (p a number, inf, or 'fro').");

  // var/std: PyTorch's (dim, unbiased, keepdim) and (dim, *, correction, keepdim) forms.
  auto variance_like = [](bool take_sqrt) {
    return [take_sqrt](const Tensor& t, nb::handle dim, nb::handle unbiased, bool keepdim,
                       nb::handle correction) {
      const double chosen = correction_of(dim, unbiased, correction);
      return take_sqrt ? ember::std(t, to_dims(dim), chosen, keepdim)
                       : ember::var(t, to_dims(dim), chosen, keepdim);
    };
  };
  tensor.def(
      "var", variance_like(false), nb::arg("dim") = nb::none(), nb::arg("unbiased") = nb::none(),
      nb::arg("keepdim") = false, nb::kw_only(), nb::arg("correction") = nb::none(),
      nb::sig(
          "def var(self, dim=None, unbiased=None, keepdim=False, *, correction=None) -> Tensor"),
      "The variance over dim with Bessel's correction (correction=1) by default.");
  tensor.def(
      "std", variance_like(true), nb::arg("dim") = nb::none(), nb::arg("unbiased") = nb::none(),
      nb::arg("keepdim") = false, nb::kw_only(), nb::arg("correction") = nb::none(),
      nb::sig(
          "def std(self, dim=None, unbiased=None, keepdim=False, *, correction=None) -> Tensor"),
      "The standard deviation over dim with Bessel's correction by default.");

  // linear algebra
  tensor
      .def("mm", &Tensor::mm, nb::arg("mat2"), nb::sig("def mm(self, mat2) -> Tensor"),
           "Matrix product of two 2-D tensors.")
      .def("matmul", &Tensor::matmul, nb::arg("other"),
           nb::sig("def matmul(self, other) -> Tensor"),
           "Matrix product with NumPy's rules for 1-D and batched operands.")
      .def("bmm", &Tensor::bmm, nb::arg("mat2"), nb::sig("def bmm(self, mat2) -> Tensor"),
           "Batched matrix product of two 3-D tensors.")
      .def("mv", &Tensor::mv, nb::arg("vec"), nb::sig("def mv(self, vec) -> Tensor"),
           "Matrix-vector product.")
      .def("dot", &Tensor::dot, nb::arg("other"), nb::sig("def dot(self, other) -> Tensor"),
           "Dot product of two 1-D tensors.")
      .def("outer", &Tensor::outer, nb::arg("vec2"), nb::sig("def outer(self, vec2) -> Tensor"),
           "Outer product of two 1-D tensors.")
      .def(
          "addmm",
          [](const Tensor& t, const Tensor& a, const Tensor& b, nb::handle beta, nb::handle alpha) {
            return t.addmm(a, b, to_scalar(beta), to_scalar(alpha));
          },
          nb::arg("mat1"), nb::arg("mat2"), nb::kw_only(), nb::arg("beta") = 1,
          nb::arg("alpha") = 1,
          nb::sig("def addmm(self, mat1, mat2, *, beta=1, alpha=1) -> Tensor"),
          "beta * self + alpha * (mat1 @ mat2).");
}

}  // namespace ember::python
