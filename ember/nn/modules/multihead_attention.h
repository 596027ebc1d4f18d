// libtorch's MultiheadAttention (torch/nn/modules/activation.h) with PyTorch's parameters:
// in_proj_weight (3E, E) when kdim == vdim == embed_dim, else q_proj_weight, k_proj_weight and
// v_proj_weight; in_proj_bias (3E); bias_k and bias_v (1, 1, E) with add_bias_kv; out_proj a
// Linear(E, E). Forward calls functional::multi_head_attention_forward.
#pragma once

#include <ostream>
#include <tuple>

#include "ember/nn/module.h"
#include "ember/nn/modules/linear.h"
#include "ember/nn/options/transformer.h"
#include "ember/nn/pimpl.h"

namespace ember::nn {

class MultiheadAttentionImpl : public Module {
 public:
  MultiheadAttentionImpl(int64_t embed_dim, int64_t num_heads)
      : MultiheadAttentionImpl(MultiheadAttentionOptions(embed_dim, num_heads)) {}
  explicit MultiheadAttentionImpl(const MultiheadAttentionOptions& options_);

  // Registers the parameters and out_proj, then reset_parameters() (PyTorch's order of draws:
  // out_proj's Linear init, xavier_uniform_ of the input projections, xavier_normal_ of bias_k
  // and bias_v; the biases of in_proj and out_proj zero).
  void reset();
  void reset_parameters();
  // query (L, N, E) (batch_first: (N, L, E)) or (L, E); returns (output, weights), weights
  // undefined with need_weights = false. Bool masks: True = not attended.
  std::tuple<Tensor, Tensor> forward(const Tensor& query, const Tensor& key, const Tensor& value,
                                     const Tensor& key_padding_mask = {}, bool need_weights = true,
                                     const Tensor& attn_mask = {}, bool average_attn_weights = true,
                                     bool is_causal = false);
  void pretty_print(std::ostream& stream) const override;

  MultiheadAttentionOptions options;
  bool _qkv_same_embed_dim = true;
  int64_t head_dim = 0;
  Tensor in_proj_weight;
  Tensor in_proj_bias;
  Tensor bias_k;
  Tensor bias_v;
  Linear out_proj = nullptr;
  Tensor q_proj_weight;
  Tensor k_proj_weight;
  Tensor v_proj_weight;
};
EMBER_MODULE(MultiheadAttention);

}  // namespace ember::nn
