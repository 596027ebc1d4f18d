// Argument checks and layout helpers of the linear-algebra family (linalg_util.h).
#include "ember/ops/linalg_util.h"

#include "ember/base/error.h"
#include "ember/ops/dispatch.h"
#include "ember/ops/ops.h"

namespace ember::linalg_detail {

void check_matrix(std::string_view op, const Tensor& A, bool square, std::string_view name) {
  EMBER_CHECK(A.dim() >= 2, "[", op, "] The input tensor ", name,
              " must have at least 2 dimensions; got shape ", A.shape());
  const ScalarType dtype = A.dtype();
  EMBER_CHECK(is_floating_point(dtype), "[", op,
              "] Expected a floating point tensor as input. Got ", dtype, " (", name, " of shape ",
              A.shape(), ")");
  EMBER_CHECK(dtype == kFloat32 || dtype == kFloat64, "[", op,
              "] Low precision dtypes not supported. Got ", dtype, " (", name, " of shape ",
              A.shape(), ")");
  EMBER_CHECK(!square || A.size(-1) == A.size(-2), "[", op, "] ", name,
              " must be batches of square matrices, but they are ", A.size(-2), " by ", A.size(-1),
              " matrices (shape ", A.shape(), ")");
}

void check_same_dtype(std::string_view op, const Tensor& A, const Tensor& B) {
  check_same_device(op, {&A, &B});
  EMBER_CHECK(A.dtype() == B.dtype(), "[", op,
              "] Expected A and B to have the same dtype, but found A of type ", A.dtype(),
              " and B of type ", B.dtype(), " instead (shapes ", A.shape(), " and ", B.shape(),
              ")");
}

Tensor empty_column_major(IntArrayRef shape, ScalarType dtype) {
  std::vector<int64_t> swapped(shape.begin(), shape.end());
  std::swap(swapped[swapped.size() - 1], swapped[swapped.size() - 2]);
  // detach(): a tensor of its own (not a view), so that autograd records the op writing it as
  // its history rather than a view of an internal base.
  return mT(empty(swapped, TensorOptions(dtype))).detach();
}

namespace {
// Where column - row <= k (lower) or >= k (upper), for the last two dims of x.
Tensor triangle_mask(const Tensor& x, int64_t k, bool lower) {
  const Tensor rows = arange(x.size(-2)).unsqueeze(1);
  const Tensor columns = arange(x.size(-1)).unsqueeze(0);
  const Tensor offset = columns - rows;
  return lower ? offset <= k : offset >= k;
}
}  // namespace

Tensor tril(const Tensor& x, int64_t k) { return where(triangle_mask(x, k, true), x, 0); }

Tensor triu(const Tensor& x, int64_t k) { return where(triangle_mask(x, k, false), x, 0); }

Tensor diagonal(const Tensor& x) {
  std::vector<int64_t> size(x.shape().begin(), x.shape().end() - 2);
  std::vector<int64_t> stride(x.strides().begin(), x.strides().end() - 2);
  size.push_back(std::min(x.size(-2), x.size(-1)));
  stride.push_back(x.stride(-2) + x.stride(-1));
  return as_strided(x, size, stride, x.storage_offset());
}

Tensor diag_embed(const Tensor& v) {
  return v.unsqueeze(-1) * eye(v.size(-1), TensorOptions(v.dtype()));
}

Tensor eye_like(const Tensor& A) { return eye(A.size(-1), TensorOptions(A.dtype())); }

}  // namespace ember::linalg_detail
