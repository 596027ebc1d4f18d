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

}  // namespace ember
