// Bernoulli(probs or logits): libtorch-style usage of the math in functional.h.
//   ember::distributions::Bernoulli coin(probs);              // or Bernoulli(std::nullopt, logits)
//   Tensor flips = coin.sample({10});                         // 0/1 in probs' dtype
#pragma once

#include <optional>

#include "ember/distributions/distribution.h"

namespace ember::distributions {

class Bernoulli : public Distribution {
 public:
  // Exactly one of probs (in [0, 1]) and logits (log-odds) is given (ValueError otherwise).
  explicit Bernoulli(const std::optional<Tensor>& probs,
                     const std::optional<Tensor>& logits = std::nullopt);

  const Tensor& probs() const { return probs_; }
  const Tensor& logits() const { return logits_; }

  Tensor sample(IntArrayRef sample_shape = {},
                std::optional<Generator> generator = std::nullopt) const override;
  Tensor log_prob(const Tensor& value) const override;
  Tensor entropy() const override;
  Tensor mean() const override { return probs_; }
  // 1 where probs > 0.5, 0 where below, NaN at exactly 0.5 (PyTorch's rule).
  Tensor mode() const override;
  Tensor variance() const override;
  // {0, 1} shaped (2, *batch_shape) (expand) or (2, 1, ..., 1).
  Tensor enumerate_support(bool expand = true) const;
  std::string name() const override { return "Bernoulli"; }

 private:
  Tensor probs_;
  Tensor logits_;
};

}  // namespace ember::distributions
