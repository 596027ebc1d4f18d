// Gradient rules of the LAPACK-backed linalg ops, PyTorch's published formulas written with
// public (differentiable) ops, so gradgradcheck passes through them. Matrices are real: the
// conjugate transposes of the formulas are plain transposes (mT).
#include "ember/autograd/derivatives_linalg.h"

#include <cmath>

#include "ember/ops/linalg.h"
#include "ember/ops/linalg_util.h"
#include "ember/ops/ops.h"
#include "ember/ops/shape.h"

namespace ember::autograd {
namespace {

using linalg_detail::eye_like;
using linalg_detail::mT;

constexpr SaveMask kA = 1, kAB = 3;

constexpr SaveMask saves(LapackOp op) {
  switch (op) {
    case LapackOp::Cholesky:
    case LapackOp::Qr:
    case LapackOp::Eigh:
    case LapackOp::Svd:
      return kSaveOutputs;
    case LapackOp::Solve:
    case LapackOp::SolveTriangular:
      return kA | kSaveOutputs;
    case LapackOp::Slogdet:
    case LapackOp::Det:
      return kA | kSaveOutputs;
    case LapackOp::Lstsq:
      return kAB | kSaveOutputs;
    case LapackOp::Svdvals:
      return 0;
  }
  return 0;
}

template <LapackOp op>
Saved<saves(op)> saved(const BackwardContext& c) {
  return Saved<saves(op)>(c);
}

// A = L L^T: gA = L^{-T} Φ(L^T gL) L^{-1}, Φ the lower triangle with the diagonal halved,
// symmetrized (PyTorch's cholesky_backward).
Tensor cholesky_rule(const Tensor& grad, const Tensor& L) {
  Tensor gA = tril(matmul(mT(L), grad));
  gA = (gA + mT(tril(gA, -1))) * 0.5;
  gA = linalg::solve_triangular(mT(L), gA, /*upper=*/true, /*left=*/true);
  return linalg::solve_triangular(L, gA, /*upper=*/false, /*left=*/false);
}

// X = A^{-1} B: gB = A^{-T} gX, gA = -gB X^T.
TensorList solve_rule(const BackwardContext& c, const Tensor& A, const Tensor& X) {
  TensorList grads(2);
  const Tensor gB = linalg::solve(mT(A), c.grads[0]);
  if (c.needs_input_grad[0]) grads[0] = -matmul(gB, mT(X));
  if (c.needs_input_grad[1]) grads[1] = gB;
  return grads;
}

// Triangular A: the same as solve, with gA projected onto A's triangle (without the diagonal
// for a unit diagonal, which is not read).
TensorList solve_triangular_rule(const Lapack& primitive, const BackwardContext& c, const Tensor& A,
                                 const Tensor& X) {
  TensorList grads(2);
  const bool upper = primitive.upper();
  const Tensor gB =
      linalg::solve_triangular(mT(A), c.grads[0], !upper, true, primitive.unitriangular());
  if (c.needs_input_grad[0]) {
    const Tensor gA = -matmul(gB, mT(X));
    const int64_t k = primitive.unitriangular() ? 1 : 0;
    grads[0] = upper ? triu(gA, k) : tril(gA, -k);
  }
  if (c.needs_input_grad[1]) grads[1] = gB;
  return grads;
}

// prod_{j != i} S_j for each i, from prefix and suffix products: multiplications only, so that
// every order of derivative is exact where some S_j are zero (dividing prod(S) by S_i is not).
Tensor products_of_others(const Tensor& S) {
  const int64_t k = S.size(-1);
  std::vector<Tensor> prefix{ones_like(S.narrow(-1, 0, 1))}, suffix{prefix.front()};
  for (int64_t i = 1; i < k; ++i) {
    prefix.push_back(prefix.back() * S.narrow(-1, i - 1, 1));
    suffix.insert(suffix.begin(), suffix.front() * S.narrow(-1, k - i, 1));
  }
  return cat(prefix, -1) * cat(suffix, -1);
}

// The cofactor matrix (the adjugate transposed), det's gradient, for any A, singular or not:
// with A = U diag(S) Vh, it is det(U) det(Vh) U diag(prod_{j != i} S_j) Vh (PyTorch's
// linalg_det_backward). det(U) det(Vh) = ±1 is locally constant: no gradient flows through it.
Tensor cofactor(const Tensor& A) {
  if (A.size(-1) == 0) return zeros_like(A);
  auto [U, S, Vh] = linalg::svd(A, /*full_matrices=*/false);
  const Tensor alpha = linalg::det(U.detach()) * linalg::det(Vh.detach());
  const Tensor scaled = U * products_of_others(S).unsqueeze(-2);
  return matmul(scaled, Vh) * alpha.unsqueeze(-1).unsqueeze(-1);
}

Tensor as_matrix_factor(const Tensor& per_matrix) { return per_matrix.unsqueeze(-1).unsqueeze(-1); }

// A^{-T} when every matrix of A has a nonzero determinant and LU inverts it; undefined otherwise.
Tensor inverse_transpose_if_invertible(const Tensor& A, const Tensor& det) {
  if (!all(det != 0).item<bool>()) return {};
  auto [inverse, info] = linalg::inv_ex(A);
  if (!all(info == 0).item<bool>()) return {};
  return mT(inverse);
}

// A^{-T} when every matrix of A is well conditioned (cond_1(A) < eps^(-1/4)); undefined
// otherwise. det(A) A^{-T} loses about cond(A) * eps of relative accuracy (both factors do), so
// past that the SVD form of the cofactor matrix is the accurate one. (The bound is strict so that
// a second derivative by finite differences, which divides these errors by its step, stays
// accurate near a singular A.)
Tensor inverse_transpose_if_well_conditioned(const Tensor& A) {
  auto [inverse, info] = linalg::inv_ex(A);
  if (!all(info == 0).item<bool>()) return {};
  const Tensor condition =
      linalg::matrix_norm(A.detach(), 1.0) * linalg::matrix_norm(inverse.detach(), 1.0);
  const double limit = std::pow(linalg_detail::epsilon(A.dtype()), -0.25);
  if (!all(condition < limit).item<bool>()) return {};
  return mT(inverse);
}

// g cofactor(A): g det(A) A^{-T} for well-conditioned A (differentiable again through the
// solve), else the SVD form, which is right at singular A, to every order where the singular
// values are distinct.
Tensor det_rule(const BackwardContext& c, const Tensor& A, const Tensor& det) {
  const Tensor& grad = c.grads[0];
  const Tensor inverse_transpose = inverse_transpose_if_well_conditioned(A);
  if (inverse_transpose.defined()) return inverse_transpose * as_matrix_factor(grad * det);
  return cofactor(A) * as_matrix_factor(grad);
}

// (sign, log|det A|): only the second is differentiable: g A^{-T}. For a singular A (sign 0) the
// gradient is infinite: cofactor(A) / det(A) gives ±inf (nan where the cofactor is 0), as
// PyTorch's LU solve does, instead of raising.
Tensor slogdet_rule(const BackwardContext& c, const Tensor& A, const Tensor& sign,
                    const Tensor& logabsdet) {
  const Tensor grad = as_matrix_factor(c.grads[1]);
  const Tensor inverse_transpose = inverse_transpose_if_invertible(A, sign);
  if (inverse_transpose.defined()) return inverse_transpose * grad;
  return cofactor(A) / as_matrix_factor(sign * exp(logabsdet)) * grad;
}

// X = A⁺ B (the minimum-norm solution), differentiated at constant rank (Golub and Pereyra's
// derivative of the pseudo-inverse), as PyTorch's goes through pinv: with R = B - A X,
// gA = -A⁺ᵀ gX Xᵀ + R (A⁺ A⁺ᵀ gX)ᵀ + A⁺ᵀ X ((I - A⁺ A) gX)ᵀ and gB = A⁺ᵀ gX.
TensorList lstsq_rule(const Lapack& primitive, const BackwardContext& c, const Tensor& A,
                      const Tensor& B, const Tensor& X) {
  TensorList grads(2);
  const Tensor& gX = c.grads[0];
  // A negative rcond asks LAPACK for its default, the dtype's epsilon: pinv's default is close.
  const std::optional<double> rtol =
      primitive.rcond() > 0 ? std::optional<double>(primitive.rcond()) : std::nullopt;
  const Tensor pinv = linalg::pinv(A, std::nullopt, rtol);
  const Tensor gB = matmul(mT(pinv), gX);
  if (c.needs_input_grad[0]) {
    const Tensor residual = B - matmul(A, X);
    const Tensor off_row_space = gX - matmul(pinv, matmul(A, gX));
    grads[0] = matmul(residual, mT(matmul(pinv, gB))) - matmul(gB, mT(X)) +
               matmul(matmul(mT(pinv), X), mT(off_row_space));
  }
  if (c.needs_input_grad[1]) grads[1] = gB;
  return grads;
}

// A = Q R, m >= n (reduced or square): gA = (gQ + Q copyltu(M)) R^{-T}, M = R gR^T - gQ^T Q
// (Walter & Lehmann, as in PyTorch's linalg_qr_backward).
Tensor qr_rule(const BackwardContext& c, const Tensor& Q, const Tensor& R) {
  const Tensor& gQ = c.grads[0];
  const Tensor& gR = c.grads[1];
  EMBER_CHECK(Q.size(-2) >= R.size(-1) && Q.size(-1) == R.size(-2),
              "[linalg_qr] The derivative of linalg.qr is not implemented when mode='complete' "
              "and nrows > ncols, or when nrows < ncols; got Q of shape ",
              Q.shape(), " and R of shape ", R.shape());
  const Tensor M = matmul(R, mT(gR)) - matmul(mT(gQ), Q);
  const Tensor lower = tril(M, -1);
  const Tensor copyltu = lower + mT(lower) + diag_embed(diagonal(M, 0, -2, -1));
  const Tensor b = gQ + matmul(Q, copyltu);
  return linalg::solve_triangular(mT(R), b, /*upper=*/false, /*left=*/false);
}

// A = V diag(L) V^T: gA = V (diag(gL) + skew(V^T gV) / E) V^T, E_ij = L_j - L_i
// (PyTorch's linalg_eig_backward, Hermitian case).
Tensor eigh_rule(const BackwardContext& c, const Tensor& L, const Tensor& V) {
  const Tensor& gL = c.grads[0];
  const Tensor& gV = c.grads[1];
  Tensor VtgV = matmul(mT(V), gV);
  VtgV = (VtgV - mT(VtgV)) * 0.5;
  const Tensor E = L.unsqueeze(-2) - L.unsqueeze(-1) + eye_like(V);
  const Tensor inner = VtgV / E * (1 - eye_like(V)) + diag_embed(gL);
  return matmul(V, matmul(inner, mT(V)));
}

// PyTorch's svd_backward (real case) for well-separated singular values; full_matrices is
// handled by narrowing U and Vh to their first k vectors, as PyTorch does.
Tensor svd_rule(const Lapack& primitive, const BackwardContext& c, Tensor U, const Tensor& S,
                Tensor Vh) {
  Tensor gU = c.grads[0], gS = c.grads[1], gVh = c.grads[2];
  const int64_t m = U.size(-2), n = Vh.size(-1), k = S.size(-1);
  if (primitive.complete()) {
    U = U.narrow(-1, 0, k);
    gU = gU.narrow(-1, 0, k);
    Vh = Vh.narrow(-2, 0, k);
    gVh = gVh.narrow(-2, 0, k);
  }
  const Tensor V = mT(Vh), gV = mT(gVh);
  const Tensor UtgU = matmul(mT(U), gU), VtgV = matmul(mT(V), gV);
  const Tensor skew_U = UtgU - mT(UtgU), skew_V = VtgV - mT(VtgV);
  const Tensor S2 = S * S;
  const Tensor E = S2.unsqueeze(-2) - S2.unsqueeze(-1) + eye_like(skew_U);
  Tensor gA = (skew_U * S.unsqueeze(-2) + S.unsqueeze(-1) * skew_V) / E * (1 - eye_like(skew_U));
  gA = gA + diag_embed(gS);
  if (m > n) {
    gA = matmul(U, gA);
    const Tensor gUSinv = gU / S.unsqueeze(-2);
    gA = gA + gUSinv - matmul(U, matmul(mT(U), gUSinv));
    return matmul(gA, Vh);
  }
  if (m < n) {
    gA = matmul(gA, Vh);
    const Tensor gVSinv = gV / S.unsqueeze(-2);
    gA = gA + mT(gVSinv) - matmul(matmul(mT(gVSinv), V), Vh);
    return matmul(U, gA);
  }
  return matmul(U, matmul(gA, Vh));
}

}  // namespace

bool lapack_is_differentiable(const Lapack& primitive) {
  return primitive.op() != LapackOp::Svdvals;
}

SaveMask lapack_saves(const Lapack& primitive) { return saves(primitive.op()); }

TensorList lapack_vjp(const Lapack& primitive, const BackwardContext& c) {
  switch (primitive.op()) {
    case LapackOp::Cholesky:
      return {cholesky_rule(c.grads[0], saved<LapackOp::Cholesky>(c).output<0>())};
    case LapackOp::Solve: {
      const auto values = saved<LapackOp::Solve>(c);
      return solve_rule(c, values.input<0>(), values.output<0>());
    }
    case LapackOp::SolveTriangular: {
      const auto values = saved<LapackOp::SolveTriangular>(c);
      return solve_triangular_rule(primitive, c, values.input<0>(), values.output<0>());
    }
    case LapackOp::Slogdet: {
      const auto values = saved<LapackOp::Slogdet>(c);
      return {slogdet_rule(c, values.input<0>(), values.output<0>(), values.output<1>())};
    }
    case LapackOp::Det: {
      const auto values = saved<LapackOp::Det>(c);
      return {det_rule(c, values.input<0>(), values.output<0>())};
    }
    case LapackOp::Qr: {
      const auto values = saved<LapackOp::Qr>(c);
      return {qr_rule(c, values.output<0>(), values.output<1>())};
    }
    case LapackOp::Eigh: {
      const auto values = saved<LapackOp::Eigh>(c);
      return {eigh_rule(c, values.output<0>(), values.output<1>())};
    }
    case LapackOp::Svd: {
      const auto values = saved<LapackOp::Svd>(c);
      return {svd_rule(primitive, c, values.output<0>(), values.output<1>(), values.output<2>())};
    }
    case LapackOp::Lstsq: {
      const auto values = saved<LapackOp::Lstsq>(c);
      return lstsq_rule(primitive, c, values.input<0>(), values.input<1>(), values.output<0>());
    }
    case LapackOp::Svdvals:
      break;
  }
  detail::raise<RuntimeError>("[", primitive.name(), "] is not differentiable");
}

}  // namespace ember::autograd
