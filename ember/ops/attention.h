// scaled_dot_product_attention (torch.nn.functional.scaled_dot_product_attention, libtorch's
// at::scaled_dot_product_attention) and its math composite, kept as the reference the fused kernel
// is tested against (docs/architecture.md, Note [fused attention]).
#pragma once

#include <optional>
#include <tuple>

#include "ember/tensor/tensor.h"

namespace ember {

// softmax(query @ key^T * scale + mask) @ value over the last two dims: query (..., L, E), key
// (..., S, E), value (..., S, Ev) -> (..., L, Ev); the leading dims broadcast. attn_mask is bool
// (true = the position takes part) or of query's dtype (added to the scores), broadcastable to
// (..., L, S). is_causal: query i sees keys j <= i (top-left aligned, PyTorch's rule); it excludes
// attn_mask. scale defaults to 1 / sqrt(E). enable_gqa: key and value may have fewer heads (dim
// -3) than query, each shared by query.size(-3) / key.size(-3) consecutive query heads. A row whose
// keys are all masked gives zeros (and zero gradients), as PyTorch's math path (_safe_softmax).
// dropout_p > 0 drops attention weights with a mask from the global generator (one bernoulli fill
// of the (..., L, S) weights: the composite and the fused kernel draw the same mask from the same
// seed; the fused kernel never stores it).
Tensor scaled_dot_product_attention(const Tensor& query, const Tensor& key, const Tensor& value,
                                    const Tensor& attn_mask = {}, double dropout_p = 0.0,
                                    bool is_causal = false,
                                    std::optional<double> scale = std::nullopt,
                                    bool enable_gqa = false);

// The composite (matmul, masked softmax, dropout, matmul) with the same arguments: (output,
// attention weights (..., L, S)). Autograd differentiates it through its ops.
std::tuple<Tensor, Tensor> _scaled_dot_product_attention_math(
    const Tensor& query, const Tensor& key, const Tensor& value, const Tensor& attn_mask = {},
    double dropout_p = 0.0, bool is_causal = false, std::optional<double> scale = std::nullopt,
    bool enable_gqa = false);

}  // namespace ember
