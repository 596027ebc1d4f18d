// The gradient rules of Pool and AvgPoolBackward (derivatives_pool.h). Every tensor here is in
// the primitives' plane layout (planes, D, H, W); both rules call recorded ops, so create_graph
// differentiates them again to any order.
#include "ember/autograd/derivatives_pool.h"

#include "ember/ops/dispatch.h"
#include "ember/ops/ops.h"

namespace ember::autograd {
namespace {

// The plane layout of one side of a window table, `planes` planes.
Shape plane_shape(const PoolWindows& windows, int64_t planes, bool output) {
  Shape shape{planes};
  for (const PoolAxis& axis : windows.axes) {
    shape.push_back(output ? axis.output_size() : axis.input_size);
  }
  return shape;
}

// Runs `primitive` from `source` (planes in `from` layout) into a new tensor of `to` layout.
Tensor run_planes(const Primitive& primitive, const Tensor& source, const Shape& to) {
  Tensor result = empty(to, TensorOptions(source.dtype()).device(source.device()));
  run_unless_empty(primitive, {source.contiguous()}, {result});
  return result;
}

}  // namespace

TensorList pool_vjp(const Pool& op, const BackwardContext& c, const Tensor& indices) {
  const Tensor& grad = c.grads[0];
  const Shape& input_shape = c.input_shapes[0];
  if (!grad.defined()) return {Tensor()};
  const int64_t planes = input_shape[0];
  if (op.mode() == PoolMode::Avg) {
    return {run_planes(AvgPoolBackward(op.shared_windows()), grad,
                       plane_shape(op.windows(), planes, /*output=*/false))};
  }
  const int64_t plane_in = planes == 0 ? 0 : numel_of(input_shape) / planes;
  const Tensor flat_grad = grad.reshape({planes, -1});
  Tensor result = zeros({planes, plane_in}, TensorOptions(grad.dtype()).device(grad.device()));
  if (flat_grad.numel() == 0) return {result.reshape(input_shape)};
  // In place into the fresh zeros: the out-of-place scatter_add would copy them first. Recorded
  // all the same under create_graph (the zeros need no gradient).
  result.scatter_add_(1, indices.reshape({planes, -1}), flat_grad);
  return {result.reshape(input_shape)};
}

TensorList avg_pool_backward_vjp(const AvgPoolBackward& op, const BackwardContext& c) {
  const Tensor& grad = c.grads[0];
  if (!grad.defined()) return {Tensor()};
  const int64_t planes = c.input_shapes[0][0];
  return {run_planes(Pool(PoolMode::Avg, op.shared_windows()), grad,
                     plane_shape(op.windows(), planes, /*output=*/true))};
}

}  // namespace ember::autograd
