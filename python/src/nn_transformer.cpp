// F.multi_head_attention_forward (PyTorch's signature) into ember._C._nn: the C++ frontend's
// functional (ember/nn/functional/multihead_attention.h), which nn.MultiheadAttention calls too.
#include <nanobind/nanobind.h>
#include <nanobind/stl/optional.h>

#include <optional>

#include "convert.h"
#include "ember/nn/functional/multihead_attention.h"
#include "ember/nn/modules/transformer.h"
#include "nn.h"

namespace ember::python {
namespace {

using OptionalTensor = std::optional<Tensor>;

Tensor or_undefined(const OptionalTensor& tensor) { return tensor.value_or(Tensor()); }

nb::object multi_head_attention_forward(
    const Tensor& query, const Tensor& key, const Tensor& value, int64_t embed_dim_to_check,
    int64_t num_heads, const OptionalTensor& in_proj_weight, const OptionalTensor& in_proj_bias,
    const OptionalTensor& bias_k, const OptionalTensor& bias_v, bool add_zero_attn,
    double dropout_p, const Tensor& out_proj_weight, const OptionalTensor& out_proj_bias,
    bool training, const OptionalTensor& key_padding_mask, bool need_weights,
    const OptionalTensor& attn_mask, bool use_separate_proj_weight,
    const OptionalTensor& q_proj_weight, const OptionalTensor& k_proj_weight,
    const OptionalTensor& v_proj_weight, const OptionalTensor& static_k,
    const OptionalTensor& static_v, bool average_attn_weights, bool is_causal) {
  const auto options = nn::functional::MultiheadAttentionForwardFuncOptions(
                           embed_dim_to_check, num_heads, or_undefined(in_proj_weight),
                           or_undefined(in_proj_bias), or_undefined(bias_k), or_undefined(bias_v),
                           add_zero_attn, dropout_p, out_proj_weight, or_undefined(out_proj_bias))
                           .training(training)
                           .key_padding_mask(or_undefined(key_padding_mask))
                           .need_weights(need_weights)
                           .attn_mask(or_undefined(attn_mask))
                           .use_separate_proj_weight(use_separate_proj_weight)
                           .q_proj_weight(or_undefined(q_proj_weight))
                           .k_proj_weight(or_undefined(k_proj_weight))
                           .v_proj_weight(or_undefined(v_proj_weight))
                           .static_k(or_undefined(static_k))
                           .static_v(or_undefined(static_v))
                           .average_attn_weights(average_attn_weights)
                           .is_causal(is_causal);
  auto [output, weights] = nn::functional::multi_head_attention_forward(query, key, value, options);
  nb::object weights_object = weights.defined() ? nb::cast(std::move(weights)) : nb::none();
  return nb::make_tuple(std::move(output), weights_object);
}

}  // namespace

void init_nn_transformer(nb::module_& nn) {
  nn.def("multi_head_attention_forward", &multi_head_attention_forward, nb::arg("query"),
         nb::arg("key"), nb::arg("value"), nb::arg("embed_dim_to_check"), nb::arg("num_heads"),
         nb::arg("in_proj_weight").none(), nb::arg("in_proj_bias").none(), nb::arg("bias_k").none(),
         nb::arg("bias_v").none(), nb::arg("add_zero_attn"), nb::arg("dropout_p"),
         nb::arg("out_proj_weight"), nb::arg("out_proj_bias").none(), nb::arg("training") = true,
         nb::arg("key_padding_mask") = nb::none(), nb::arg("need_weights") = true,
         nb::arg("attn_mask") = nb::none(), nb::arg("use_separate_proj_weight") = false,
         nb::arg("q_proj_weight") = nb::none(), nb::arg("k_proj_weight") = nb::none(),
         nb::arg("v_proj_weight") = nb::none(), nb::arg("static_k") = nb::none(),
         nb::arg("static_v") = nb::none(), nb::arg("average_attn_weights") = true,
         nb::arg("is_causal") = false,
         nb::sig("def multi_head_attention_forward(query, key, value, embed_dim_to_check, "
                 "num_heads, in_proj_weight, in_proj_bias, bias_k, bias_v, add_zero_attn, "
                 "dropout_p, out_proj_weight, out_proj_bias, training=True, "
                 "key_padding_mask=None, need_weights=True, attn_mask=None, "
                 "use_separate_proj_weight=False, q_proj_weight=None, k_proj_weight=None, "
                 "v_proj_weight=None, static_k=None, static_v=None, average_attn_weights=True, "
                 "is_causal=False) -> tuple[Tensor, Tensor | None]"),
         "Multi-head attention, sequence-first: query (L, N, E) or (L, E), key (S, N, kdim), "
         "value (S, N, vdim). Projects with in_proj_weight (or q/k/v_proj_weight), splits "
         "num_heads heads, attends (softmax(Q K^T / sqrt(E / num_heads)) V; masks bool with "
         "True = not attended, or float added to the scores) and projects with "
         "out_proj_weight. Returns (attn_output (L, N, E), attn_weights (N, L, S) averaged over "
         "heads, (N, num_heads, L, S) unaveraged, None with need_weights=False).");
  nn.def("_generate_square_subsequent_mask", &nn::TransformerImpl::generate_square_subsequent_mask,
         nb::arg("sz"), nb::sig("def _generate_square_subsequent_mask(sz) -> Tensor"),
         "Transformer.generate_square_subsequent_mask: (sz, sz) float, 0 on and below the "
         "diagonal and -inf above.");
  nn.def(
      "_detect_is_causal_mask",
      [](const OptionalTensor& mask, std::optional<bool> is_causal, const Tensor& input,
         bool batch_first) {
        return nn::detail::detect_is_causal_mask(or_undefined(mask), is_causal, input, batch_first);
      },
      nb::arg("mask").none(), nb::arg("is_causal").none(), nb::arg("input"), nb::arg("batch_first"),
      nb::sig("def _detect_is_causal_mask(mask, is_causal, input, batch_first) -> bool"),
      "PyTorch's _detect_is_causal_mask for TransformerEncoder/Decoder: is_causal when not "
      "None, else whether mask is generate_square_subsequent_mask of input's sequence length.");
}

}  // namespace ember::python
