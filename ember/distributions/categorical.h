// Categorical(probs or logits) over the last dim: libtorch-style usage of functional.h's math.
//   ember::distributions::Categorical dist(probs);            // or Categorical(std::nullopt,
//   logits) Tensor actions = dist.sample();                           // int64, shape batch_shape
//   Tensor lp = dist.log_prob(actions);
#pragma once

#include <optional>

#include "ember/distributions/distribution.h"

namespace ember::distributions {

class Categorical : public Distribution {
 public:
  // Exactly one of probs (non-negative weights, normalised here) and logits (unnormalised log
  // weights) is given, each with the categories on the last dim (ValueError otherwise).
  explicit Categorical(const std::optional<Tensor>& probs,
                       const std::optional<Tensor>& logits = std::nullopt);

  // Normalised: probs sum to 1 and logits are log(probs) (up to their clamp).
  const Tensor& probs() const { return probs_; }
  const Tensor& logits() const { return logits_; }
  int64_t num_events() const { return probs_.size(-1); }

  Tensor sample(IntArrayRef sample_shape = {},
                std::optional<Generator> generator = std::nullopt) const override;
  Tensor log_prob(const Tensor& value) const override;
  Tensor entropy() const override;
  // PyTorch leaves the mean and variance of a Categorical undefined: NaN of batch_shape.
  Tensor mean() const override;
  Tensor mode() const override;
  Tensor variance() const override;
  // 0..num_events-1 shaped (num_events, *batch_shape) (expand) or (num_events, 1, ..., 1).
  Tensor enumerate_support(bool expand = true) const;
  std::string name() const override { return "Categorical"; }

 private:
  Tensor probs_;
  Tensor logits_;
};

}  // namespace ember::distributions
