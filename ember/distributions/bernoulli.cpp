#include "ember/distributions/bernoulli.h"

#include <cmath>
#include <limits>

#include "ember/base/error.h"
#include "ember/distributions/functional.h"
#include "ember/distributions/validation.h"
#include "ember/ops/math.h"
#include "ember/ops/ops.h"

namespace ember::distributions {
namespace {

// The one parameter given, checked; the other is derived from it.
const Tensor& only_parameter(const std::optional<Tensor>& probs,
                             const std::optional<Tensor>& logits, const char* distribution) {
  EMBER_CHECK_VALUE(probs.has_value() != logits.has_value(), "[", distribution,
                    "] expected either probs or logits to be given, but not both; received ",
                    probs.has_value() ? "both" : "neither");
  return probs ? *probs : *logits;
}

}  // namespace

Bernoulli::Bernoulli(const std::optional<Tensor>& probs, const std::optional<Tensor>& logits)
    : Distribution(only_parameter(probs, logits, "Bernoulli").shape(), {}) {
  if (probs) {
    check_parameter((*probs >= 0) & (*probs <= 1), "Bernoulli", "probs",
                    "Interval(lower_bound=0.0, upper_bound=1.0)");
    probs_ = *probs;
    logits_ = probs_to_logits(*probs, /*is_binary=*/true);
  } else {
    check_parameter(logical_not(isnan(*logits)), "Bernoulli", "logits", "Real()");
    logits_ = *logits;
    probs_ = logits_to_probs(*logits, /*is_binary=*/true);
  }
}

Tensor Bernoulli::sample(IntArrayRef sample_shape, std::optional<Generator> generator) const {
  return bernoulli_sample(probs_, extended_shape(sample_shape), std::move(generator));
}

Tensor Bernoulli::log_prob(const Tensor& value) const { return bernoulli_log_prob(logits_, value); }

Tensor Bernoulli::entropy() const { return bernoulli_entropy(logits_); }

Tensor Bernoulli::mode() const {
  const Tensor above = (probs_ >= 0.5).to(probs_.dtype());
  return masked_fill(above, probs_ == 0.5, std::numeric_limits<double>::quiet_NaN());
}

Tensor Bernoulli::variance() const { return probs_ * (1 - probs_); }

Tensor Bernoulli::enumerate_support(bool expand) const {
  Shape shape{2};
  for (size_t d = 0; d < batch_shape().size(); ++d) shape.push_back(1);
  Tensor values = arange(2, TensorOptions().dtype(probs_.dtype())).reshape(shape);
  if (!expand) return values;
  Shape expanded{2};
  for (const int64_t size : batch_shape()) expanded.push_back(size);
  return values.expand(expanded);
}

}  // namespace ember::distributions
