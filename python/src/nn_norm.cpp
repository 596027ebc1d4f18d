// nn.functional's normalization ops (ember/ops/nn_norm.h) into ember._C._nn, with PyTorch's
// argument order (batch_norm and instance_norm take the running statistics before weight).
#include <nanobind/nanobind.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/vector.h>

#include <vector>

#include "convert.h"
#include "ember/ops/nn_norm.h"
#include "nn.h"

namespace ember::python {

void init_nn_norm(nb::module_& nn) {
  using OptionalTensor = std::optional<Tensor>;
  nn.def(
      "layer_norm",
      [](const Tensor& input, const std::vector<int64_t>& normalized_shape,
         const OptionalTensor& weight, const OptionalTensor& bias,
         double eps) { return ember::layer_norm(input, normalized_shape, weight, bias, eps); },
      nb::arg("input"), nb::arg("normalized_shape"), nb::arg("weight") = nb::none(),
      nb::arg("bias") = nb::none(), nb::arg("eps") = 1e-5,
      nb::sig("def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-05) -> "
              "Tensor"),
      "Normalizes the last len(normalized_shape) dims, then applies weight and bias.");
  nn.def(
      "batch_norm",
      [](const Tensor& input, const OptionalTensor& running_mean, const OptionalTensor& running_var,
         const OptionalTensor& weight, const OptionalTensor& bias, bool training, double momentum,
         double eps) {
        return ember::batch_norm(input, weight, bias, running_mean, running_var, training, momentum,
                                 eps);
      },
      nb::arg("input"), nb::arg("running_mean").none(), nb::arg("running_var").none(),
      nb::arg("weight") = nb::none(), nb::arg("bias") = nb::none(), nb::arg("training") = false,
      nb::arg("momentum") = 0.1, nb::arg("eps") = 1e-5,
      nb::sig("def batch_norm(input, running_mean, running_var, weight=None, bias=None, "
              "training=False, momentum=0.1, eps=1e-05) -> Tensor"),
      "Normalizes each channel (dim 1) with the batch's statistics (training) or the running "
      "ones.");
  nn.def(
      "group_norm",
      [](const Tensor& input, int64_t num_groups, const OptionalTensor& weight,
         const OptionalTensor& bias,
         double eps) { return ember::group_norm(input, num_groups, weight, bias, eps); },
      nb::arg("input"), nb::arg("num_groups"), nb::arg("weight") = nb::none(),
      nb::arg("bias") = nb::none(), nb::arg("eps") = 1e-5,
      nb::sig("def group_norm(input, num_groups, weight=None, bias=None, eps=1e-05) -> Tensor"),
      "Normalizes each group of channels of each sample, then applies weight and bias per "
      "channel.");
  nn.def(
      "instance_norm",
      [](const Tensor& input, const OptionalTensor& running_mean, const OptionalTensor& running_var,
         const OptionalTensor& weight, const OptionalTensor& bias, bool use_input_stats,
         double momentum, double eps) {
        return ember::instance_norm(input, weight, bias, running_mean, running_var, use_input_stats,
                                    momentum, eps);
      },
      nb::arg("input"), nb::arg("running_mean") = nb::none(), nb::arg("running_var") = nb::none(),
      nb::arg("weight") = nb::none(), nb::arg("bias") = nb::none(),
      nb::arg("use_input_stats") = true, nb::arg("momentum") = 0.1, nb::arg("eps") = 1e-5,
      nb::sig("def instance_norm(input, running_mean=None, running_var=None, weight=None, "
              "bias=None, use_input_stats=True, momentum=0.1, eps=1e-05) -> Tensor"),
      "Normalizes each channel of each sample over its spatial dims.");
}

}  // namespace ember::python
