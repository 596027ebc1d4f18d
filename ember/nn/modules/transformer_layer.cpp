// TransformerEncoderLayer and TransformerDecoderLayer of transformer_layer.h.
#include "ember/nn/modules/transformer_layer.h"

#include <type_traits>
#include <variant>

#include "ember/nn/functional/activation.h"

namespace ember::nn {
namespace {

Tensor activate(const TransformerActivation& activation, const Tensor& x) {
  return std::visit(
      [&x](const auto& chosen) -> Tensor {
        using Chosen = std::decay_t<decltype(chosen)>;
        if constexpr (std::is_same_v<Chosen, enumtype::kReLU>) {
          return functional::relu(x);
        } else if constexpr (std::is_same_v<Chosen, enumtype::kGELU>) {
          return functional::gelu(x);
        } else {
          return chosen(x);
        }
      },
      activation);
}

template <class Options>
MultiheadAttention attention(const Options& options) {
  return MultiheadAttention(MultiheadAttentionOptions(options.d_model(), options.nhead())
                                .dropout(options.dropout())
                                .bias(options.bias())
                                .batch_first(options.batch_first()));
}

template <class Options>
LayerNorm layer_norm(const Options& options) {
  return LayerNorm(
      LayerNormOptions({options.d_model()}).eps(options.layer_norm_eps()).bias(options.bias()));
}

template <class Options>
Linear linear(const Options& options, int64_t in_features, int64_t out_features) {
  return Linear(LinearOptions(in_features, out_features).bias(options.bias()));
}

void check_model(std::string_view layer, int64_t d_model, int64_t nhead, int64_t dim_feedforward) {
  EMBER_CHECK_VALUE(d_model > 0 && nhead > 0 && dim_feedforward > 0 && d_model % nhead == 0, "[",
                    layer,
                    "] expected positive d_model, nhead, dim_feedforward with d_model divisible "
                    "by nhead; got d_model ",
                    d_model, ", nhead ", nhead, ", dim_feedforward ", dim_feedforward);
}

}  // namespace

TransformerEncoderLayerImpl::TransformerEncoderLayerImpl(TransformerEncoderLayerOptions options_)
    : options(std::move(options_)) {
  reset();
}

void TransformerEncoderLayerImpl::reset() {
  const int64_t d_model = options.d_model();
  check_model("TransformerEncoderLayer", d_model, options.nhead(), options.dim_feedforward());
  self_attn = register_module("self_attn", attention(options));
  linear1 = register_module("linear1", linear(options, d_model, options.dim_feedforward()));
  dropout = register_module("dropout", Dropout(options.dropout()));
  linear2 = register_module("linear2", linear(options, options.dim_feedforward(), d_model));
  norm1 = register_module("norm1", layer_norm(options));
  norm2 = register_module("norm2", layer_norm(options));
  dropout1 = register_module("dropout1", Dropout(options.dropout()));
  dropout2 = register_module("dropout2", Dropout(options.dropout()));
}

void TransformerEncoderLayerImpl::reset_parameters() {
  self_attn->reset_parameters();
  linear1->reset_parameters();
  linear2->reset_parameters();
  norm1->reset_parameters();
  norm2->reset_parameters();
}

Tensor TransformerEncoderLayerImpl::self_attention_block(const Tensor& x, const Tensor& mask,
                                                         const Tensor& key_padding_mask,
                                                         bool is_causal) {
  const Tensor attended = std::get<0>(self_attn->forward(x, x, x, key_padding_mask,
                                                         /*need_weights=*/false, mask,
                                                         /*average_attn_weights=*/true, is_causal));
  return dropout1->forward(attended);
}

Tensor TransformerEncoderLayerImpl::feed_forward_block(const Tensor& x) {
  const Tensor hidden = dropout->forward(activate(options.activation(), linear1->forward(x)));
  return dropout2->forward(linear2->forward(hidden));
}

Tensor TransformerEncoderLayerImpl::forward(const Tensor& src, const Tensor& src_mask,
                                            const Tensor& src_key_padding_mask, bool is_causal) {
  Tensor x = src;
  if (options.norm_first()) {
    x = x + self_attention_block(norm1->forward(x), src_mask, src_key_padding_mask, is_causal);
    return x + feed_forward_block(norm2->forward(x));
  }
  x = norm1->forward(x + self_attention_block(x, src_mask, src_key_padding_mask, is_causal));
  return norm2->forward(x + feed_forward_block(x));
}

void TransformerEncoderLayerImpl::pretty_print(std::ostream& stream) const {
  stream << "ember::nn::TransformerEncoderLayer(d_model=" << options.d_model()
         << ", nhead=" << options.nhead() << ")";
}

TransformerDecoderLayerImpl::TransformerDecoderLayerImpl(TransformerDecoderLayerOptions options_)
    : options(std::move(options_)) {
  reset();
}

void TransformerDecoderLayerImpl::reset() {
  const int64_t d_model = options.d_model();
  check_model("TransformerDecoderLayer", d_model, options.nhead(), options.dim_feedforward());
  self_attn = register_module("self_attn", attention(options));
  multihead_attn = register_module("multihead_attn", attention(options));
  linear1 = register_module("linear1", linear(options, d_model, options.dim_feedforward()));
  dropout = register_module("dropout", Dropout(options.dropout()));
  linear2 = register_module("linear2", linear(options, options.dim_feedforward(), d_model));
  norm1 = register_module("norm1", layer_norm(options));
  norm2 = register_module("norm2", layer_norm(options));
  norm3 = register_module("norm3", layer_norm(options));
  dropout1 = register_module("dropout1", Dropout(options.dropout()));
  dropout2 = register_module("dropout2", Dropout(options.dropout()));
  dropout3 = register_module("dropout3", Dropout(options.dropout()));
}

void TransformerDecoderLayerImpl::reset_parameters() {
  self_attn->reset_parameters();
  multihead_attn->reset_parameters();
  linear1->reset_parameters();
  linear2->reset_parameters();
  norm1->reset_parameters();
  norm2->reset_parameters();
  norm3->reset_parameters();
}

Tensor TransformerDecoderLayerImpl::self_attention_block(const Tensor& x, const Tensor& mask,
                                                         const Tensor& key_padding_mask,
                                                         bool is_causal) {
  const Tensor attended = std::get<0>(self_attn->forward(x, x, x, key_padding_mask,
                                                         /*need_weights=*/false, mask,
                                                         /*average_attn_weights=*/true, is_causal));
  return dropout1->forward(attended);
}

Tensor TransformerDecoderLayerImpl::cross_attention_block(const Tensor& x, const Tensor& memory,
                                                          const Tensor& mask,
                                                          const Tensor& key_padding_mask,
                                                          bool is_causal) {
  const Tensor attended = std::get<0>(
      multihead_attn->forward(x, memory, memory, key_padding_mask, /*need_weights=*/false, mask,
                              /*average_attn_weights=*/true, is_causal));
  return dropout2->forward(attended);
}

Tensor TransformerDecoderLayerImpl::feed_forward_block(const Tensor& x) {
  const Tensor hidden = dropout->forward(activate(options.activation(), linear1->forward(x)));
  return dropout3->forward(linear2->forward(hidden));
}

Tensor TransformerDecoderLayerImpl::forward(const Tensor& tgt, const Tensor& memory,
                                            const Tensor& tgt_mask, const Tensor& memory_mask,
                                            const Tensor& tgt_key_padding_mask,
                                            const Tensor& memory_key_padding_mask,
                                            bool tgt_is_causal, bool memory_is_causal) {
  Tensor x = tgt;
  if (options.norm_first()) {
    x = x + self_attention_block(norm1->forward(x), tgt_mask, tgt_key_padding_mask, tgt_is_causal);
    x = x + cross_attention_block(norm2->forward(x), memory, memory_mask, memory_key_padding_mask,
                                  memory_is_causal);
    return x + feed_forward_block(norm3->forward(x));
  }
  x = norm1->forward(x + self_attention_block(x, tgt_mask, tgt_key_padding_mask, tgt_is_causal));
  x = norm2->forward(
      x + cross_attention_block(x, memory, memory_mask, memory_key_padding_mask, memory_is_causal));
  return norm3->forward(x + feed_forward_block(x));
}

void TransformerDecoderLayerImpl::pretty_print(std::ostream& stream) const {
  stream << "ember::nn::TransformerDecoderLayer(d_model=" << options.d_model()
         << ", nhead=" << options.nhead() << ")";
}

}  // namespace ember::nn
