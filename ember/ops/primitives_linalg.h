// Primitives of the linear-algebra family (see primitives.h for the contract).
#pragma once

#include "ember/ops/primitive.h"

namespace ember {

// inputs: a (batch..., M, K), b (batch..., K, N) with equal batch shapes (possibly expanded,
// stride 0); outputs: c (batch..., M, N), contiguous. c = alpha * a @ b + beta * c, so c must
// hold the addend when beta != 0. Each matrix of a and b has a unit stride in one of its two
// dims (ops/linalg.cpp copies other layouts first), which the GEMM reads as a transpose flag.
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
