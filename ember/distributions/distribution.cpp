#include "ember/distributions/distribution.h"

#include "ember/base/error.h"
#include "ember/ops/ops.h"

namespace ember::distributions {

Shape Distribution::extended_shape(IntArrayRef sample_shape) const {
  Shape shape(sample_shape.begin(), sample_shape.end());
  for (const int64_t size : batch_shape_) shape.push_back(size);
  for (const int64_t size : event_shape_) shape.push_back(size);
  return shape;
}

Tensor Distribution::rsample(IntArrayRef /*sample_shape*/,
                             std::optional<Generator> /*generator*/) const {
  EMBER_CHECK_TYPED(false, ::ember::NotImplementedError, "[", name(),
                    ".rsample] this distribution has no reparameterised sampler; use sample()");
  return {};
}

Tensor Distribution::stddev() const { return sqrt(variance()); }

}  // namespace ember::distributions
