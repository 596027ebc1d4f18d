#include "ember/ops/out.h"

#include "ember/base/error.h"
#include "ember/base/warning.h"
#include "ember/ops/inplace.h"
#include "ember/ops/ops.h"

namespace ember {

void check_out(std::string_view op, const Tensor& out, ArrayRef<Tensor> inputs) {
  EMBER_CHECK(out.defined(), "[", op, "] out= must be a tensor");
  for (const Tensor& input : inputs) {
    if (!input.defined()) continue;
    EMBER_CHECK(input.device() == out.device(), "[", op,
                "] Expected all tensors to be on the same device, but found at least two "
                "devices, ",
                input.device(), " (an input) and ", out.device(), " (out)!");
  }
}

void resize_out(std::string_view op, Tensor& out, const Shape& shape) {
  if (out.shape() == shape) return;
  if (out.numel() != 0) {
    warn("[", op, "] An output with one or more elements was resized since it had shape ",
         out.shape(), ", which does not match the required output shape ", shape,
         ". Resize an out tensor t to zero elements with t.resize_(0) to reuse it without "
         "this warning.");
  }
  out.resize_(shape);
}

Tensor& write_out(std::string_view op, const Tensor& result, Tensor& out, ArrayRef<Tensor> inputs) {
  // A result that requires grad is one autograd would have recorded (grad mode on, an input
  // requiring grad, a differentiable op): out= cannot carry that history.
  EMBER_CHECK(!result.requires_grad(), "[", op,
              "] out=... arguments don't support automatic differentiation, but one of the "
              "arguments requires grad.");
  check_inplace_cast(op, result.dtype(), out.dtype());
  resize_out(op, out, result.shape());
  if (out.numel() == 0) return out;
  check_no_internal_overlap(op, out);
  for (const Tensor& input : inputs) {
    if (input.defined()) check_no_partial_overlap(op, out, input);
  }
  return out.copy_(result);
}

// ---------------------------------------------------------------- *_out functions

#define EMBER_UNARY_OP(name, Name, rule)                              \
  Tensor& name##_out(Tensor& out, const Tensor& x) {                  \
    return out_call(#name, out, {x}, [&] { return ember::name(x); }); \
  }
#include "ember/tensor/unary_ops.def"
#undef EMBER_UNARY_OP
#define EMBER_BINARY_OP(name, Name, rule)                                   \
  Tensor& name##_out(Tensor& out, const Tensor& a, const Tensor& b) {       \
    return out_call(#name, out, {a, b}, [&] { return ember::name(a, b); }); \
  }
#include "ember/tensor/binary_ops.def"
#undef EMBER_BINARY_OP

Tensor& add_out(Tensor& out, const Tensor& a, const Tensor& b, const Scalar& alpha) {
  return out_call("add", out, {a, b}, [&] { return add(a, b, alpha); });
}
Tensor& sub_out(Tensor& out, const Tensor& a, const Tensor& b, const Scalar& alpha) {
  return out_call("sub", out, {a, b}, [&] { return sub(a, b, alpha); });
}
Tensor& div_out(Tensor& out, const Tensor& a, const Tensor& b,
                std::optional<std::string_view> rounding_mode) {
  return out_call("div", out, {a, b}, [&] { return div(a, b, rounding_mode); });
}
Tensor& where_out(Tensor& out, const Tensor& condition, const Tensor& x, const Tensor& y) {
  return out_call("where", out, {condition, x, y}, [&] { return where(condition, x, y); });
}
Tensor& clamp_out(Tensor& out, const Tensor& x, std::optional<Scalar> min,
                  std::optional<Scalar> max) {
  return out_call("clamp", out, {x}, [&] { return clamp(x, min, max); });
}
Tensor& sum_out(Tensor& out, const Tensor& x, IntArrayRef dims, bool keepdim,
                std::optional<ScalarType> dtype) {
  return out_call("sum", out, {x}, [&] { return sum(x, dims, keepdim, dtype); });
}
Tensor& mean_out(Tensor& out, const Tensor& x, IntArrayRef dims, bool keepdim,
                 std::optional<ScalarType> dtype) {
  return out_call("mean", out, {x}, [&] { return mean(x, dims, keepdim, dtype); });
}
Tensor& mm_out(Tensor& out, const Tensor& a, const Tensor& b) {
  return out_call("mm", out, {a, b}, [&] { return mm(a, b); });
}
Tensor& matmul_out(Tensor& out, const Tensor& a, const Tensor& b) {
  return out_call("matmul", out, {a, b}, [&] { return matmul(a, b); });
}
Tensor& bmm_out(Tensor& out, const Tensor& a, const Tensor& b) {
  return out_call("bmm", out, {a, b}, [&] { return bmm(a, b); });
}
Tensor& mv_out(Tensor& out, const Tensor& mat, const Tensor& vec) {
  return out_call("mv", out, {mat, vec}, [&] { return mv(mat, vec); });
}
Tensor& dot_out(Tensor& out, const Tensor& a, const Tensor& b) {
  return out_call("dot", out, {a, b}, [&] { return dot(a, b); });
}
Tensor& outer_out(Tensor& out, const Tensor& a, const Tensor& b) {
  return out_call("outer", out, {a, b}, [&] { return outer(a, b); });
}
Tensor& addmm_out(Tensor& out, const Tensor& input, const Tensor& mat1, const Tensor& mat2,
                  const Scalar& beta, const Scalar& alpha) {
  return out_call("addmm", out, {input, mat1, mat2},
                  [&] { return addmm(input, mat1, mat2, beta, alpha); });
}
Tensor& index_select_out(Tensor& out, const Tensor& self, int64_t dim, const Tensor& index) {
  return out_call("index_select", out, {self, index},
                  [&] { return index_select(self, dim, index); });
}
Tensor& masked_select_out(Tensor& out, const Tensor& self, const Tensor& mask) {
  return out_call("masked_select", out, {self, mask}, [&] { return masked_select(self, mask); });
}

}  // namespace ember
