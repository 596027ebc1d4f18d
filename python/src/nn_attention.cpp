// nn.functional.scaled_dot_product_attention (ember/ops/attention.h) into ember._C._nn, with
// PyTorch's signature.
#include <nanobind/nanobind.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/tuple.h>

#include "convert.h"
#include "ember/ops/attention.h"
#include "nn.h"

namespace ember::python {

void init_nn_attention(nb::module_& nn) {
  nn.def(
      "scaled_dot_product_attention",
      [](const Tensor& query, const Tensor& key, const Tensor& value,
         const std::optional<Tensor>& attn_mask, double dropout_p, bool is_causal,
         std::optional<double> scale, bool enable_gqa) {
        return scaled_dot_product_attention(query, key, value, attn_mask.value_or(Tensor()),
                                            dropout_p, is_causal, scale, enable_gqa);
      },
      nb::arg("query"), nb::arg("key"), nb::arg("value"), nb::arg("attn_mask") = nb::none(),
      nb::arg("dropout_p") = 0.0, nb::arg("is_causal") = false, nb::arg("scale") = nb::none(),
      nb::kw_only(), nb::arg("enable_gqa") = false,
      nb::sig("def scaled_dot_product_attention(query, key, value, attn_mask=None, "
              "dropout_p=0.0, is_causal=False, scale=None, *, enable_gqa=False) -> Tensor"),
      "softmax(query @ key.T * scale + attn_mask) @ value: query (..., L, E), key (..., S, E), "
      "value (..., S, Ev) -> (..., L, Ev); fused, memory-efficient, dropout included.");
  // The composite the fused kernel is tested against (PyTorch's private op of the same name).
  nn.def(
      "_scaled_dot_product_attention_math",
      [](const Tensor& query, const Tensor& key, const Tensor& value,
         const std::optional<Tensor>& attn_mask, double dropout_p, bool is_causal,
         std::optional<double> scale, bool enable_gqa) {
        return _scaled_dot_product_attention_math(query, key, value, attn_mask.value_or(Tensor()),
                                                  dropout_p, is_causal, scale, enable_gqa);
      },
      nb::arg("query"), nb::arg("key"), nb::arg("value"), nb::arg("attn_mask") = nb::none(),
      nb::arg("dropout_p") = 0.0, nb::arg("is_causal") = false, nb::arg("scale") = nb::none(),
      nb::kw_only(), nb::arg("enable_gqa") = false,
      nb::sig("def _scaled_dot_product_attention_math(query, key, value, attn_mask=None, "
              "dropout_p=0.0, is_causal=False, scale=None, *, enable_gqa=False) -> "
              "tuple[Tensor, Tensor]"),
      "The math composite of scaled_dot_product_attention: (output, attention weights).");
}

}  // namespace ember::python
