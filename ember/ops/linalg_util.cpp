// Argument checks and layout helpers of the linear-algebra family (linalg_util.h).
#include "ember/ops/linalg_util.h"

#include <limits>

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

Tensor empty_column_major(IntArrayRef shape, ScalarType dtype, Device device) {
  std::vector<int64_t> swapped(shape.begin(), shape.end());
  std::swap(swapped[swapped.size() - 1], swapped[swapped.size() - 2]);
  // detach(): a tensor of its own (not a view), so that autograd records the op writing it as
  // its history rather than a view of an internal base.
  return mT(empty(swapped, TensorOptions(dtype).device(device))).detach();
}

double epsilon(ScalarType dtype) {
  return dtype == kFloat64 ? std::numeric_limits<double>::epsilon()
                           : static_cast<double>(std::numeric_limits<float>::epsilon());
}

Tensor eye_like(const Tensor& A) {
  return eye(A.size(-1), TensorOptions(A.dtype()).device(A.device()));
}

}  // namespace ember::linalg_detail
