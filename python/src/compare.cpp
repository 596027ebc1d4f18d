// ember.isclose / allclose / equal and their Tensor methods (the math is ember/ops/compare.cpp).
#include <nanobind/nanobind.h>

#include "convert.h"

namespace ember::python {

void init_compare(nb::module_& module, nb::class_<Tensor>& tensor_class) {
  module.def(
      "isclose",
      nb::overload_cast<const Tensor&, const Tensor&, double, double, bool>(&ember::isclose),
      nb::arg("input"), nb::arg("other"), nb::arg("rtol") = 1e-05, nb::arg("atol") = 1e-08,
      nb::arg("equal_nan") = false,
      nb::sig("def isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False) -> Tensor"),
      "|input - other| <= atol + rtol * |other| elementwise, as a bool tensor. Inputs "
      "broadcast and must share a dtype; NaNs are close only with equal_nan.");
  module.def(
      "allclose",
      nb::overload_cast<const Tensor&, const Tensor&, double, double, bool>(&ember::allclose),
      nb::arg("input"), nb::arg("other"), nb::arg("rtol") = 1e-05, nb::arg("atol") = 1e-08,
      nb::arg("equal_nan") = false,
      nb::sig("def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False) -> bool"),
      "Whether isclose(input, other, ...) holds for every element.");
  module.def("equal", nb::overload_cast<const Tensor&, const Tensor&>(&ember::equal),
             nb::arg("input"), nb::arg("other"), nb::sig("def equal(input, other) -> bool"),
             "Whether input and other have the same size and elements.");
  tensor_class
      .def("isclose", &Tensor::isclose, nb::arg("other"), nb::arg("rtol") = 1e-05,
           nb::arg("atol") = 1e-08, nb::arg("equal_nan") = false,
           nb::sig("def isclose(self, other, rtol=1e-05, atol=1e-08, equal_nan=False) -> Tensor"),
           "ember.isclose(self, other, ...).")
      .def("allclose", &Tensor::allclose, nb::arg("other"), nb::arg("rtol") = 1e-05,
           nb::arg("atol") = 1e-08, nb::arg("equal_nan") = false,
           nb::sig("def allclose(self, other, rtol=1e-05, atol=1e-08, equal_nan=False) -> bool"),
           "ember.allclose(self, other, ...).")
      .def("equal", &Tensor::equal, nb::arg("other"), nb::sig("def equal(self, other) -> bool"),
           "ember.equal(self, other).");
}

}  // namespace ember::python
