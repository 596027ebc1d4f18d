// Linear algebra: mm, bmm, matmul (PyTorch's 1-D/2-D/batched broadcasting rules), mv, dot,
// outer, addmm — all through the Matmul primitive, so one GEMM path serves them.
#include <sstream>

#include "ember/base/error.h"
#include "ember/ops/autocast.h"
#include "ember/ops/dispatch.h"
#include "ember/ops/ops.h"
#include "ember/ops/primitives.h"

namespace ember {
namespace {

std::string matrix_str(const Tensor& t) {
  std::ostringstream text;
  for (int64_t d = 0; d < t.dim(); ++d) text << (d ? "x" : "") << t.size(d);
  return text.str();
}

// A view the GEMM can read in place, else a copy (which always has a gemm_layout).
Tensor gemm_operand(const Tensor& t) { return gemm_layout(t) ? t : t.contiguous(); }

void check_matmul_dtypes(std::string_view op, const Tensor& a, const Tensor& b) {
  check_same_device(op, {&a, &b});
  EMBER_CHECK(a.dtype() == b.dtype(), "[", op,
              "] expected m1 and m2 to have the same dtype, but got: ", a.dtype(),
              " != ", b.dtype());
  EMBER_CHECK(a.dtype() != kBool, "[", op, "] not implemented for 'bool'");
}

// a (batch..., M, K) @ b (batch..., K, N) with equal batch shapes; `op` names the node.
Tensor batched_matmul(std::string_view op, const Tensor& a, const Tensor& b) {
  Shape shape = a.shape();
  shape.back() = b.size(-1);
  Tensor result = empty(shape, TensorOptions(a.dtype()).device(a.device()));
  if (a.size(-1) == 0 && result.numel() > 0) return result.zero_();
  run_unless_empty(Matmul(op, 1.0, 0.0), {gemm_operand(a), gemm_operand(b)}, {result});
  return result;
}

}  // namespace

Tensor mm(const Tensor& a, const Tensor& b) {
  if (autocast::active()) {
    return autocast::lower_precision({a, b}, [&](const auto& in) { return mm(in[0], in[1]); });
  }
  EMBER_CHECK(a.dim() == 2, "[mm] self must be a matrix; got a ", a.dim(), "-D tensor of shape ",
              a.shape());
  EMBER_CHECK(b.dim() == 2, "[mm] mat2 must be a matrix; got a ", b.dim(), "-D tensor of shape ",
              b.shape());
  EMBER_CHECK(a.size(1) == b.size(0), "[mm] mat1 and mat2 shapes cannot be multiplied (",
              matrix_str(a), " and ", matrix_str(b), ")");
  check_matmul_dtypes("mm", a, b);
  return batched_matmul("mm", a, b);
}

Tensor bmm(const Tensor& a, const Tensor& b) {
  if (autocast::active()) {
    return autocast::lower_precision({a, b}, [&](const auto& in) { return bmm(in[0], in[1]); });
  }
  EMBER_CHECK(a.dim() == 3 && b.dim() == 3, "[bmm] batch1 and batch2 must be 3D tensors; got ",
              a.shape(), " and ", b.shape());
  EMBER_CHECK(a.size(0) == b.size(0), "[bmm] batch1 and batch2 must have the same batch size; got ",
              a.size(0), " and ", b.size(0));
  EMBER_CHECK(a.size(2) == b.size(1), "[bmm] batch1 and batch2 shapes cannot be multiplied (",
              matrix_str(a), " and ", matrix_str(b), ")");
  check_matmul_dtypes("bmm", a, b);
  return batched_matmul("bmm", a, b);
}

Tensor mv(const Tensor& mat, const Tensor& vec) {
  EMBER_CHECK(mat.dim() == 2 && vec.dim() == 1, "[mv] vector + matrix @ vector expected, got ",
              mat.dim(), ", ", vec.dim());
  EMBER_CHECK(mat.size(1) == vec.size(0), "[mv] size mismatch, got input (", mat.size(0), "x",
              mat.size(1), "), vec (", vec.size(0), ")");
  check_matmul_dtypes("mv", mat, vec);
  return batched_matmul("mv", mat, vec.unsqueeze(1)).squeeze(1);
}

Tensor dot(const Tensor& a, const Tensor& b) {
  EMBER_CHECK(a.dim() == 1 && b.dim() == 1, "[dot] 1D tensors expected, but got ", a.dim(),
              "D and ", b.dim(), "D tensors");
  EMBER_CHECK(a.size(0) == b.size(0), "[dot] inconsistent tensor size, expected tensor [",
              a.size(0), "] and src [", b.size(0),
              "] to have the same number of elements, but got ", a.size(0), " and ", b.size(0),
              " elements respectively");
  check_matmul_dtypes("dot", a, b);
  return batched_matmul("dot", a.unsqueeze(0), b.unsqueeze(1)).reshape({});
}

Tensor outer(const Tensor& a, const Tensor& b) {
  EMBER_CHECK(a.dim() == 1 && b.dim() == 1, "[outer] 1D tensors expected, but got ", a.dim(),
              "D and ", b.dim(), "D tensors");
  return mul(a.unsqueeze(1), b.unsqueeze(0));
}

Tensor matmul(const Tensor& a, const Tensor& b) {
  if (autocast::active()) {
    return autocast::lower_precision({a, b}, [&](const auto& in) { return matmul(in[0], in[1]); });
  }
  EMBER_CHECK(a.dim() > 0 && b.dim() > 0,
              "[matmul] both arguments to matmul need to be at least 1D, but they are ", a.dim(),
              "D and ", b.dim(), "D");
  if (a.dim() == 1 && b.dim() == 1) return dot(a, b);
  if (a.dim() == 2 && b.dim() == 1) return mv(a, b);
  if (a.dim() == 1 && b.dim() == 2) return mm(a.unsqueeze(0), b).squeeze(0);
  if (a.dim() == 2 && b.dim() == 2) return mm(a, b);
  // Batched: 1-D operands gain a matrix dim that is dropped again; batch dims broadcast.
  const Tensor left = a.dim() == 1 ? a.unsqueeze(0) : a;
  const Tensor right = b.dim() == 1 ? b.unsqueeze(1) : b;
  const int64_t k_left = left.size(-1), k_right = right.size(-2);
  EMBER_CHECK(k_left == k_right, "[matmul] mat1 and mat2 shapes cannot be multiplied (",
              matrix_str(left), " and ", matrix_str(right), ")");
  check_matmul_dtypes("matmul", left, right);
  const Shape batch_left(left.shape().begin(), left.shape().end() - 2);
  const Shape batch_right(right.shape().begin(), right.shape().end() - 2);
  Shape batch = broadcast_shapes(batch_left, batch_right, "matmul");
  Shape shape_left = batch, shape_right = batch;
  shape_left.push_back(left.size(-2));
  shape_left.push_back(k_left);
  shape_right.push_back(k_right);
  shape_right.push_back(right.size(-1));
  Tensor result = batched_matmul("bmm", left.expand(shape_left), right.expand(shape_right));
  if (a.dim() == 1) result = result.squeeze(-2);
  if (b.dim() == 1) result = result.squeeze(-1);
  return result;
}

Tensor addmm(const Tensor& input, const Tensor& mat1, const Tensor& mat2, const Scalar& beta,
             const Scalar& alpha) {
  if (autocast::active()) {
    return autocast::lower_precision({input, mat1, mat2}, [&](const auto& in) {
      return addmm(in[0], in[1], in[2], beta, alpha);
    });
  }
  EMBER_CHECK(mat1.dim() == 2 && mat2.dim() == 2, "[addmm] mat1 and mat2 must be matrices; got ",
              mat1.shape(), " and ", mat2.shape());
  EMBER_CHECK(mat1.size(1) == mat2.size(0), "[addmm] mat1 and mat2 shapes cannot be multiplied (",
              matrix_str(mat1), " and ", matrix_str(mat2), ")");
  check_matmul_dtypes("addmm", mat1, mat2);
  EMBER_CHECK(input.dtype() == mat1.dtype(),
              "[addmm] expected input and mat1 to have the same dtype, but got: ", input.dtype(),
              " != ", mat1.dtype());
  const int64_t rows = mat1.size(0), columns = mat2.size(1);
  Tensor result = empty({rows, columns}, TensorOptions(mat1.dtype()).device(mat1.device()));
  const double beta_value = beta.to_double();
  // beta == 0 ignores input entirely, NaN included, as in PyTorch.
  if (beta_value != 0.0) result.copy_(input.expand({rows, columns}));
  if (result.numel() == 0) return result;
  if (mat1.size(1) == 0) {
    if (beta_value != 0.0) return result.mul_(beta);
    result.zero_();
  } else {
    run(Matmul("addmm", alpha.to_double(), beta_value), {gemm_operand(mat1), gemm_operand(mat2)},
        {result});
  }
  if (beta_value != 0.0 || !input.requires_grad()) return result;
  // As in PyTorch, input still gets a (zero) gradient: a where that always picks the product.
  return where(scalar_tensor(true, kBool), result, input);
}

Tensor Tensor::mm(const Tensor& other) const { return ember::mm(*this, other); }
Tensor Tensor::matmul(const Tensor& other) const { return ember::matmul(*this, other); }
Tensor Tensor::bmm(const Tensor& other) const { return ember::bmm(*this, other); }
Tensor Tensor::mv(const Tensor& vec) const { return ember::mv(*this, vec); }
Tensor Tensor::dot(const Tensor& other) const { return ember::dot(*this, other); }
Tensor Tensor::outer(const Tensor& other) const { return ember::outer(*this, other); }
Tensor Tensor::addmm(const Tensor& mat1, const Tensor& mat2, const Scalar& beta,
                     const Scalar& alpha) const {
  return ember::addmm(*this, mat1, mat2, beta, alpha);
}

}  // namespace ember
