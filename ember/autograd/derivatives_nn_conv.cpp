// The gradient rule of Convolution (derivatives_nn_conv.h). With x, w, y as in
// primitives_nn_conv.h and g the cotangent of a pass's output:
//   Forward(x, w) -> y:        dx = BackwardData(g, w),   dw = BackwardWeight(x, g)
//   BackwardData(y, w) -> x:   dy = Forward(g, w),        dw = BackwardWeight(g, y)
//   BackwardWeight(x, y) -> w: dx = BackwardData(y, g),   dy = Forward(x, g)
// Each is written with the differentiable functions of ops/nn_conv.h, so create_graph
// differentiates the rule again.
#include "ember/autograd/derivatives_nn_conv.h"

#include "ember/ops/nn_conv.h"

namespace ember::autograd {
namespace {

Shape spatial_of(const Shape& shape) { return Shape(shape.begin() + 2, shape.end()); }

}  // namespace

TensorList convolution_vjp(const Convolution& op, const BackwardContext& c, const Tensor& a,
                           const Tensor& b) {
  const Tensor& grad = c.grads[0];
  const ConvGeometry& geometry = op.geometry();
  const Shape a_spatial = spatial_of(c.input_shapes[0]);
  const Shape b_spatial = spatial_of(c.input_shapes[1]);
  const bool need_a = c.needs_input_grad[0];
  const bool need_b = c.needs_input_grad[1];
  switch (op.pass()) {
    case ConvPass::Forward:
      return {need_a ? conv_backward_input(grad, b, a_spatial, geometry) : Tensor(),
              need_b ? conv_backward_weight(a, grad, b_spatial, geometry) : Tensor()};
    case ConvPass::BackwardData:
      return {need_a ? conv_forward(grad, b, geometry, a_spatial) : Tensor(),
              need_b ? conv_backward_weight(grad, a, b_spatial, geometry) : Tensor()};
    case ConvPass::BackwardWeight:
      return {need_a ? conv_backward_input(b, grad, a_spatial, geometry) : Tensor(),
              need_b ? conv_forward(a, grad, geometry, b_spatial) : Tensor()};
  }
  return {};
}

}  // namespace ember::autograd
