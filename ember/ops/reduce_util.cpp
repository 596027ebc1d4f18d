// The reductions of the util family, composites of the ops in ops.h (so autograd differentiates
// them and every device runs them): nansum, nanmean, aminmax, var_mean, std_mean, dist, cdist,
// trace and the cross products.
#include <algorithm>

#include "ember/base/error.h"
#include "ember/ops/autocast.h"
#include "ember/ops/util.h"

namespace ember {
namespace {

Tensor is_nan(const Tensor& x) { return ne(x, x); }

}  // namespace

Tensor nansum(const Tensor& x, IntArrayRef dims, bool keepdim, std::optional<ScalarType> dtype) {
  if (!is_floating_point(x.dtype())) return sum(x, dims, keepdim, dtype);
  // where() sends no gradient to the NaNs, as PyTorch's nansum.
  return sum(where(is_nan(x), Scalar(0), x), dims, keepdim, dtype);
}

Tensor nanmean(const Tensor& x, IntArrayRef dims, bool keepdim, std::optional<ScalarType> dtype) {
  EMBER_CHECK(is_floating_point(x.dtype()),
              "[nanmean] nanmean(): expected input to have floating point dtype but got ",
              x.dtype());
  const Tensor count = sum(logical_not(is_nan(x)), dims, keepdim);
  return div(nansum(x, dims, keepdim, dtype), count);
}

std::tuple<Tensor, Tensor> aminmax(const Tensor& x, std::optional<int64_t> dim, bool keepdim) {
  EMBER_CHECK(x.numel() > 0 || dim.has_value(),
              "[aminmax] aminmax(): cannot compute aminmax over an empty dimension as the "
              "operation has no identity; got shape ",
              x.shape());
  if (!dim) return {amin(x, {}, keepdim), amax(x, {}, keepdim)};
  return {amin(x, {*dim}, keepdim), amax(x, {*dim}, keepdim)};
}

std::tuple<Tensor, Tensor> var_mean(const Tensor& x, IntArrayRef dims, double correction,
                                    bool keepdim) {
  return {var(x, dims, correction, keepdim), mean(x, dims, keepdim)};
}

std::tuple<Tensor, Tensor> std_mean(const Tensor& x, IntArrayRef dims, double correction,
                                    bool keepdim) {
  return {ember::std(x, dims, correction, keepdim), mean(x, dims, keepdim)};
}

Tensor dist(const Tensor& a, const Tensor& b, const Scalar& p) {
  EMBER_CHECK(is_floating_point(a.dtype()) && is_floating_point(b.dtype()),
              "[dist] dist only supports floating-point dtypes; got ", a.dtype(), " and ",
              b.dtype());
  return norm(sub(a, b), p.to_double());
}

Tensor cdist(const Tensor& x1, const Tensor& x2, double p, std::optional<int64_t> mode) {
  if (autocast::active()) {
    return autocast::float32({x1, x2},
                             [&](const auto& in) { return cdist(in[0], in[1], p, mode); });
  }
  EMBER_CHECK(x1.dim() >= 2 && x2.dim() >= 2,
              "[cdist] cdist only supports at least 2D tensors, X1 got: ", x1.dim(),
              "D, X2 got: ", x2.dim(), "D");
  EMBER_CHECK(x1.size(-1) == x2.size(-1),
              "[cdist] X1 and X2 must have the same number of columns. X1: ", x1.size(-1),
              " X2: ", x2.size(-1));
  EMBER_CHECK(is_floating_point(x1.dtype()) && is_floating_point(x2.dtype()),
              "[cdist] cdist only supports floating-point dtypes, X1 got: ", x1.dtype(),
              ", X2 got: ", x2.dtype());
  EMBER_CHECK(p >= 0, "[cdist] cdist only supports non-negative p values; got ", p);
  // [*, P, 1, M] - [*, 1, R, M]: every pair's difference, then the norm over M. norm is flat at
  // zero (a zero distance has a zero gradient, as PyTorch's cdist).
  // Rows of no columns are at distance 0 for every p, as in PyTorch (norm's inf and -inf have
  // no value over an empty dim; its 2-norm is 0 there).
  const double order = x1.size(-1) == 0 ? 2.0 : p;
  return norm(sub(x1.unsqueeze(-2), x2.unsqueeze(-3)), order, {-1});
}

Tensor trace(const Tensor& x) {
  if (autocast::active()) {
    return autocast::float32({x}, [&](const auto& in) { return trace(in[0]); });
  }
  EMBER_CHECK(x.dim() == 2, "[trace] expected a matrix, but got tensor with shape ", x.shape());
  const int64_t n = std::min(x.size(0), x.size(1));
  const int64_t step = x.size(1) + 1;
  // The diagonal of the row-major flattening: positions 0, m + 1, 2 (m + 1), ...
  return sum(index_select(reshape(x, {-1}), 0, arange(0, n * step, step, TensorOptions(kInt64))));
}

Tensor linalg_cross(const Tensor& a, const Tensor& b, int64_t dim) {
  EMBER_CHECK(a.dim() == b.dim(),
              "[linalg.cross] inputs must have the same number of dimensions; got shapes ",
              a.shape(), " and ", b.shape());
  const Shape shape = broadcast_shapes(a.shape(), b.shape(), "linalg.cross");
  const int64_t d = wrap_dim(dim, static_cast<int64_t>(shape.size()), "linalg.cross");
  EMBER_CHECK(a.size(d) == 3 && b.size(d) == 3, "[linalg.cross] inputs dimension ", dim,
              " must have length 3. Got ", a.size(d), " and ", b.size(d));
  // float16/bfloat16 compute in float32 (Note [reduced precision]): rounding the two products
  // before subtracting them would lose the difference when they nearly cancel.
  const ScalarType dtype = result_type(a, b);
  if (is_reduced_float(dtype)) {
    return to(linalg_cross(to(a, std::nullopt, kFloat32), to(b, std::nullopt, kFloat32), dim),
              std::nullopt, dtype);
  }
  // c_i = a_{i+1} b_{i+2} - a_{i+2} b_{i+1} (indices mod 3).
  const Tensor next = tensor({1, 2, 0}), after = tensor({2, 0, 1});
  return sub(mul(index_select(a, d, next), index_select(b, d, after)),
             mul(index_select(a, d, after), index_select(b, d, next)));
}

Tensor cross(const Tensor& a, const Tensor& b, std::optional<int64_t> dim) {
  if (dim) return linalg_cross(a, b, *dim);
  for (int64_t d = 0; d < a.dim(); ++d) {
    if (a.size(d) == 3) return linalg_cross(a, b, d);
  }
  detail::raise<RuntimeError>("[cross] no dimension of size 3 in input of shape ", a.shape());
}

// ---------------------------------------------------------------- Tensor methods

Tensor Tensor::nansum(IntArrayRef dims, bool keepdim, std::optional<ScalarType> dtype) const {
  return ember::nansum(*this, dims, keepdim, dtype);
}
Tensor Tensor::nanmean(IntArrayRef dims, bool keepdim, std::optional<ScalarType> dtype) const {
  return ember::nanmean(*this, dims, keepdim, dtype);
}
std::tuple<Tensor, Tensor> Tensor::aminmax(std::optional<int64_t> dim, bool keepdim) const {
  return ember::aminmax(*this, dim, keepdim);
}
Tensor Tensor::dist(const Tensor& other, const Scalar& p) const {
  return ember::dist(*this, other, p);
}
Tensor Tensor::trace() const { return ember::trace(*this); }
Tensor Tensor::cross(const Tensor& other, std::optional<int64_t> dim) const {
  return ember::cross(*this, other, dim);
}

}  // namespace ember
