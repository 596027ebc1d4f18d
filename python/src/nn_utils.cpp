// nn.utils' ops: norm_except_dim and _weight_norm at the top level (torch.norm_except_dim,
// torch._weight_norm), spectral_norm's step and the gradient-clipping and parameter-vector
// helpers (ember/ops/nn_utils.h, ember/nn/utils/) into ember._C._nn for python/ember/nn/utils/.
#include <nanobind/nanobind.h>
#include <nanobind/stl/vector.h>

#include <vector>

#include "convert.h"
#include "ember/nn/utils/convert_parameters.h"
#include "ember/ops/nn_utils.h"
#include "nn.h"

namespace ember::python {

void init_nn_utils(nb::module_& nn, nb::module_& module) {
  module.def("norm_except_dim", &ember::norm_except_dim, nb::arg("v"), nb::arg("pow") = 2,
             nb::arg("dim") = 0, nb::sig("def norm_except_dim(v, pow=2, dim=0) -> Tensor"),
             "The pow-norm of v over every dim except dim, kept as size-1 dims (dim=-1: over "
             "every dim).");
  module.def("_weight_norm", &ember::_weight_norm, nb::arg("v"), nb::arg("g"), nb::arg("dim") = 0,
             nb::sig("def _weight_norm(v, g, dim=0) -> Tensor"),
             "weight_norm's weight v * (g / norm_except_dim(v, 2, dim)).");
  nn.def(
      "_spectral_norm",
      [](const Tensor& weight, Tensor u, Tensor v, int64_t dim, int64_t n_power_iterations,
         double eps, bool do_power_iteration) {
        return ember::_spectral_norm(weight, u, v, dim, n_power_iterations, eps,
                                     do_power_iteration);
      },
      nb::arg("weight"), nb::arg("u"), nb::arg("v"), nb::arg("dim"), nb::arg("n_power_iterations"),
      nb::arg("eps"), nb::arg("do_power_iteration"),
      nb::sig("def _spectral_norm(weight, u, v, dim, n_power_iterations, eps, "
              "do_power_iteration) -> Tensor"),
      "weight / sigma, after n_power_iterations power-iteration steps that update u and v in "
      "place (with do_power_iteration).");
  nn.def("_clip_grad_norm_", &ember::_clip_grad_norm_, nb::arg("grads"), nb::arg("max_norm"),
         nb::arg("norm_type") = 2.0, nb::arg("error_if_nonfinite") = false,
         nb::sig("def _clip_grad_norm_(grads, max_norm, norm_type=2.0, "
                 "error_if_nonfinite=False) -> Tensor"),
         "Scales the gradients in place so their total norm is at most max_norm; returns the "
         "total norm.");
  nn.def("_clip_grad_value_", &ember::_clip_grad_value_, nb::arg("grads"), nb::arg("clip_value"),
         nb::sig("def _clip_grad_value_(grads, clip_value) -> None"),
         "Clamps the gradients in place into [-clip_value, clip_value].");
  nn.def("_parameters_to_vector", &ember::nn::utils::parameters_to_vector, nb::arg("parameters"),
         nb::sig("def _parameters_to_vector(parameters) -> Tensor"),
         "The parameters flattened and concatenated.");
  nn.def("_vector_to_parameters", &ember::nn::utils::vector_to_parameters, nb::arg("vec"),
         nb::arg("parameters"), nb::sig("def _vector_to_parameters(vec, parameters) -> None"),
         "Makes each parameter a view of its consecutive slice of vec.");
}

}  // namespace ember::python
