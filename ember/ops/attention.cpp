// scaled_dot_product_attention (attention.h): argument checks shared by both paths, the math
// composite, and the fused kernel's call (Note [fused attention]).
#include "ember/ops/attention.h"

#include <cmath>
#include <limits>
#include <vector>

#include "ember/base/error.h"
#include "ember/ops/attention_internal.h"
#include "ember/ops/autocast.h"
#include "ember/ops/dispatch.h"
#include "ember/ops/math.h"
#include "ember/ops/nn_activation.h"
#include "ember/ops/nn_dropout.h"
#include "ember/ops/ops.h"
#include "ember/ops/primitives_attention.h"
#include "ember/ops/shape.h"
#include "ember/tensor/generator.h"

namespace ember {
namespace detail {

void check_attention_arguments(const Tensor& query, const Tensor& key, const Tensor& value,
                               const Tensor& attn_mask, double dropout_p, bool is_causal,
                               bool enable_gqa) {
  constexpr std::string_view op = "scaled_dot_product_attention";
  EMBER_CHECK(query.defined() && key.defined() && value.defined(), "[", op,
              "] expected defined query, key and value");
  EMBER_CHECK(query.dim() >= 2 && key.dim() >= 2 && value.dim() >= 2, "[", op,
              "] expected query (..., L, E), key (..., S, E) and value (..., S, Ev) of at least "
              "2 dims; got shapes ",
              query.shape(), ", ", key.shape(), " and ", value.shape());
  EMBER_CHECK(is_floating_point(query.dtype()), "[", op,
              "] expected a floating-point query; got dtype ", query.dtype());
  EMBER_CHECK(key.dtype() == query.dtype() && value.dtype() == query.dtype(), "[", op,
              "] expected query, key and value of one dtype; got ", query.dtype(), ", ",
              key.dtype(), " and ", value.dtype());
  EMBER_CHECK(query.size(-1) == key.size(-1), "[", op,
              "] expected query (..., L, E) and key (..., S, E) with the same E; got shapes ",
              query.shape(), " and ", key.shape());
  EMBER_CHECK(key.size(-2) == value.size(-2), "[", op,
              "] expected key (..., S, E) and value (..., S, Ev) with the same S; got shapes ",
              key.shape(), " and ", value.shape());
  EMBER_CHECK(dropout_p >= 0.0 && dropout_p <= 1.0, "[", op, "] expected dropout_p in [0, 1]; got ",
              dropout_p);
  if (enable_gqa) {
    EMBER_CHECK(query.dim() >= 3 && key.dim() >= 3 && value.dim() >= 3, "[", op,
                "] enable_gqa expects query, key and value with a head dim (-3); got shapes ",
                query.shape(), ", ", key.shape(), " and ", value.shape());
    EMBER_CHECK(
        key.size(-3) == value.size(-3) && key.size(-3) > 0 && query.size(-3) % key.size(-3) == 0,
        "[", op,
        "] enable_gqa expects key and value with the same number of heads, dividing "
        "query's; got shapes ",
        query.shape(), ", ", key.shape(), " and ", value.shape());
  }
  const Shape scores = attention_scores_shape(query, key, value, enable_gqa);
  if (!attn_mask.defined()) return;
  EMBER_CHECK(!is_causal, "[", op,
              "] expected either attn_mask or is_causal=True; got both (attn_mask of shape ",
              attn_mask.shape(), ")");
  EMBER_CHECK(attn_mask.dtype() == kBool || attn_mask.dtype() == query.dtype(), "[", op,
              "] expected a bool attn_mask or one of query's dtype ", query.dtype(), "; got ",
              attn_mask.dtype());
  bool broadcasts = attn_mask.dim() <= static_cast<int64_t>(scores.size());
  for (int64_t d = 1; broadcasts && d <= attn_mask.dim(); ++d) {
    const int64_t size = attn_mask.size(-d);
    broadcasts = size == 1 || size == scores[scores.size() - d];
  }
  EMBER_CHECK(broadcasts, "[", op, "] expected attn_mask broadcastable to the scores' shape ",
              scores, " (query ", query.shape(), ", key ", key.shape(),
              "); got attn_mask of shape ", attn_mask.shape());
}

Shape attention_scores_shape(const Tensor& query, const Tensor& key, const Tensor& value,
                             bool enable_gqa) {
  constexpr std::string_view op = "scaled_dot_product_attention";
  // A tensor's batch dims, with query's number of heads for key and value under enable_gqa.
  auto batch_of = [&](const Tensor& t) {
    Shape batch(t.shape().begin(), t.shape().end() - 2);
    if (enable_gqa) batch.back() = query.size(-3);
    return batch;
  };
  Shape scores =
      broadcast_shapes(broadcast_shapes(batch_of(query), batch_of(key), op), batch_of(value), op);
  scores.push_back(query.size(-2));
  scores.push_back(key.size(-2));
  return scores;
}

double attention_scale(const Tensor& query, std::optional<double> scale) {
  return scale ? *scale : 1.0 / std::sqrt(static_cast<double>(query.size(-1)));
}

// Key and value with query's number of heads: each of their heads repeated for its group.
std::tuple<Tensor, Tensor> expand_gqa_heads(const Tensor& query, const Tensor& key,
                                            const Tensor& value, bool enable_gqa) {
  if (!enable_gqa || query.size(-3) == key.size(-3)) return {key, value};
  const int64_t group = query.size(-3) / key.size(-3);
  return {repeat_interleave(key, group, -3), repeat_interleave(value, group, -3)};
}

Tensor attention_weights(const Tensor& query, const Tensor& key, const Tensor& attn_mask,
                         bool is_causal, double scale) {
  Tensor scores = matmul(query, key.transpose(-2, -1)) * scale;
  if (is_causal) {
    const Tensor keep =
        tril(ones({query.size(-2), key.size(-2)}, TensorOptions(kBool).device(query.device())));
    scores = masked_fill(scores, logical_not(keep), -std::numeric_limits<double>::infinity());
  } else if (attn_mask.defined() && attn_mask.dtype() == kBool) {
    scores = masked_fill(scores, logical_not(attn_mask), -std::numeric_limits<double>::infinity());
  } else if (attn_mask.defined()) {
    scores = scores + attn_mask;
  }
  // A row of -inf scores only: softmax would give NaN (0/0); such rows give zero weights instead
  // (PyTorch's _safe_softmax), and masking their scores to 0 first keeps NaN out of the gradient.
  const Tensor all_masked = all(isneginf(scores), -1, /*keepdim=*/true);
  return masked_fill(softmax(masked_fill(scores, all_masked, 0.0), -1), all_masked, 0.0);
}

}  // namespace detail

namespace {

// Whether the fused kernel computes this call (Note [fused attention]): float32 or float64,
// dropout_p below 1 (1 drops everything: the composite's zeros), a mask that needs no gradient,
// and at least one score.
bool fused_applies(const Tensor& query, const Tensor& key, const Tensor& value,
                   const Tensor& attn_mask, double dropout_p) {
  const ScalarType dtype = query.dtype();
  return (dtype == kFloat32 || dtype == kFloat64) && dropout_p < 1.0 &&
         !(attn_mask.defined() && attn_mask.requires_grad()) && query.numel() > 0 &&
         key.numel() > 0 && value.numel() > 0;
}

Tensor fused_attention(const Tensor& query, const Tensor& key_arg, const Tensor& value_arg,
                       const Tensor& attn_mask, double dropout_p, bool is_causal, double scale,
                       bool enable_gqa) {
  const auto [key, value] = detail::expand_gqa_heads(query, key_arg, value_arg, enable_gqa);
  const Shape scores = detail::attention_scores_shape(query, key, value, false);
  const Shape batch(scores.begin(), scores.end() - 2);
  const int64_t problems = numel_of(batch);
  // Each input as (problems, rows, cols), contiguous: broadcast batch dims are copied (O(L)).
  auto flat = [&](const Tensor& t) {
    Shape expanded = batch;
    expanded.push_back(t.size(-2));
    expanded.push_back(t.size(-1));
    return t.expand(expanded).reshape({problems, t.size(-2), t.size(-1)}).contiguous();
  };
  const Tensor q = flat(query), k = flat(key), v = flat(value);
  const TensorOptions options = TensorOptions(query.dtype()).device(query.device());
  Tensor out = empty({problems, q.size(1), v.size(2)}, options);
  Tensor lse = empty({problems, q.size(1)}, options);
  std::vector<Tensor> inputs{q, k, v};
  if (attn_mask.defined()) inputs.push_back(attn_mask.expand(scores));
  const Tensor outputs[] = {out, lse};
  // One generator fill of the (B, L, S) weights, as the composite's dropout takes: the same seed
  // gives both paths the same mask. A CUDA call draws from its device's generator.
  const Generator& generator = query.device().is_cuda()
                                   ? cuda::detail::getDefaultCUDAGenerator(query.device().index())
                                   : detail::getDefaultCPUGenerator();
  const PhiloxState dropout_state =
      dropout_p > 0.0 ? generator.take(numel_of(scores)) : PhiloxState{0, 0};
  run(ScaledDotProductAttention(scale, is_causal, attn_mask.defined(), dropout_p, dropout_state),
      TensorSpan(inputs), TensorSpan(outputs));
  Shape result = batch;
  result.push_back(query.size(-2));
  result.push_back(value.size(-1));
  return out.reshape(result);
}

}  // namespace

std::tuple<Tensor, Tensor> _scaled_dot_product_attention_math(
    const Tensor& query, const Tensor& key, const Tensor& value, const Tensor& attn_mask,
    double dropout_p, bool is_causal, std::optional<double> scale, bool enable_gqa) {
  detail::check_attention_arguments(query, key, value, attn_mask, dropout_p, is_causal, enable_gqa);
  const auto [k, v] = detail::expand_gqa_heads(query, key, value, enable_gqa);
  Tensor weights = detail::attention_weights(query, k, attn_mask, is_causal,
                                             detail::attention_scale(query, scale));
  if (dropout_p > 0.0) weights = dropout(weights, dropout_p, /*train=*/true);
  return {matmul(weights, v), weights};
}

Tensor scaled_dot_product_attention(const Tensor& query, const Tensor& key, const Tensor& value,
                                    const Tensor& attn_mask, double dropout_p, bool is_causal,
                                    std::optional<double> scale, bool enable_gqa) {
  if (autocast::active()) {
    return autocast::lower_precision({query, key, value, attn_mask}, [&](const auto& in) {
      return scaled_dot_product_attention(in[0], in[1], in[2], in[3], dropout_p, is_causal, scale,
                                          enable_gqa);
    });
  }
  if (!fused_applies(query, key, value, attn_mask, dropout_p)) {
    return std::get<0>(_scaled_dot_product_attention_math(query, key, value, attn_mask, dropout_p,
                                                          is_causal, scale, enable_gqa));
  }
  detail::check_attention_arguments(query, key, value, attn_mask, dropout_p, is_causal, enable_gqa);
  return fused_attention(query, key, value, attn_mask, dropout_p, is_causal,
                         detail::attention_scale(query, scale), enable_gqa);
}

}  // namespace ember
