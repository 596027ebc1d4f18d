// What the math composite and the fused attention kernel share (attention.cpp,
// attention_fused.cpp): argument checks, the default scale, the grouped-query head expansion.
#pragma once

#include <optional>
#include <tuple>

#include "ember/tensor/tensor.h"

namespace ember::detail {

// Throws `[scaled_dot_product_attention] expected ...; got ...` for bad shapes, dtypes, masks.
void check_attention_arguments(const Tensor& query, const Tensor& key, const Tensor& value,
                               const Tensor& attn_mask, double dropout_p, bool is_causal,
                               bool enable_gqa);
// The broadcast batch dims of query, key and value (key's and value's heads counted as query's
// under enable_gqa), then (L, S).
Shape attention_scores_shape(const Tensor& query, const Tensor& key, const Tensor& value,
                             bool enable_gqa);
// `scale`, or 1 / sqrt(E).
double attention_scale(const Tensor& query, std::optional<double> scale);
// Key and value repeated along dim -3 to query's number of heads when enable_gqa.
std::tuple<Tensor, Tensor> expand_gqa_heads(const Tensor& query, const Tensor& key,
                                            const Tensor& value, bool enable_gqa);

}  // namespace ember::detail
