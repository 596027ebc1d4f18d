// out= as a tuple (or list) of tensors, for functions that return several (PyTorch's
// `torch.sort(x, out=(values, indices))`): the contract of ember/ops/out_multi.h, and the result
// in the function's own named tuple type (ember.return_types.sort, ...) holding exactly the given
// tensors. with_out (out.h) takes this path for any function whose binding returns a Python
// object; the binding then only adds the `out` keyword.
#pragma once

#include <nanobind/nanobind.h>

#include <string_view>

#include "ember/base/array_ref.h"
#include "ember/tensor/tensor.h"

namespace ember::python {

namespace nb = nanobind;

// Before computing: out is a Tensor or a tuple or list of them, each on the inputs' device and
// none given twice (a TypeError for anything else).
void check_out_argument(std::string_view op, nb::handle out, ArrayRef<Tensor> inputs);
// After computing: result (a Tensor, or a tuple of them) written into out (a Tensor, or a tuple
// or list of as many); returns out itself, or result's tuple type holding the outs.
nb::object write_out_argument(std::string_view op, nb::handle result, nb::handle out,
                              ArrayRef<Tensor> inputs);

}  // namespace ember::python
