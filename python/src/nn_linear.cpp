// nn.functional's linear ops (ember/ops/nn_linear.h) into ember._C._nn, and bilinear also at the
// top level (torch.bilinear).
#include <nanobind/nanobind.h>
#include <nanobind/stl/optional.h>

#include "convert.h"
#include "ember/ops/nn_linear.h"
#include "nn.h"

namespace ember::python {

void init_nn_linear(nb::module_& nn, nb::module_& module) {
  nn.def("linear", &ember::linear, nb::arg("input"), nb::arg("weight"),
         nb::arg("bias") = nb::none(), nb::sig("def linear(input, weight, bias=None) -> Tensor"),
         "input @ weight.T + bias: input (*, in_features), weight (out_features, in_features).");
  for (nb::module_* owner : {&nn, &module}) {
    owner->def("bilinear", &ember::bilinear, nb::arg("input1"), nb::arg("input2"),
               nb::arg("weight"), nb::arg("bias") = nb::none(),
               nb::sig("def bilinear(input1, input2, weight, bias=None) -> Tensor"),
               "input1^T weight[o] input2 + bias[o] for each output o: input1 (*, in1), input2 "
               "(*, in2), weight (out, in1, in2).");
  }
}

}  // namespace ember::python
