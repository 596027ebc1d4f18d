// Gradients of Gather, Scatter and ScatterReduce, PyTorch's formulas (derivatives.yaml): a
// gather's gradient scatters back with addition; a scatter's src gets the gathered gradient and
// self keeps the gradient where nothing was written; prod divides out the factor (zeros handled
// apart), and amax/amin share the gradient evenly among the elements equal to the result.
#include "ember/autograd/derivatives_scatter.h"

#include "ember/ops/ops.h"
#include "ember/ops/scatter.h"

namespace ember::autograd {
namespace {

Tensor zeros_of(const Tensor& like, const Shape& shape) {
  return zeros(shape, TensorOptions(like.dtype()).device(like.device()));
}

// The leading block of t with `shape` (a src larger than its index has elements no index reads).
Tensor leading_block(Tensor t, const Shape& shape) {
  for (int64_t d = 0; d < t.dim(); ++d) {
    if (t.size(d) != shape[d]) t = t.narrow(d, 0, shape[d]);
  }
  return t;
}

// g placed at the leading block of zeros of `shape`: the adjoint of leading_block, written as
// a scatter along dim 0 so that it is differentiable again.
Tensor pad_to(const Tensor& g, const Shape& shape) {
  if (g.shape() == shape) return g;
  Shape rows(g.shape().size(), 1);
  rows[0] = g.size(0);
  const Tensor positions = arange(g.size(0), TensorOptions(kInt64).device(g.device()));
  return zeros_of(g, shape).scatter_(0, positions.reshape(rows).expand(g.shape()), g);
}

}  // namespace

TensorList gather_vjp(const Gather& gather, const Tensor& grad, const Tensor& index,
                      const Shape& self_shape) {
  return {zeros_of(grad, self_shape).scatter_add_(gather.dim(), index, grad), Tensor()};
}

TensorList scatter_vjp(const Scatter& scatter, const BackwardContext& c, const Tensor& index) {
  const Tensor& grad = c.grads[0];
  const int64_t dim = scatter.dim();
  TensorList grads(3);
  if (c.needs_input_grad[0]) grads[0] = pad_to(grad.gather(dim, index), c.input_shapes[0]);
  if (c.needs_input_grad.size() > 2 && c.needs_input_grad[2]) {
    grads[2] = scatter.mode() == ScatterMode::Add ? grad : grad.scatter(dim, index, 0);
  }
  return grads;
}

TensorList scatter_reduce_vjp(const ScatterReduce& reduce, const BackwardContext& c,
                              const Tensor& self, const Tensor& index, const Tensor& src_full,
                              const Tensor& out) {
  const Tensor& grad = c.grads[0];
  const int64_t dim = reduce.dim();
  const Tensor src = leading_block(src_full, index.shape());
  TensorList grads(3);
  Tensor grad_src;
  if (reduce.mode() == ScatterMode::Multiply) {
    if (c.needs_input_grad[0]) {
      // A zero of self is replaced by 1, so its gradient is the product of the others.
      const Tensor masked_self = self.masked_fill(self == 0, 1);
      grads[0] = grad * masked_self.scatter_reduce(dim, index, src, "prod") / masked_self;
    }
    if (c.needs_input_grad[2]) {
      // d out / d src_i is the product of the others into i's target: out / src_i without
      // zeros. Written so that its own derivative is right too (double backward): with one zero
      // in a target, the zero's product is `nonzero`, the target's product with the zeros
      // replaced by 1 (not a function of the zero); with two zeros it is nonzero times the other
      // zero, written as (sum of the target's zeros - src_i); with three or more, all its
      // derivatives are zero. Zeros of self are inside `nonzero`.
      const Tensor src_zero = src == 0;
      const Tensor zeros_per_target =
          zeros_like(self).scatter_add(dim, index, src_zero.to(self.dtype())).gather(dim, index);
      const Tensor nonzero = self.scatter_reduce(dim, index, src.masked_fill(src_zero, 1), "prod");
      const Tensor zeros_sum =
          zeros_like(self).scatter_add(dim, index, where(src_zero, src, 0)).gather(dim, index);
      const Tensor zero_factor =
          where(zeros_per_target == 1, ones_like(src),
                where(zeros_per_target == 2, zeros_sum - src, zeros_like(src)));
      grad_src = where(src_zero, (grad * nonzero).gather(dim, index) * zero_factor,
                       (grad * out).gather(dim, index) / src.masked_fill(src_zero, 1));
    }
  } else {
    // amax / amin: the gradient is shared evenly by self and the src values equal to the result.
    const Tensor self_is_result = (self == out).to(grad.dtype());
    const Tensor src_is_result = (src == out.gather(dim, index)).to(grad.dtype());
    const Tensor ties = self_is_result.scatter_add(dim, index, src_is_result);
    const Tensor shared = grad / ties;
    if (c.needs_input_grad[0]) grads[0] = self_is_result * shared;
    if (c.needs_input_grad[2]) grad_src = src_is_result * shared.gather(dim, index);
  }
  if (grad_src.defined()) grads[2] = pad_to(grad_src, c.input_shapes[2]);
  return grads;
}

}  // namespace ember::autograd
