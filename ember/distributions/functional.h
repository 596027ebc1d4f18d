// The math of the Categorical, Normal and Bernoulli distributions as free functions over ember
// ops: the C++ classes (normal.h, bernoulli.h, categorical.h) and Python's ember.distributions
// (through ember._C._distributions) both call these, so each formula exists once. Gradients
// flow through the ops (log_prob, entropy, cdf, icdf, rsample); sample records no graph.
#pragma once

#include <optional>

#include "ember/tensor/generator.h"
#include "ember/tensor/tensor.h"

namespace ember::distributions {

// ------------------------------------------------------------------------ shared conversions
// probs clamped into [eps, 1 - eps] of their dtype, so that their logits are finite.
Tensor clamp_probs(const Tensor& probs);
// Binary: log-odds log(p) - log1p(-p); categorical: log(p) (unnormalised logits), over the last
// dim. probs are clamped first.
Tensor probs_to_logits(const Tensor& probs, bool is_binary = false);
// Binary: sigmoid(logits); categorical: softmax over the last dim.
Tensor logits_to_probs(const Tensor& logits, bool is_binary = false);

// ------------------------------------------------------------------------------ Normal(loc, scale)
Tensor normal_log_prob(const Tensor& loc, const Tensor& scale, const Tensor& value);
Tensor normal_entropy(const Tensor& scale);
Tensor normal_cdf(const Tensor& loc, const Tensor& scale, const Tensor& value);
Tensor normal_icdf(const Tensor& loc, const Tensor& scale, const Tensor& probability);
// loc + scale * eps with eps ~ N(0, 1) of `shape` (sample shape + batch shape): differentiable
// in loc and scale (the reparameterisation trick).
Tensor normal_rsample(const Tensor& loc, const Tensor& scale, IntArrayRef shape,
                      std::optional<Generator> generator = std::nullopt);

// ----------------------------------------------------------------------- Bernoulli(logits)
// log p(value) = -binary_cross_entropy_with_logits(logits, value), broadcast.
Tensor bernoulli_log_prob(const Tensor& logits, const Tensor& value);
Tensor bernoulli_entropy(const Tensor& logits);
// 0/1 draws in probs' dtype, probs expanded to `shape`.
Tensor bernoulli_sample(const Tensor& probs, IntArrayRef shape,
                        std::optional<Generator> generator = std::nullopt);

// ------------------------------------------------------- Categorical over the last dim
// Normalised log-probabilities: logits - logsumexp(logits, -1).
Tensor categorical_normalize_logits(const Tensor& logits);
// log p(value) for int64-valued `value` broadcast against the batch shape of `logits`
// (normalised, categories on the last dim).
Tensor categorical_log_prob(const Tensor& logits, const Tensor& value);
// -sum(p log p) over the last dim (normalised logits and their probs).
Tensor categorical_entropy(const Tensor& logits, const Tensor& probs);
// int64 category indices of shape sample_shape + probs.shape[:-1].
Tensor categorical_sample(const Tensor& probs, IntArrayRef sample_shape,
                          std::optional<Generator> generator = std::nullopt);

}  // namespace ember::distributions
