#include "ember/distributions/functional.h"

#include <cmath>
#include <numbers>
#include <vector>

#include "ember/autograd/grad_mode.h"
#include "ember/base/error.h"
#include "ember/ops/nn_activation.h"
#include "ember/ops/nn_loss.h"
#include "ember/ops/ops.h"
#include "ember/ops/random.h"
#include "ember/ops/scatter.h"
#include "ember/ops/shape.h"
#include "ember/ops/util.h"

namespace ember::distributions {
namespace {

// Integer and bool probabilities compute in the default float dtype, as PyTorch's do.
Tensor as_floating(const Tensor& x) {
  return is_floating_point(x.dtype()) ? x : x.to(get_default_dtype());
}

void check_has_categories(const Tensor& parameter, const char* op) {
  EMBER_CHECK_VALUE(parameter.dim() >= 1, "[", op,
                    "] expected probs or logits with at least one dim (the categories); received "
                    "shape ",
                    shape_str(parameter.shape()));
}

}  // namespace

Tensor clamp_probs(const Tensor& probs) {
  const Tensor p = as_floating(probs);
  const double eps = finfo(p.dtype()).eps;
  return clamp(p, eps, 1.0 - eps);
}

Tensor probs_to_logits(const Tensor& probs, bool is_binary) {
  const Tensor clamped = clamp_probs(probs);
  return is_binary ? log(clamped) - log1p(-clamped) : log(clamped);
}

Tensor logits_to_probs(const Tensor& logits, bool is_binary) {
  return is_binary ? sigmoid(as_floating(logits)) : softmax(as_floating(logits), -1);
}

Tensor normal_log_prob(const Tensor& loc, const Tensor& scale, const Tensor& value) {
  const double log_sqrt_two_pi = 0.5 * std::log(2 * std::numbers::pi);
  return -square(value - loc) / (2 * square(scale)) - log(scale) - log_sqrt_two_pi;
}

Tensor normal_entropy(const Tensor& scale) {
  return 0.5 + 0.5 * std::log(2 * std::numbers::pi) + log(scale);
}

Tensor normal_cdf(const Tensor& loc, const Tensor& scale, const Tensor& value) {
  return 0.5 * (1 + erf((value - loc) * reciprocal(scale) / std::numbers::sqrt2));
}

Tensor normal_icdf(const Tensor& loc, const Tensor& scale, const Tensor& probability) {
  return loc + scale * erfinv(2 * probability - 1) * std::numbers::sqrt2;
}

Tensor normal_rsample(const Tensor& loc, const Tensor& scale, IntArrayRef shape,
                      std::optional<Generator> generator) {
  const Tensor eps = randn(shape, std::move(generator), TensorOptions().dtype(loc.dtype()));
  return loc + eps * scale;
}

Tensor bernoulli_log_prob(const Tensor& logits, const Tensor& value) {
  const std::vector<Tensor> both = broadcast_tensors({as_floating(logits), value});
  return -binary_cross_entropy_with_logits(both[0], both[1].to(both[0].dtype()), std::nullopt,
                                           std::nullopt, Reduction::None);
}

Tensor bernoulli_entropy(const Tensor& logits) {
  const Tensor floating = as_floating(logits);
  return binary_cross_entropy_with_logits(floating, sigmoid(floating), std::nullopt, std::nullopt,
                                          Reduction::None);
}

Tensor bernoulli_sample(const Tensor& probs, IntArrayRef shape,
                        std::optional<Generator> generator) {
  NoGradGuard no_grad;
  return bernoulli(as_floating(probs).expand(shape), std::move(generator));
}

Tensor categorical_normalize_logits(const Tensor& logits) {
  check_has_categories(logits, "Categorical");
  const Tensor floating = as_floating(logits);
  return floating - floating.logsumexp(-1, /*keepdim=*/true);
}

Tensor categorical_log_prob(const Tensor& logits, const Tensor& value) {
  check_has_categories(logits, "Categorical.log_prob");
  // value and the batch of logits broadcast; the category axis is then gathered at value.
  const std::vector<Tensor> both = broadcast_tensors({value.to(kInt64).unsqueeze(-1), logits});
  const Tensor index = narrow(both[0], -1, 0, 1);
  return gather(both[1], -1, index).squeeze(-1);
}

Tensor categorical_entropy(const Tensor& logits, const Tensor& probs) {
  // -inf logits (zero probabilities) contribute 0 * finite instead of 0 * -inf = NaN.
  const Tensor finite_logits = clamp(logits, finfo(logits.dtype()).min, std::nullopt);
  return -sum(finite_logits * probs, {-1});
}

Tensor categorical_sample(const Tensor& probs, IntArrayRef sample_shape,
                          std::optional<Generator> generator) {
  check_has_categories(probs, "Categorical.sample");
  NoGradGuard no_grad;
  const int64_t categories = probs.size(-1);
  const Tensor rows = as_floating(probs).reshape({-1, categories});
  int64_t draws = 1;
  for (const int64_t size : sample_shape) draws *= size;
  Shape out_shape(sample_shape.begin(), sample_shape.end());
  const Shape& batch = probs.shape();
  for (size_t d = 0; d + 1 < batch.size(); ++d) out_shape.push_back(batch[d]);
  if (draws == 0 || rows.size(0) == 0) return empty(out_shape, kInt64);
  const Tensor samples = multinomial(rows, draws, /*replacement=*/true, std::move(generator));
  return samples.t().reshape(out_shape);
}

}  // namespace ember::distributions
