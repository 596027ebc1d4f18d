#include "ember/distributions/categorical.h"

#include <limits>

#include "ember/base/error.h"
#include "ember/distributions/functional.h"
#include "ember/distributions/validation.h"
#include "ember/ops/math.h"
#include "ember/ops/ops.h"

namespace ember::distributions {
namespace {

// The batch shape: the parameter's shape without its category dim (checked to exist).
Shape batch_of(const std::optional<Tensor>& probs, const std::optional<Tensor>& logits) {
  EMBER_CHECK_VALUE(probs.has_value() != logits.has_value(),
                    "[Categorical] expected either probs or logits to be given, but not both; "
                    "received ",
                    probs.has_value() ? "both" : "neither");
  const Tensor& parameter = probs ? *probs : *logits;
  EMBER_CHECK_VALUE(parameter.dim() >= 1,
                    "[Categorical] expected probs or logits with at least one dim (the "
                    "categories); received shape ",
                    shape_str(parameter.shape()));
  Shape batch = parameter.shape();
  batch.pop_back();
  return batch;
}

}  // namespace

Categorical::Categorical(const std::optional<Tensor>& probs, const std::optional<Tensor>& logits)
    : Distribution(batch_of(probs, logits), {}) {
  if (probs) {
    check_parameter(*probs >= 0, "Categorical", "probs", "Simplex()");
    probs_ = *probs / sum(*probs, {-1}, /*keepdim=*/true);
    logits_ = probs_to_logits(probs_);
  } else {
    check_parameter(logical_not(isnan(*logits)), "Categorical", "logits",
                    "IndependentConstraint(Real(), 1)");
    logits_ = categorical_normalize_logits(*logits);
    probs_ = logits_to_probs(logits_);
  }
}

Tensor Categorical::sample(IntArrayRef sample_shape, std::optional<Generator> generator) const {
  return categorical_sample(probs_, sample_shape, std::move(generator));
}

Tensor Categorical::log_prob(const Tensor& value) const {
  return categorical_log_prob(logits_, value);
}

Tensor Categorical::entropy() const { return categorical_entropy(logits_, probs_); }

Tensor Categorical::mean() const {
  return full(batch_shape(), std::numeric_limits<double>::quiet_NaN(),
              TensorOptions().dtype(probs_.dtype()));
}

Tensor Categorical::mode() const { return argmax(probs_, -1); }

Tensor Categorical::variance() const { return mean(); }

Tensor Categorical::enumerate_support(bool expand) const {
  Shape shape{num_events()};
  for (size_t d = 0; d < batch_shape().size(); ++d) shape.push_back(1);
  Tensor values = arange(num_events(), TensorOptions().dtype(kInt64)).reshape(shape);
  if (!expand) return values;
  Shape expanded{num_events()};
  for (const int64_t size : batch_shape()) expanded.push_back(size);
  return values.expand(expanded);
}

}  // namespace ember::distributions
