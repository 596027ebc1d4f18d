// Primitives of the nn families (see primitives.h for the contract): the fused softmax and
// log_softmax along a dim. The activations, dropout and distances are composites in
// ops/nn_*.cpp; each fused primitive keeps its composite as the reference of its tests.
#pragma once

#include <cstdint>

#include "ember/ops/primitive.h"

namespace ember {

// inputs: x (contiguous, floating, the output's dtype); outputs: x's shape and dtype: along
// `dim`, exp(x - max) / sum(exp(x - max)), or for log_softmax x - max - log(sum(exp(x - max))).
// float16/bfloat16 compute in float32.
class Softmax final : public Primitive {
 public:
  EMBER_PRIMITIVE(Softmax, Softmax)
  Softmax(int64_t dim, bool log) : dim_(dim), log_(log) {}
  int64_t dim() const { return dim_; }
  bool log() const { return log_; }
  std::string_view name() const override { return log_ ? "log_softmax" : "softmax"; }
  void eval_cpu(TensorSpan inputs, TensorSpan outputs) const override;

 private:
  int64_t dim_;
  bool log_;
};

}  // namespace ember
