// The linalg ops built from others (no kernel, gradients for free): norms, pinv and its
// relatives, matrix_power/matrix_exp/multi_dot, and the legacy top-level names with their
// Tensor methods.
#include <cmath>
#include <limits>

#include "ember/base/error.h"
#include "ember/ops/linalg.h"
#include "ember/ops/linalg_util.h"
#include "ember/ops/ops.h"

namespace ember {
namespace linalg {
namespace {

using linalg_detail::check_matrix;
using linalg_detail::epsilon;
using linalg_detail::mT;

// Dims of x ordered as `dims` first... moved to the end (their order kept), for the matrix ops.
Tensor move_to_end(const Tensor& x, int64_t d0, int64_t d1) {
  std::vector<int64_t> order;
  for (int64_t d = 0; d < x.dim(); ++d) {
    if (d != d0 && d != d1) order.push_back(d);
  }
  order.push_back(d0);
  order.push_back(d1);
  return x.permute(order);
}

int64_t wrap(std::string_view op, int64_t dim, int64_t rank) {
  EMBER_CHECK_INDEX(dim >= -rank && dim < rank, "[", op,
                    "] Dimension out of range (expected to be in range of [", -rank, ", ", rank - 1,
                    "], but got ", dim, ")");
  return dim < 0 ? dim + rank : dim;
}

// The threshold below which singular values count as zero: max(atol, rtol * largest), with
// PyTorch's defaults (rtol = eps * max(m, n) when neither is given, 0 when only atol is).
Tensor threshold(const Tensor& A, const Tensor& largest, std::optional<double> atol,
                 std::optional<double> rtol) {
  const double r =
      rtol ? *rtol
           : (atol ? 0.0
                   : epsilon(A.dtype()) * static_cast<double>(std::max(A.size(-2), A.size(-1))));
  Tensor limit = largest * r;
  if (atol) limit = clamp(limit, *atol, std::nullopt);
  return limit;
}

Tensor vector_norm_checked(std::string_view op, const Tensor& x, double ord, IntArrayRef dim,
                           bool keepdim, std::optional<ScalarType> dtype) {
  EMBER_CHECK(is_floating_point(dtype ? *dtype : x.dtype()), "[", op,
              "] Expected a floating point tensor as input. Got ", x.dtype(), " (shape ", x.shape(),
              ")");
  const Tensor input = dtype ? x.to(*dtype) : x;
  return ember::norm(input, ord, dim, keepdim);
}

}  // namespace

Tensor vector_norm(const Tensor& x, double ord, IntArrayRef dim, bool keepdim,
                   std::optional<ScalarType> dtype) {
  return vector_norm_checked("linalg.vector_norm", x, ord, dim, keepdim, dtype);
}

Tensor matrix_norm(const Tensor& A, NormOrder ord, IntArrayRef dim, bool keepdim,
                   std::optional<ScalarType> dtype) {
  EMBER_CHECK(A.dim() >= 2, "[linalg.matrix_norm] The input tensor A must have at least 2 ",
              "dimensions; got shape ", A.shape());
  EMBER_CHECK(dim.size() == 2, "[linalg.matrix_norm] dim must be a 2-tuple; got ", dim.size(),
              " dims");
  const int64_t d0 = wrap("linalg.matrix_norm", dim[0], A.dim());
  const int64_t d1 = wrap("linalg.matrix_norm", dim[1], A.dim());
  EMBER_CHECK(d0 != d1, "[linalg.matrix_norm] dims must be different; got (", dim[0], ", ", dim[1],
              ")");
  const Tensor x = dtype ? A.to(*dtype) : A;
  EMBER_CHECK(is_floating_point(x.dtype()),
              "[linalg.matrix_norm] Expected a floating point tensor as input. Got ", x.dtype(),
              " (shape ", A.shape(), ")");
  const auto keep = [&](Tensor result) {
    if (!keepdim) return result;
    result = result.unsqueeze(std::min(d0, d1));
    return result.unsqueeze(std::max(d0, d1));
  };
  if (const auto* name = std::get_if<std::string_view>(&ord)) {
    if (*name == "fro") return vector_norm(x, 2, {d0, d1}, keepdim);
    EMBER_CHECK_VALUE(*name == "nuc", "[linalg.matrix_norm] Order ", *name,
                      " not supported; expected 'fro', 'nuc', 1, -1, 2, -2, inf or -inf");
    return keep(sum(svdvals(move_to_end(x, d0, d1)), {-1}));
  }
  const double p = std::get<double>(ord);
  if (p == 2 || p == -2) {
    const Tensor values = svdvals(move_to_end(x, d0, d1));
    return keep(p > 0 ? amax(values, {-1}) : amin(values, {-1}));
  }
  const bool infinite = std::isinf(p);
  EMBER_CHECK_VALUE(infinite || p == 1 || p == -1, "[linalg.matrix_norm] Order ", p,
                    " not supported; expected 'fro', 'nuc', 1, -1, 2, -2, inf or -inf");
  // 1: the largest column sum (over rows, d0); inf: the largest row sum (over columns, d1).
  const int64_t summed = infinite ? d1 : d0, other = infinite ? d0 : d1;
  const Tensor sums = sum(abs(x), {summed}, /*keepdim=*/true);
  Tensor result = p > 0 ? amax(sums, {other}, true) : amin(sums, {other}, true);
  if (keepdim) return result;
  return result.squeeze(std::max(d0, d1)).squeeze(std::min(d0, d1));
}

Tensor norm(const Tensor& x, std::optional<NormOrder> ord, IntArrayRef dim, bool keepdim,
            std::optional<ScalarType> dtype) {
  if (!ord) {
    if (dim.size() == 2) return matrix_norm(x, std::string_view("fro"), dim, keepdim, dtype);
    return vector_norm_checked("linalg.norm", x, 2, dim, keepdim, dtype);
  }
  const bool matrix = dim.size() == 2 || (dim.empty() && x.dim() == 2);
  EMBER_CHECK(!dim.empty() || x.dim() == 1 || x.dim() == 2, "[linalg.norm] If dim is not ",
              "specified but ord is, the input must be 1D or 2D; got shape ", x.shape());
  if (matrix) return matrix_norm(x, *ord, dim.empty() ? IntArrayRef{-2, -1} : dim, keepdim, dtype);
  const auto* order = std::get_if<double>(&*ord);
  EMBER_CHECK(order != nullptr, "[linalg.norm] order ", std::get<std::string_view>(*ord),
              " is only supported for matrix norms; got a vector norm over dims ", dim);
  return vector_norm_checked("linalg.norm", x, *order, dim, keepdim, dtype);
}

Tensor pinv(const Tensor& A, std::optional<double> atol, std::optional<double> rtol,
            bool hermitian) {
  check_matrix("linalg.pinv", A, /*square=*/hermitian);
  if (hermitian) {
    auto [values, vectors] = eigh(A);
    const Tensor magnitude = abs(values);
    const Tensor limit = threshold(A, amax(magnitude, {-1}, true), atol, rtol);
    const Tensor inverse = where(magnitude > limit, reciprocal(values), 0);
    return matmul(vectors * inverse.unsqueeze(-2), mT(vectors));
  }
  auto [U, S, Vh] = linalg::svd(A, /*full_matrices=*/false);
  const Tensor limit = threshold(A, amax(S, {-1}, true), atol, rtol);
  const Tensor inverse = where(S > limit, reciprocal(S), 0);
  return matmul(mT(Vh) * inverse.unsqueeze(-2), mT(U));
}

Tensor matrix_rank(const Tensor& A, std::optional<double> atol, std::optional<double> rtol,
                   bool hermitian) {
  check_matrix("linalg.matrix_rank", A, /*square=*/hermitian);
  const Tensor values = hermitian ? abs(eigvalsh(A)) : svdvals(A);
  const Tensor limit = threshold(A, amax(values, {-1}, true), atol, rtol);
  return sum(values > limit, {-1});
}

Tensor matrix_power(const Tensor& A, int64_t n) {
  EMBER_CHECK(A.dim() >= 2 && A.size(-1) == A.size(-2), "[linalg.matrix_power] A must be ",
              "batches of square matrices; got shape ", A.shape());
  if (n == 0) return eye(A.size(-1), TensorOptions(A.dtype())).expand(A.shape()).clone();
  Tensor base = n < 0 ? inv(A) : A;
  uint64_t remaining = n < 0 ? 0 - static_cast<uint64_t>(n) : static_cast<uint64_t>(n);
  if (remaining == 1) return base.clone();
  Tensor result;
  // Binary powering: the products of base^(2^i) for the set bits of n.
  while (remaining > 0) {
    if (remaining & 1) result = result.defined() ? matmul(result, base) : base;
    remaining >>= 1;
    if (remaining > 0) base = matmul(base, base);
  }
  return result;
}

Tensor matrix_exp(const Tensor& A) {
  check_matrix("linalg.matrix_exp", A, /*square=*/true);
  if (A.numel() == 0) return A.clone();
  // Scaling and squaring: exp(A) = exp(A / 2^s)^(2^s) with |A / 2^s|_inf <= 1/2, where an
  // 18-term Taylor series is exact to float64 rounding.
  const double size = amax(sum(abs(A.detach()), {-1})).item<double>();
  // NaN or inf anywhere: NaN everywhere (the series would not converge), as PyTorch gives.
  if (!std::isfinite(size)) return A * std::numeric_limits<double>::quiet_NaN();
  const int squarings = size > 0.5 ? static_cast<int>(std::ceil(std::log2(size / 0.5))) : 0;
  const Tensor X = A / std::ldexp(1.0, squarings);
  const Tensor I = linalg_detail::eye_like(A);
  Tensor result = I + X / 18.0;
  for (int k = 17; k >= 1; --k) result = I + matmul(X, result) / static_cast<double>(k);
  for (int i = 0; i < squarings; ++i) result = matmul(result, result);
  return result;
}

Tensor multi_dot(const std::vector<Tensor>& tensors) {
  const size_t count = tensors.size();
  EMBER_CHECK(count >= 2, "[linalg.multi_dot] expected at least 2 tensors but got ", count);
  std::vector<Tensor> matrices(tensors);
  const bool first_vector = tensors.front().dim() == 1, last_vector = tensors.back().dim() == 1;
  if (first_vector) matrices.front() = matrices.front().unsqueeze(0);
  if (last_vector) matrices.back() = matrices.back().unsqueeze(1);
  for (size_t i = 0; i < count; ++i) {
    EMBER_CHECK(matrices[i].dim() == 2, "[linalg.multi_dot] tensor ", i, " must be 2D",
                (i == 0 || i + 1 == count ? " (or 1D)" : ""), " but got ", tensors[i].dim(),
                "D (shape ", tensors[i].shape(), ")");
    EMBER_CHECK(i == 0 || matrices[i - 1].size(1) == matrices[i].size(0), "[linalg.multi_dot] ",
                "tensors ", i - 1, " and ", i, " with shapes ", tensors[i - 1].shape(), " and ",
                tensors[i].shape(), " cannot be multiplied");
  }
  // The cheapest parenthesization (the textbook matrix-chain dynamic program).
  std::vector<int64_t> sizes{matrices[0].size(0)};
  for (const Tensor& matrix : matrices) sizes.push_back(matrix.size(1));
  std::vector<std::vector<double>> cost(count, std::vector<double>(count, 0));
  std::vector<std::vector<size_t>> split(count, std::vector<size_t>(count, 0));
  for (size_t length = 1; length < count; ++length) {
    for (size_t i = 0; i + length < count; ++i) {
      const size_t j = i + length;
      cost[i][j] = std::numeric_limits<double>::infinity();
      for (size_t k = i; k < j; ++k) {
        const double c = cost[i][k] + cost[k + 1][j] +
                         static_cast<double>(sizes[i]) * static_cast<double>(sizes[k + 1]) *
                             static_cast<double>(sizes[j + 1]);
        if (c < cost[i][j]) {
          cost[i][j] = c;
          split[i][j] = k;
        }
      }
    }
  }
  const auto product = [&](const auto& self, size_t i, size_t j) -> Tensor {
    if (i == j) return matrices[i];
    return mm(self(self, i, split[i][j]), self(self, split[i][j] + 1, j));
  };
  Tensor result = product(product, 0, count - 1);
  if (first_vector) result = result.squeeze(0);
  if (last_vector) result = result.squeeze(-1);
  return result;
}

}  // namespace linalg

// ---------------------------------------------------------------- legacy top-level names

Tensor det(const Tensor& A) { return linalg::det(A); }
Tensor logdet(const Tensor& A) {
  auto [sign, logabsdet] = linalg::slogdet(A);
  // log(sign) is NaN for a negative determinant and -inf for a zero one, as torch.logdet.
  return logabsdet + log(sign.detach());
}
std::tuple<Tensor, Tensor> slogdet(const Tensor& A) { return linalg::slogdet(A); }
Tensor inverse(const Tensor& A) { return linalg::inv(A); }
Tensor cholesky(const Tensor& A, bool upper) { return linalg::cholesky(A, upper); }

Tensor cholesky_solve(const Tensor& B, const Tensor& L, bool upper) {
  // A = L L^T (or U^T U): two triangular solves.
  const Tensor lower = upper ? linalg_detail::mT(L) : L;
  const Tensor Y = linalg::solve_triangular(lower, B, /*upper=*/false);
  return linalg::solve_triangular(linalg_detail::mT(lower), Y, /*upper=*/true);
}

Tensor cholesky_inverse(const Tensor& L, bool upper) {
  linalg_detail::check_matrix("cholesky_inverse", L, /*square=*/true);
  return cholesky_solve(linalg_detail::eye_like(L).expand(L.shape()), L, upper);
}

std::tuple<Tensor, Tensor> qr(const Tensor& A, bool some) {
  return linalg::qr(A, some ? "reduced" : "complete");
}

std::tuple<Tensor, Tensor, Tensor> svd(const Tensor& A, bool some, bool compute_uv) {
  if (!compute_uv) {
    const int64_t m = A.size(-2), n = A.size(-1);
    Shape u_shape(A.shape().begin(), A.shape().end() - 2), v_shape = u_shape;
    u_shape.push_back(m);
    u_shape.push_back(m);
    v_shape.push_back(n);
    v_shape.push_back(n);
    return {zeros(u_shape, TensorOptions(A.dtype())), linalg::svdvals(A),
            zeros(v_shape, TensorOptions(A.dtype()))};
  }
  auto [U, S, Vh] = linalg::svd(A, /*full_matrices=*/!some);
  return {U, S, linalg_detail::mT(Vh)};
}

Tensor pinverse(const Tensor& A, double rcond) { return linalg::pinv(A, std::nullopt, rcond); }
Tensor matrix_power(const Tensor& A, int64_t n) { return linalg::matrix_power(A, n); }
Tensor matrix_exp(const Tensor& A) { return linalg::matrix_exp(A); }

Tensor Tensor::det() const { return ember::det(*this); }
Tensor Tensor::logdet() const { return ember::logdet(*this); }
std::tuple<Tensor, Tensor> Tensor::slogdet() const { return ember::slogdet(*this); }
Tensor Tensor::inverse() const { return ember::inverse(*this); }
Tensor Tensor::cholesky(bool upper) const { return ember::cholesky(*this, upper); }
Tensor Tensor::cholesky_inverse(bool upper) const { return ember::cholesky_inverse(*this, upper); }
std::tuple<Tensor, Tensor> Tensor::qr(bool some) const { return ember::qr(*this, some); }
std::tuple<Tensor, Tensor, Tensor> Tensor::svd(bool some, bool compute_uv) const {
  return ember::svd(*this, some, compute_uv);
}
Tensor Tensor::pinverse(double rcond) const { return ember::pinverse(*this, rcond); }
Tensor Tensor::matrix_power(int64_t n) const { return ember::matrix_power(*this, n); }
Tensor Tensor::matrix_exp() const { return ember::matrix_exp(*this); }

}  // namespace ember
