// nn.init (ember/ops/nn_init.h) into ember._C._nn, with PyTorch's signatures; python/ember/nn/
// init.py re-exports them. Each returns the tensor it was given (the same Python object).
#include <nanobind/nanobind.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/string_view.h>
#include <nanobind/stl/tuple.h>

#include <string>

#include "convert.h"
#include "ember/ops/nn_init.h"
#include "nn.h"

namespace ember::python {
namespace {

using OptionalGenerator = std::optional<Generator>;
namespace init = ember::nn::init;

// calculate_gain's param as PyTorch reads it: None is leaky_relu's default slope 0.01, and a bool
// is refused although Python counts it as an int.
double negative_slope(std::string_view nonlinearity, nb::handle param) {
  if (param.is_none()) return 0.01;
  const bool number =
      !PyBool_Check(param.ptr()) && (PyLong_Check(param.ptr()) || PyFloat_Check(param.ptr()));
  if (nonlinearity == "leaky_relu") {
    EMBER_CHECK_VALUE(number, "[calculate_gain] negative_slope ",
                      nb::cast<std::string>(nb::str(param)), " not a valid number");
  }
  return number ? nb::cast<double>(param) : 0.01;
}

}  // namespace

void init_nn_init(nb::module_& nn) {
  nn.def(
      "calculate_gain",
      [](std::string_view nonlinearity, nb::handle param) {
        return init::calculate_gain(nonlinearity, negative_slope(nonlinearity, param));
      },
      nb::arg("nonlinearity"), nb::arg("param") = nb::none(),
      nb::sig("def calculate_gain(nonlinearity, param=None) -> float"),
      "The recommended gain for a nonlinearity ('linear', 'conv*', 'sigmoid', 'tanh', 'relu', "
      "'leaky_relu' with param as its negative slope, 'selu').");
  nn.def("_calculate_fan_in_and_fan_out", &init::_calculate_fan_in_and_fan_out, nb::arg("tensor"),
         nb::sig("def _calculate_fan_in_and_fan_out(tensor) -> tuple[int, int]"),
         "(fan_in, fan_out) of a weight of at least 2 dims.");
  nn.def("uniform_", &init::uniform_, nb::arg("tensor"), nb::arg("a") = 0.0, nb::arg("b") = 1.0,
         nb::arg("generator") = nb::none(),
         nb::sig("def uniform_(tensor, a=0.0, b=1.0, generator=None) -> Tensor"),
         "Fills tensor with samples of U(a, b), without recording a graph.");
  nn.def("normal_", &init::normal_, nb::arg("tensor"), nb::arg("mean") = 0.0, nb::arg("std") = 1.0,
         nb::arg("generator") = nb::none(),
         nb::sig("def normal_(tensor, mean=0.0, std=1.0, generator=None) -> Tensor"),
         "Fills tensor with samples of N(mean, std**2), without recording a graph.");
  nn.def("trunc_normal_", &init::trunc_normal_, nb::arg("tensor"), nb::arg("mean") = 0.0,
         nb::arg("std") = 1.0, nb::arg("a") = -2.0, nb::arg("b") = 2.0,
         nb::arg("generator") = nb::none(),
         nb::sig("def trunc_normal_(tensor, mean=0.0, std=1.0, a=-2.0, b=2.0, generator=None) "
                 "-> Tensor"),
         "Fills tensor with samples of N(mean, std**2) truncated to [a, b].");
  nn.def(
      "constant_",
      [](const Tensor& tensor, nb::handle val) { return init::constant_(tensor, to_scalar(val)); },
      nb::arg("tensor"), nb::arg("val"), nb::sig("def constant_(tensor, val) -> Tensor"),
      "Fills tensor with val.");
  nn.def("ones_", &init::ones_, nb::arg("tensor"), nb::sig("def ones_(tensor) -> Tensor"),
         "Fills tensor with ones.");
  nn.def("zeros_", &init::zeros_, nb::arg("tensor"), nb::sig("def zeros_(tensor) -> Tensor"),
         "Fills tensor with zeros.");
  nn.def("eye_", &init::eye_, nb::arg("tensor"), nb::sig("def eye_(tensor) -> Tensor"),
         "Fills a 2-D tensor with the identity matrix.");
  nn.def("dirac_", &init::dirac_, nb::arg("tensor"), nb::arg("groups") = 1,
         nb::sig("def dirac_(tensor, groups=1) -> Tensor"),
         "Fills a 3-, 4- or 5-D convolution weight with the Dirac delta (identity per group).");
  nn.def("xavier_uniform_", &init::xavier_uniform_, nb::arg("tensor"), nb::arg("gain") = 1.0,
         nb::arg("generator") = nb::none(),
         nb::sig("def xavier_uniform_(tensor, gain=1.0, generator=None) -> Tensor"),
         "Glorot uniform: U(-b, b) with b = gain * sqrt(6 / (fan_in + fan_out)).");
  nn.def("xavier_normal_", &init::xavier_normal_, nb::arg("tensor"), nb::arg("gain") = 1.0,
         nb::arg("generator") = nb::none(),
         nb::sig("def xavier_normal_(tensor, gain=1.0, generator=None) -> Tensor"),
         "Glorot normal: N(0, std**2) with std = gain * sqrt(2 / (fan_in + fan_out)).");
  nn.def(
      "kaiming_uniform_",
      [](const Tensor& tensor, double a, std::string_view mode, std::string_view nonlinearity,
         OptionalGenerator generator) {
        return init::kaiming_uniform_(tensor, a, mode, nonlinearity, std::move(generator));
      },
      nb::arg("tensor"), nb::arg("a") = 0.0, nb::arg("mode") = "fan_in",
      nb::arg("nonlinearity") = "leaky_relu", nb::arg("generator") = nb::none(),
      nb::sig("def kaiming_uniform_(tensor, a=0, mode='fan_in', nonlinearity='leaky_relu', "
              "generator=None) -> Tensor"),
      "He uniform: U(-b, b) with b = gain * sqrt(3 / fan) (fan of mode 'fan_in' or 'fan_out').");
  nn.def(
      "kaiming_normal_",
      [](const Tensor& tensor, double a, std::string_view mode, std::string_view nonlinearity,
         OptionalGenerator generator) {
        return init::kaiming_normal_(tensor, a, mode, nonlinearity, std::move(generator));
      },
      nb::arg("tensor"), nb::arg("a") = 0.0, nb::arg("mode") = "fan_in",
      nb::arg("nonlinearity") = "leaky_relu", nb::arg("generator") = nb::none(),
      nb::sig("def kaiming_normal_(tensor, a=0, mode='fan_in', nonlinearity='leaky_relu', "
              "generator=None) -> Tensor"),
      "He normal: N(0, std**2) with std = gain / sqrt(fan) (fan of mode 'fan_in' or 'fan_out').");
  nn.def("orthogonal_", &init::orthogonal_, nb::arg("tensor"), nb::arg("gain") = 1.0,
         nb::arg("generator") = nb::none(),
         nb::sig("def orthogonal_(tensor, gain=1, generator=None) -> Tensor"),
         "Fills tensor (2 or more dims, flattened after the first) with a (semi-)orthogonal "
         "matrix times gain.");
  nn.def("sparse_", &init::sparse_, nb::arg("tensor"), nb::arg("sparsity"), nb::arg("std") = 0.01,
         nb::arg("generator") = nb::none(),
         nb::sig("def sparse_(tensor, sparsity, std=0.01, generator=None) -> Tensor"),
         "Fills a 2-D tensor with N(0, std**2) samples, ceil(sparsity * rows) of each column "
         "zero.");
}

}  // namespace ember::python
