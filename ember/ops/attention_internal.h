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
// softmax(query @ key^T * scale, masked) with zero weights for fully masked rows: the math
// composite's weights, and the recomputation of the fused kernel's double-backward composite.
// key has query's heads already (expand_gqa_heads).
Tensor attention_weights(const Tensor& query, const Tensor& key, const Tensor& attn_mask,
                         bool is_causal, double scale);

}  // namespace ember::detail
