// Primitives of the linear-algebra family (see primitives.h for the contract).
#pragma once

#include <algorithm>
#include <optional>

#include "ember/ops/primitive.h"

namespace ember {

// How a GEMM reads the last two dims of `t` in place: row-major (unit column stride) or, as a
// transpose, column-major (unit row stride), with the leading dimension; nullopt when neither
// fits and the operand must be copied. A dim of size 1 is never stepped over, so its stride
// does not matter (a contiguous() tensor may keep any stride there).
struct GemmLayout {
  bool transposed;
  int64_t leading;
};
inline std::optional<GemmLayout> gemm_layout(const Tensor& t) {
  const int64_t rows = t.size(-2), columns = t.size(-1);
  const int64_t row_stride = t.stride(-2), column_stride = t.stride(-1);
  const int64_t min_rows = std::max<int64_t>(rows, 1), min_columns = std::max<int64_t>(columns, 1);
  if ((columns <= 1 || column_stride == 1) && (rows <= 1 || row_stride >= min_columns)) {
    return GemmLayout{false, rows <= 1 ? min_columns : row_stride};
  }
  if ((rows <= 1 || row_stride == 1) && (columns <= 1 || column_stride >= min_rows)) {
    return GemmLayout{true, columns <= 1 ? min_rows : column_stride};
  }
  return std::nullopt;
}

// inputs: a (batch..., M, K), b (batch..., K, N) with equal batch shapes (possibly expanded,
// stride 0); outputs: c (batch..., M, N), contiguous. c = alpha * a @ b + beta * c, so c must
// hold the addend when beta != 0. Each matrix of a and b has a gemm_layout (ops/linalg.cpp
// copies other layouts first), which the GEMM reads as a transpose flag.
class Matmul final : public Primitive {
 public:
  EMBER_PRIMITIVE(Matmul, Matmul)
  // op: the user-facing op ("mm", "bmm", "addmm", ...), which autograd names the node after.
  Matmul(std::string_view op, double alpha, double beta) : op_(op), alpha_(alpha), beta_(beta) {}
  double alpha() const { return alpha_; }
  double beta() const { return beta_; }
  std::string_view name() const override { return op_; }
  void eval_cpu(TensorSpan inputs, TensorSpan outputs) const override;

 private:
  std::string_view op_;
  double alpha_, beta_;
};

// The LAPACK-backed factorizations and solvers of ember::linalg (ops/linalg_lapack.cpp), one
// primitive whose `op` picks the routine, as Unary's UnaryOp does. Inputs may have any strides
// (the kernel copies each matrix into LAPACK's column-major workspace, which it must do anyway
// since LAPACK overwrites its operands); matrix outputs are COLUMN-MAJOR (each matrix's strides
// (1, rows), batch dims contiguous and outermost: linalg_detail::empty_column_major), the
// layout LAPACK writes. Inputs of one call share their batch shape (expanded, stride 0 allowed).
// float32 and float64 only. Inputs/outputs:
//   Cholesky        A (b, n, n) -> L (lower, zeros above), info (b) int32
//   Solve           A (b, n, n), B (b, n, k) -> X, info (b) int32
//   Slogdet         A (b, n, n) -> sign (b), logabsdet (b)
//   SolveTriangular A (b, n, n), B (b, n, k) -> X   (upper, unitriangular; left side only)
//   Qr              A (b, m, n) -> Q (b, m, m or k), R (b, m or k, n)   (complete, k = min(m, n))
//   Eigh            A (b, n, n) -> eigenvalues (b, n) ascending, eigenvectors (b, n, n)
//                   (reads the triangle `upper` names)
//   Svd             A (b, m, n) -> U (b, m, m or k), S (b, k), Vh (b, n or k, n)
//                   (complete = full_matrices)
//   Svdvals         A (b, m, n) -> S (b, k)
//   Det             A (b, n, n) -> det (b)   (its own op: its gradient, the cofactor matrix,
//                   is finite where slogdet's is not)
//   Lstsq           A (b, m, n), B (b, m, k) -> X (b, n, k), rank (b) int64 (0 for gels),
//                   S (b, min(m, n) for gelsd and gelss, else 0), info (b) int32
//                   (driver, rcond); non-finite A or B give NaN X and S without calling LAPACK
enum class LapackOp : uint8_t {
  Cholesky,
  Solve,
  Slogdet,
  SolveTriangular,
  Qr,
  Eigh,
  Svd,
  Svdvals,
  Det,
  Lstsq,
};

// torch.linalg.lstsq's LAPACK drivers.
enum class LstsqDriver : uint8_t { Gels, Gelsy, Gelsd, Gelss };

class Lapack final : public Primitive {
 public:
  EMBER_PRIMITIVE(Lapack, Lapack)
  // op_name: the user-facing op ("linalg_cholesky_ex", ...), which autograd names the node after.
  Lapack(std::string_view op_name, LapackOp op, bool upper = false, bool unitriangular = false,
         bool complete = false)
      : op_name_(op_name),
        op_(op),
        upper_(upper),
        unitriangular_(unitriangular),
        complete_(complete) {}
  // Lstsq; rcond: singular values below rcond * the largest count as zero (not for gels).
  Lapack(std::string_view op_name, LstsqDriver driver, double rcond)
      : op_name_(op_name),
        op_(LapackOp::Lstsq),
        upper_(false),
        unitriangular_(false),
        complete_(false),
        driver_(driver),
        rcond_(rcond) {}
  LapackOp op() const { return op_; }
  bool upper() const { return upper_; }
  bool unitriangular() const { return unitriangular_; }
  bool complete() const { return complete_; }
  LstsqDriver driver() const { return driver_; }
  double rcond() const { return rcond_; }
  std::string_view name() const override { return op_name_; }
  void eval_cpu(TensorSpan inputs, TensorSpan outputs) const override;

 private:
  std::string_view op_name_;
  LapackOp op_;
  bool upper_, unitriangular_, complete_;
  LstsqDriver driver_ = LstsqDriver::Gelsy;
  double rcond_ = 0;
};

}  // namespace ember
