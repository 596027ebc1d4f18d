#include "ember/distributions/normal.h"

#include <vector>

#include "ember/autograd/grad_mode.h"
#include "ember/distributions/functional.h"
#include "ember/distributions/validation.h"
#include "ember/ops/ops.h"
#include "ember/ops/shape.h"

namespace ember::distributions {
namespace {

std::vector<Tensor> broadcast_parameters(const Tensor& loc, const Tensor& scale) {
  return broadcast_tensors({loc, scale});
}

}  // namespace

Normal::Normal(const Tensor& loc, const Tensor& scale)
    : Distribution(broadcast_parameters(loc, scale)[0].shape(), {}) {
  const std::vector<Tensor> both = broadcast_parameters(loc, scale);
  loc_ = both[0];
  scale_ = both[1];
  check_parameter(scale_ > 0, "Normal", "scale", "GreaterThan(lower_bound=0.0)");
}

Tensor Normal::sample(IntArrayRef sample_shape, std::optional<Generator> generator) const {
  NoGradGuard no_grad;
  return rsample(sample_shape, std::move(generator));
}

Tensor Normal::rsample(IntArrayRef sample_shape, std::optional<Generator> generator) const {
  return normal_rsample(loc_, scale_, extended_shape(sample_shape), std::move(generator));
}

Tensor Normal::log_prob(const Tensor& value) const { return normal_log_prob(loc_, scale_, value); }

Tensor Normal::entropy() const { return normal_entropy(scale_); }

Tensor Normal::cdf(const Tensor& value) const { return normal_cdf(loc_, scale_, value); }

Tensor Normal::icdf(const Tensor& probability) const {
  return normal_icdf(loc_, scale_, probability);
}

Tensor Normal::variance() const { return square(scale_); }

}  // namespace ember::distributions
