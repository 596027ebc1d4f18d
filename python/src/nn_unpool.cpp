// nn.functional's max unpooling (ember/ops/nn_unpool.h) into ember._C._nn with PyTorch's
// signatures: F.max_unpool{1,2,3}d(input, indices, kernel_size, stride, padding, output_size).
#include <nanobind/nanobind.h>

#include <optional>
#include <vector>

#include "convert.h"
#include "ember/ops/nn_unpool.h"
#include "nn.h"

namespace ember::python {
namespace {

using Unpool = Tensor (*)(const Tensor&, const Tensor&, IntArrayRef, IntArrayRef, IntArrayRef,
                          const std::optional<std::vector<int64_t>>&);

// F.max_unpool*'s arguments converted for the op: stride None is the kernel size (empty), an
// output_size None is the default size.
auto unpool_call(Unpool unpool) {
  return [unpool](const Tensor& input, const Tensor& indices, nb::handle kernel_size,
                  nb::handle stride, nb::handle padding, nb::handle output_size) {
    std::optional<std::vector<int64_t>> size;
    if (!output_size.is_none()) size = to_dims(output_size);
    return unpool(input, indices, to_dims(kernel_size), to_dims(stride), to_dims(padding), size);
  };
}

}  // namespace

void init_nn_unpool(nb::module_& nn) {
  nn.def("max_unpool1d", unpool_call(&max_unpool1d_functional), nb::arg("input"),
         nb::arg("indices"), nb::arg("kernel_size"), nb::arg("stride").none() = nb::none(),
         nb::arg("padding") = 0, nb::arg("output_size").none() = nb::none(),
         nb::sig("def max_unpool1d(input, indices, kernel_size, stride=None, padding=0, "
                 "output_size=None) -> Tensor"),
         "The partial inverse of max_pool1d: each value placed at its index in a zero output.");
  nn.def("max_unpool2d", unpool_call(&max_unpool2d_functional), nb::arg("input"),
         nb::arg("indices"), nb::arg("kernel_size"), nb::arg("stride").none() = nb::none(),
         nb::arg("padding") = 0, nb::arg("output_size").none() = nb::none(),
         nb::sig("def max_unpool2d(input, indices, kernel_size, stride=None, padding=0, "
                 "output_size=None) -> Tensor"),
         "The partial inverse of max_pool2d: each value placed at its index in a zero output.");
  nn.def("max_unpool3d", unpool_call(&max_unpool3d_functional), nb::arg("input"),
         nb::arg("indices"), nb::arg("kernel_size"), nb::arg("stride").none() = nb::none(),
         nb::arg("padding") = 0, nb::arg("output_size").none() = nb::none(),
         nb::sig("def max_unpool3d(input, indices, kernel_size, stride=None, padding=0, "
                 "output_size=None) -> Tensor"),
         "The partial inverse of max_pool3d: each value placed at its index in a zero output.");
}

}  // namespace ember::python
