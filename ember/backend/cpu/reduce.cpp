// eval_cpu of Reduce and ArgReduce: checks, then the kernel of the chosen kernel table
// (reduce_kernels.inc, arg_reduce_kernels.inc; Note [SIMD dispatch]).
#include "ember/backend/cpu/kernel_table.h"
#include "ember/base/error.h"
#include "ember/ops/primitives.h"
#include "ember/tensor/dtype_visit.h"

namespace ember {

void Reduce::eval_cpu(TensorSpan inputs, TensorSpan outputs) const {
  const Tensor& x = inputs[0];
  const Tensor& y = outputs[0];
  EMBER_CHECK(y.dim() == x.dim(), "[", name(), "] expected an output of rank ", x.dim(),
              " (the keepdim shape); got ", y.shape());
  cpu::kernels().reduce[static_cast<int>(op_)][static_cast<int>(x.dtype())](x, y);
}

void ArgReduce::eval_cpu(TensorSpan inputs, TensorSpan outputs) const {
  const Tensor& x = inputs[0];
  const Tensor& values = outputs[0];
  const Tensor& indices = outputs[1];
  EMBER_CHECK(dim_ >= 0 && dim_ < x.dim() && x.shape()[dim_] > 0 && values.dtype() == x.dtype() &&
                  indices.dtype() == kInt64 && values.strides() == indices.strides(),
              "[", name(), "] expected a non-empty dim ", dim_, " of a ", x.shape(),
              " input and matching values/indices outputs");
  cpu::kernels().arg_reduce[is_max_ ? 1 : 0][static_cast<int>(x.dtype())](x, values, indices, dim_);
}

}  // namespace ember
