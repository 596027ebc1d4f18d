// Primitives of the shape family (see primitives.h for the contract). Cat is the one op of the
// family with a kernel: every other joining, splitting or rearranging op is a view or a
// composite of views, cat, index_select and where (ops/shape*.cpp).
#pragma once

#include <cstdint>

#include "ember/ops/primitive.h"

namespace ember {

// inputs: n >= 1 tensors of the output's dtype, equal in every dim but `dim` (any strides);
// outputs: the contiguous result, the inputs one after another along `dim`.
class Cat final : public Primitive {
 public:
  EMBER_PRIMITIVE(Cat, Cat)
  explicit Cat(int64_t dim) : dim_(dim) {}
  std::string_view name() const override { return "cat"; }
  int64_t dim() const { return dim_; }
  void eval_cpu(TensorSpan inputs, TensorSpan outputs) const override;

 private:
  int64_t dim_;
};

}  // namespace ember
