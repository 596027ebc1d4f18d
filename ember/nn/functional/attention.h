// libtorch's torch::nn::functional::scaled_dot_product_attention: an inline forward to the op.
#pragma once

#include <optional>

#include "ember/ops/attention.h"

namespace ember::nn::functional {

inline Tensor scaled_dot_product_attention(const Tensor& query, const Tensor& key,
                                           const Tensor& value, const Tensor& attn_mask = {},
                                           double dropout_p = 0.0, bool is_causal = false,
                                           std::optional<double> scale = std::nullopt,
                                           bool enable_gqa = false) {
  return ember::scaled_dot_product_attention(query, key, value, attn_mask, dropout_p, is_causal,
                                             scale, enable_gqa);
}

}  // namespace ember::nn::functional
