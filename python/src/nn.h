// The nn bindings (python/src/nn_*.cpp): each family's ops into ember._C._nn (`nn`), called from
// module.cpp. A header of their own, so that adding a family rebuilds only these files.
#pragma once

#include <nanobind/nanobind.h>

namespace ember::python {

namespace nb = nanobind;

void init_nn_init(nb::module_& nn);
void init_nn_linear(nb::module_& nn, nb::module_& module);
void init_nn_loss(nb::module_& nn);
void init_nn_norm(nb::module_& nn);
void init_nn_utils(nb::module_& nn, nb::module_& module);
void init_nn_pool(nb::module_& nn, nb::module_& module);
void init_nn_shape(nb::module_& nn, nb::module_& module);
void init_nn_conv(nb::module_& nn, nb::module_& module);
void init_nn_interp(nb::module_& nn);
void init_nn_unpool(nb::module_& nn);
void init_nn_transformer(nb::module_& nn);
void init_nn_attention(nb::module_& nn);
void init_nn_rnn_packing(nb::module_& nn, nb::module_& module);
void init_nn_rnn(nb::module_& nn);
// The recurrent ops at the top level (python/src/rnn_ops.cpp).
void init_rnn_ops(nb::module_& module);

}  // namespace ember::python
