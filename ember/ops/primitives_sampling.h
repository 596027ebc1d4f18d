// Primitives of the parameterised samplers (see primitives.h for the contract): the standard
// gamma variate, its implicit reparameterisation gradient, and the binomial variate. Like
// RandomFill they hold the Philox position their draws come from, so a recorded node replays
// nothing: the kernels run once, in forward.
#pragma once

#include "ember/base/philox.h"
#include "ember/ops/primitive.h"

namespace ember {

// inputs: alpha (contiguous float64, finite > 0); outputs: alpha's shape, float64 samples of
// Gamma(alpha, 1). Differentiable w.r.t. alpha through StandardGammaGrad.
class StandardGamma final : public Primitive {
 public:
  EMBER_PRIMITIVE(StandardGamma, StandardGamma)
  explicit StandardGamma(PhiloxState state) : state_(state) {}
  PhiloxState state() const { return state_; }
  std::string_view name() const override { return "_standard_gamma"; }
  void eval_cpu(TensorSpan inputs, TensorSpan outputs) const override;

 private:
  PhiloxState state_;
};

// inputs: alpha, x (contiguous float64, same shape); outputs: d x / d alpha at fixed CDF value.
class StandardGammaGrad final : public Primitive {
 public:
  EMBER_PRIMITIVE(StandardGammaGrad, StandardGammaGrad)
  std::string_view name() const override { return "_standard_gamma_grad"; }
  void eval_cpu(TensorSpan inputs, TensorSpan outputs) const override;
};

// inputs: count (integral >= 0), prob (in [0, 1]), both contiguous float64 of the output's
// shape; outputs: float64 samples of Binomial(count, prob).
class Binomial final : public Primitive {
 public:
  EMBER_PRIMITIVE(Binomial, Binomial)
  explicit Binomial(PhiloxState state) : state_(state) {}
  PhiloxState state() const { return state_; }
  std::string_view name() const override { return "binomial"; }
  void eval_cpu(TensorSpan inputs, TensorSpan outputs) const override;

 private:
  PhiloxState state_;
};

}  // namespace ember
