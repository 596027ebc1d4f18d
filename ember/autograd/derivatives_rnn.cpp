// The gradient rule of the recurrent family (derivatives_rnn.h).
#include "ember/autograd/derivatives_rnn.h"

#include "ember/autograd/engine.h"
#include "ember/autograd/grad_mode.h"
#include "ember/ops/ops.h"
#include "ember/ops/rnn_layer.h"

namespace ember::autograd {
namespace {

// The gradients a node needs, by differentiating the composite's outputs (recomputed from the
// node's inputs) with create_graph: differentiable gradients, for the gradient's gradient.
TensorList composite_grads(const BackwardContext& c, const std::vector<Tensor>& inputs,
                           const variable_list& outputs, const variable_list& output_grads) {
  TensorList grads(c.needs_input_grad.size());
  variable_list wanted;
  std::vector<size_t> positions;
  for (size_t i = 0; i < grads.size(); ++i) {
    if (c.needs_input_grad[i]) {
      wanted.push_back(inputs[i]);
      positions.push_back(i);
    }
  }
  if (wanted.empty()) return grads;
  const variable_list found = grad(outputs, wanted, output_grads, true, true, true);
  for (size_t k = 0; k < positions.size(); ++k) grads[positions[k]] = found[k];
  return grads;
}

}  // namespace

TensorList rnn_layer_vjp(const RnnLayer& op, const BackwardContext& c,
                         const std::vector<Tensor>& inputs, const Tensor& workspace) {
  const size_t count = c.needs_input_grad.size();
  size_t next = 3;
  const size_t c0_index = op.is_lstm() ? next++ : count;
  const size_t bias_index = op.has_bias() ? next++ : count;
  const size_t projection_index = op.has_projection() ? next++ : count;
  auto input = [&](size_t index) { return index < count ? inputs[index] : Tensor(); };
  const Tensor &igates = inputs[0], &h0 = inputs[1], &w_hh = inputs[2];
  const Tensor c0 = input(c0_index), b_hh = input(bias_index), w_hr = input(projection_index);
  auto grad_or_zeros = [&](size_t output, const Shape& shape) {
    return c.grads[output].defined()
               ? c.grads[output]
               : zeros(shape, TensorOptions(igates.dtype()).device(igates.device()));
  };
  const Tensor grad_output = grad_or_zeros(0, {igates.size(0), h0.size(1)});
  const Tensor grad_h_n = grad_or_zeros(1, h0.shape());
  const Tensor grad_c_n = op.is_lstm() ? grad_or_zeros(3, c0.shape()) : Tensor();
  TensorList grads(count);
  if (is_grad_enabled()) {
    const detail::RnnLayerResult again = detail::rnn_layer_composite(
        op.cell_kind(), op.reverse(), op.batch_sizes(), igates, h0, c0, w_hh, b_hh, w_hr);
    variable_list outputs{again.output, again.h_n}, output_grads{grad_output, grad_h_n};
    if (op.is_lstm()) {
      outputs.push_back(again.c_n);
      output_grads.push_back(grad_c_n);
    }
    return composite_grads(c, inputs, outputs, output_grads);
  }
  const std::vector<Tensor> parts =
      detail::rnn_layer_backward(op, grad_output, grad_h_n, grad_c_n, workspace, w_hh, w_hr);
  auto take = [&](size_t index, const Tensor& value) {
    if (index < count && c.needs_input_grad[index]) grads[index] = value;
  };
  take(0, parts[0]);
  take(1, parts[1]);
  take(2, parts[2]);
  take(bias_index, parts[3]);
  if (op.is_lstm()) take(c0_index, parts[4]);
  if (op.has_projection()) take(projection_index, parts[op.is_lstm() ? 5 : 4]);
  return grads;
}

TensorList rnn_cell_vjp(const RnnLayer& op, const BackwardContext& c,
                        const std::vector<Tensor>& inputs, const Tensor& workspace) {
  const size_t count = c.needs_input_grad.size();
  const Tensor &input = inputs[0], &hx = inputs[1], &w_ih = inputs[2], &w_hh = inputs[3];
  const size_t bias_index = op.is_lstm() ? 5 : 4;
  const Tensor cx = op.is_lstm() ? inputs[4] : Tensor();
  const Tensor b_ih = op.has_bias() ? inputs[bias_index] : Tensor();
  const Tensor b_hh = op.has_bias() ? inputs[bias_index + 1] : Tensor();
  auto grad_or_zeros = [&](size_t output) {
    return c.grads[output].defined()
               ? c.grads[output]
               : zeros(hx.shape(), TensorOptions(hx.dtype()).device(hx.device()));
  };
  const Tensor grad_h = grad_or_zeros(0);
  const Tensor grad_c = op.is_lstm() ? grad_or_zeros(2) : Tensor();
  if (is_grad_enabled()) {
    const detail::RnnLayerResult again =
        detail::rnn_cell_composite(op.cell_kind(), input, hx, cx, w_ih, w_hh, b_ih, b_hh);
    variable_list outputs{again.output}, output_grads{grad_h};
    if (op.is_lstm()) {
      outputs.push_back(again.c_n);
      output_grads.push_back(grad_c);
    }
    return composite_grads(c, inputs, outputs, output_grads);
  }
  const std::vector<Tensor> parts =
      detail::rnn_cell_backward(op, grad_h, grad_c, workspace, input, w_ih, w_hh);
  TensorList grads(count);
  for (size_t i = 0; i < count; ++i) {
    if (c.needs_input_grad[i]) grads[i] = parts[i];
  }
  return grads;
}

}  // namespace ember::autograd
