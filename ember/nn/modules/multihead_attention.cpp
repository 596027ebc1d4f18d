// MultiheadAttention of multihead_attention.h.
#include "ember/nn/modules/multihead_attention.h"

#include "ember/nn/functional/multihead_attention.h"
#include "ember/ops/nn_init.h"
#include "ember/ops/ops.h"

namespace ember::nn {

MultiheadAttentionImpl::MultiheadAttentionImpl(const MultiheadAttentionOptions& options_)
    : options(options_) {
  reset();
}

void MultiheadAttentionImpl::reset() {
  const int64_t embed_dim = options.embed_dim();
  EMBER_CHECK_VALUE(options.num_heads() > 0 && embed_dim % options.num_heads() == 0,
                    "[MultiheadAttention] expected embed_dim divisible by num_heads; got "
                    "embed_dim ",
                    embed_dim, " and num_heads ", options.num_heads());
  head_dim = embed_dim / options.num_heads();
  _qkv_same_embed_dim = options.kdim() == embed_dim && options.vdim() == embed_dim;
  if (_qkv_same_embed_dim) {
    in_proj_weight = register_parameter("in_proj_weight", empty({3 * embed_dim, embed_dim}));
  } else {
    q_proj_weight = register_parameter("q_proj_weight", empty({embed_dim, embed_dim}));
    k_proj_weight = register_parameter("k_proj_weight", empty({embed_dim, options.kdim()}));
    v_proj_weight = register_parameter("v_proj_weight", empty({embed_dim, options.vdim()}));
  }
  if (options.bias()) in_proj_bias = register_parameter("in_proj_bias", empty({3 * embed_dim}));
  if (options.add_bias_kv()) {
    bias_k = register_parameter("bias_k", empty({1, 1, embed_dim}));
    bias_v = register_parameter("bias_v", empty({1, 1, embed_dim}));
  }
  out_proj =
      register_module("out_proj", Linear(LinearOptions(embed_dim, embed_dim).bias(options.bias())));
  reset_parameters();
}

void MultiheadAttentionImpl::reset_parameters() {
  if (_qkv_same_embed_dim) {
    init::xavier_uniform_(in_proj_weight);
  } else {
    init::xavier_uniform_(q_proj_weight);
    init::xavier_uniform_(k_proj_weight);
    init::xavier_uniform_(v_proj_weight);
  }
  if (in_proj_bias.defined()) {
    init::zeros_(in_proj_bias);
    init::zeros_(out_proj->bias);
  }
  if (bias_k.defined()) init::xavier_normal_(bias_k);
  if (bias_v.defined()) init::xavier_normal_(bias_v);
}

std::tuple<Tensor, Tensor> MultiheadAttentionImpl::forward(
    const Tensor& query, const Tensor& key, const Tensor& value, const Tensor& key_padding_mask,
    bool need_weights, const Tensor& attn_mask, bool average_attn_weights, bool is_causal) {
  // batch_first inputs go to the functional sequence-first, keeping self-attention's one
  // tensor one tensor (its single-GEMM projection).
  const bool batched = query.dim() == 3;
  const bool transpose = options.batch_first() && batched;
  const Tensor q = transpose ? query.transpose(0, 1) : query;
  const Tensor k = !transpose ? key : key.is_same(query) ? q : key.transpose(0, 1);
  const Tensor v = !transpose             ? value
                   : value.is_same(query) ? q
                   : value.is_same(key)   ? k
                                          : value.transpose(0, 1);
  auto func_options =
      functional::MultiheadAttentionForwardFuncOptions(
          options.embed_dim(), options.num_heads(), in_proj_weight, in_proj_bias, bias_k, bias_v,
          options.add_zero_attn(), options.dropout(), out_proj->weight, out_proj->bias)
          .training(is_training())
          .key_padding_mask(key_padding_mask)
          .need_weights(need_weights)
          .attn_mask(attn_mask)
          .average_attn_weights(average_attn_weights)
          .is_causal(is_causal);
  if (!_qkv_same_embed_dim) {
    func_options.use_separate_proj_weight(true)
        .q_proj_weight(q_proj_weight)
        .k_proj_weight(k_proj_weight)
        .v_proj_weight(v_proj_weight);
  }
  auto [output, weights] = functional::multi_head_attention_forward(q, k, v, func_options);
  if (transpose) output = output.transpose(0, 1);
  return {output, weights};
}

void MultiheadAttentionImpl::pretty_print(std::ostream& stream) const {
  stream << "ember::nn::MultiheadAttention(embed_dim=" << options.embed_dim()
         << ", num_heads=" << options.num_heads() << ")";
}

}  // namespace ember::nn
