// The gate math of one recurrent step, shared by the cells and the layers of rnn_ops.cpp: the
// fused kernels where they exist or, when detail::use_fused_rnn_gates() is off, the composites
// that the tests compare them with.
#pragma once

#include <tuple>

#include "ember/tensor/tensor.h"

namespace ember::detail {

// (h', c') of an LSTM step from igates, hgates (N, 4H) and cx (N, H).
std::tuple<Tensor, Tensor> lstm_gates(const Tensor& igates, const Tensor& hgates, const Tensor& cx);
// h' of a GRU step from igates, hgates (N, 3H) and hx (N, H).
Tensor gru_gates(const Tensor& igates, const Tensor& hgates, const Tensor& hx);

}  // namespace ember::detail
