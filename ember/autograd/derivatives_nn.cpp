// Gradient rules of the nn families (derivatives_nn.h), written with public ops so that
// create_graph differentiates them again.
#include "ember/autograd/derivatives_nn.h"

#include "ember/ops/ops.h"

namespace ember::autograd {

Tensor softmax_backward(const Softmax& softmax, const Tensor& grad, const Tensor& out) {
  const int64_t dim = softmax.dim();
  if (softmax.log()) return sub(grad, mul(exp(out), sum(grad, {dim}, /*keepdim=*/true)));
  return mul(out, sub(grad, sum(mul(grad, out), {dim}, /*keepdim=*/true)));
}

}  // namespace ember::autograd
