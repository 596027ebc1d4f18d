// libtorch's torch::nn::functional::multi_head_attention_forward: the one implementation of
// multi-head attention, called by both MultiheadAttention modules and by Python's
// F.multi_head_attention_forward (python/src/nn_transformer.cpp).
#pragma once

#include <tuple>

#include "ember/nn/options/transformer.h"
#include "ember/tensor/tensor.h"

namespace ember::nn::functional {

// Sequence-first: query (L, N, E) or unbatched (L, E); key (S, N, kdim), value (S, N, vdim).
// Returns (attn_output (L, N, E), attn_weights (N, L, S) averaged over heads, (N, H, L, S) with
// average_attn_weights(false), undefined with need_weights(false)). Masks: bool (True = not
// attended, PyTorch's MultiheadAttention convention) or float (added to the scores);
// attn_mask (L, S) or (N * H, L, S), key_padding_mask (N, S). With need_weights(false) the
// attention runs in scaled_dot_product_attention; the weights path is softmax(Q K^T / sqrt(d)).
std::tuple<Tensor, Tensor> multi_head_attention_forward(
    const Tensor& query, const Tensor& key, const Tensor& value,
    const MultiheadAttentionForwardFuncOptions& options);

}  // namespace ember::nn::functional
