// Normal(loc, scale): libtorch-style usage of the math in functional.h.
//   ember::distributions::Normal dist(loc, scale);
//   Tensor x = dist.rsample({16});  // differentiable in loc and scale
//   Tensor lp = dist.log_prob(x);
#pragma once

#include "ember/distributions/distribution.h"

namespace ember::distributions {

class Normal : public Distribution {
 public:
  // loc and scale broadcast to the batch shape; scale must be positive (ValueError otherwise).
  Normal(const Tensor& loc, const Tensor& scale);

  const Tensor& loc() const { return loc_; }
  const Tensor& scale() const { return scale_; }

  Tensor sample(IntArrayRef sample_shape = {},
                std::optional<Generator> generator = std::nullopt) const override;
  bool has_rsample() const override { return true; }
  Tensor rsample(IntArrayRef sample_shape = {},
                 std::optional<Generator> generator = std::nullopt) const override;
  Tensor log_prob(const Tensor& value) const override;
  Tensor entropy() const override;
  Tensor cdf(const Tensor& value) const;
  Tensor icdf(const Tensor& probability) const;
  Tensor mean() const override { return loc_; }
  Tensor mode() const override { return loc_; }
  Tensor variance() const override;
  std::string name() const override { return "Normal"; }

 private:
  Tensor loc_;
  Tensor scale_;
};

}  // namespace ember::distributions
