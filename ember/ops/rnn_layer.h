// One layer and direction of a recurrent op over packed rows (Note [recurrent ops]): the fused
// primitive (primitives_rnn.h) or, when detail::use_fused_rnn_gates() is off, the composite of
// ordinary ops that the tests compare it with and that the gradient of the gradient
// differentiates. Internal to the ops and autograd layers.
#pragma once

#include <vector>

#include "ember/ops/primitives_rnn.h"
#include "ember/tensor/tensor.h"

namespace ember::detail {

struct RnnLayerResult {
  Tensor output, h_n, c_n;  // c_n for LSTM only
};

// igates: (sum(batch_sizes), G * H), the input projection of every step with b_ih; h0 (N, P);
// c0 (N, H) for LSTM; w_hh (G * H, P); b_hh and w_hr undefined when absent. The steps run in
// the order of batch_sizes, or backwards when reverse.
RnnLayerResult rnn_layer(RnnCellKind kind, bool reverse, const std::vector<int64_t>& batch_sizes,
                         const Tensor& igates, const Tensor& h0, const Tensor& c0,
                         const Tensor& w_hh, const Tensor& b_hh, const Tensor& w_hr);
RnnLayerResult rnn_layer_composite(RnnCellKind kind, bool reverse,
                                   const std::vector<int64_t>& batch_sizes, const Tensor& igates,
                                   const Tensor& h0, const Tensor& c0, const Tensor& w_hh,
                                   const Tensor& b_hh, const Tensor& w_hr);

// RnnLayer's first-order gradient by the fused kernel: {grad_igates, grad_h0, grad_w_hh,
// grad_b_hh, grad_c0 (LSTM), grad_w_hr (projection)}; the incoming gradients defined (zeros
// where none arrived).
std::vector<Tensor> rnn_layer_backward(const RnnLayerShape& shape, const Tensor& grad_output,
                                       const Tensor& grad_h_n, const Tensor& grad_c_n,
                                       const Tensor& workspace, const Tensor& w_hh,
                                       const Tensor& w_hr);

// One cell step (kind's cell op after its checks) as a cell RnnLayer primitive, one autograd node:
// input (N, in), hx (N, H), cx (N, H) for LSTM, biases both or neither. {h', undefined, c'}.
RnnLayerResult rnn_cell(RnnCellKind kind, const Tensor& input, const Tensor& hx, const Tensor& cx,
                        const Tensor& w_ih, const Tensor& w_hh, const Tensor& b_ih,
                        const Tensor& b_hh);
// The same step from ordinary ops: the reference of the tests and of the gradient's gradient.
RnnLayerResult rnn_cell_composite(RnnCellKind kind, const Tensor& input, const Tensor& hx,
                                  const Tensor& cx, const Tensor& w_ih, const Tensor& w_hh,
                                  const Tensor& b_ih, const Tensor& b_hh);

// A cell's first-order gradient by the fused kernel, in the order of the cell's inputs:
// {grad_input, grad_hx, grad_w_ih, grad_w_hh, grad_cx (LSTM), grad_b_ih, grad_b_hh (has_bias)};
// the incoming gradients defined (zeros where none arrived).
std::vector<Tensor> rnn_cell_backward(const RnnLayerShape& shape, const Tensor& grad_h,
                                      const Tensor& grad_c, const Tensor& workspace,
                                      const Tensor& input, const Tensor& w_ih, const Tensor& w_hh);

}  // namespace ember::detail
