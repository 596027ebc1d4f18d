// baddbmm, addbmm, addmv, addr: beta * input + alpha * (a product), as composites of the
// matmul family. beta == 0 ignores input's values (NaN included), as in PyTorch; alpha == 1
// and beta == 1 skip their multiplications.
#include "ember/base/error.h"
#include "ember/ops/autocast.h"
#include "ember/ops/linalg.h"
#include "ember/ops/ops.h"

namespace ember {
namespace {

Tensor scaled_sum(std::string_view op, const Tensor& input, const Tensor& product,
                  const Scalar& beta, const Scalar& alpha) {
  const Shape shape = broadcast_shapes(input.shape(), product.shape(), op);
  EMBER_CHECK(shape == product.shape(), "[", op, "] input of shape ", input.shape(),
              " does not broadcast to the product's shape ", product.shape());
  const Tensor term = alpha.to_double() == 1.0 ? product : product * alpha;
  if (beta.to_double() == 0.0) {
    if (!input.requires_grad()) return term;
    // input still gets a (zero) gradient, as in PyTorch: a where that always picks the product.
    return where(scalar_tensor(true, kBool), term, input);
  }
  return (beta.to_double() == 1.0 ? input : input * beta) + term;
}

}  // namespace

Tensor baddbmm(const Tensor& input, const Tensor& batch1, const Tensor& batch2, const Scalar& beta,
               const Scalar& alpha) {
  if (autocast::active()) {
    return autocast::lower_precision({input, batch1, batch2}, [&](const auto& in) {
      return baddbmm(in[0], in[1], in[2], beta, alpha);
    });
  }
  return scaled_sum("baddbmm", input, bmm(batch1, batch2), beta, alpha);
}

Tensor addbmm(const Tensor& input, const Tensor& batch1, const Tensor& batch2, const Scalar& beta,
              const Scalar& alpha) {
  if (autocast::active()) {
    return autocast::lower_precision({input, batch1, batch2}, [&](const auto& in) {
      return addbmm(in[0], in[1], in[2], beta, alpha);
    });
  }
  EMBER_CHECK(batch1.dim() == 3 && batch2.dim() == 3, "[addbmm] batch1 and batch2 must be 3D ",
              "tensors; got ", batch1.shape(), " and ", batch2.shape());
  // The sum over the batch is one GEMM with the batch folded into the inner dim.
  const int64_t b = batch1.size(0), n = batch1.size(1), k = batch1.size(2), p = batch2.size(2);
  EMBER_CHECK(batch2.size(0) == b && batch2.size(1) == k, "[addbmm] batch1 and batch2 shapes ",
              "cannot be multiplied (", batch1.shape(), " and ", batch2.shape(), ")");
  const Tensor product =
      mm(batch1.permute({1, 0, 2}).reshape({n, b * k}), batch2.reshape({b * k, p}));
  return scaled_sum("addbmm", input, product, beta, alpha);
}

Tensor addmv(const Tensor& input, const Tensor& mat, const Tensor& vec, const Scalar& beta,
             const Scalar& alpha) {
  return scaled_sum("addmv", input, mv(mat, vec), beta, alpha);
}

Tensor addr(const Tensor& input, const Tensor& vec1, const Tensor& vec2, const Scalar& beta,
            const Scalar& alpha) {
  EMBER_CHECK(vec1.dim() == 1 && vec2.dim() == 1, "[addr] 1D tensors expected, but got ",
              vec1.dim(), "D and ", vec2.dim(), "D tensors");
  return scaled_sum("addr", input, outer(vec1, vec2), beta, alpha);
}

Tensor Tensor::baddbmm(const Tensor& batch1, const Tensor& batch2, const Scalar& beta,
                       const Scalar& alpha) const {
  return ember::baddbmm(*this, batch1, batch2, beta, alpha);
}
Tensor Tensor::addbmm(const Tensor& batch1, const Tensor& batch2, const Scalar& beta,
                      const Scalar& alpha) const {
  return ember::addbmm(*this, batch1, batch2, beta, alpha);
}
Tensor Tensor::addmv(const Tensor& mat, const Tensor& vec, const Scalar& beta,
                     const Scalar& alpha) const {
  return ember::addmv(*this, mat, vec, beta, alpha);
}
Tensor Tensor::addr(const Tensor& vec1, const Tensor& vec2, const Scalar& beta,
                    const Scalar& alpha) const {
  return ember::addr(*this, vec1, vec2, beta, alpha);
}

}  // namespace ember
