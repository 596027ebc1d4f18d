// libtorch's TransformerEncoder, TransformerDecoder (torch/nn/modules/transformercoder.h) and
// Transformer (torch/nn/modules/transformer.h), composed as PyTorch's Python modules: `layers`
// (a ModuleList of num_layers copies of the given layer, each starting from its parameters, as
// PyTorch's deepcopy) then the optional `norm`; Transformer holds `encoder` and `decoder` with
// final LayerNorms (or options' custom_encoder/custom_decoder) and re-initialises every parameter
// of two or more dims with xavier_uniform_.
#pragma once

#include <optional>
#include <ostream>
#include <vector>

#include "ember/nn/module.h"
#include "ember/nn/modules/any.h"
#include "ember/nn/modules/container.h"
#include "ember/nn/modules/transformer_layer.h"
#include "ember/nn/options/transformer.h"
#include "ember/nn/options/transformer_coder.h"
#include "ember/nn/pimpl.h"

namespace ember::nn {
namespace detail {

// PyTorch's _detect_is_causal_mask: is_causal when given; otherwise whether `mask` equals
// generate_square_subsequent_mask(size) in mask's dtype (for a bool mask, true above the
// diagonal), size being `input`'s sequence length (dim 0 of an unbatched 2-D input, else dim 1
// with batch_first or dim 0). False without a mask.
bool detect_is_causal_mask(const Tensor& mask, std::optional<bool> is_causal, const Tensor& input,
                           bool batch_first);

}  // namespace detail

class TransformerEncoderImpl : public Module {
 public:
  TransformerEncoderImpl(TransformerEncoderLayer encoder_layer, int64_t num_layers)
      : TransformerEncoderImpl(TransformerEncoderOptions(std::move(encoder_layer), num_layers)) {}
  explicit TransformerEncoderImpl(TransformerEncoderOptions options_);

  void reset();
  void reset_parameters();
  // is_causal: a hint that src_mask is the causal mask; unset, it is detected as PyTorch does
  // (detail::detect_is_causal_mask), so that attention takes its causal path.
  Tensor forward(const Tensor& src, const Tensor& src_mask = {},
                 const Tensor& src_key_padding_mask = {},
                 std::optional<bool> is_causal = std::nullopt);
  void pretty_print(std::ostream& stream) const override;

  TransformerEncoderOptions options;
  ModuleList layers = nullptr;
  LayerNorm norm = nullptr;

 protected:
  FORWARD_HAS_DEFAULT_ARGS({1, AnyValue(Tensor())}, {2, AnyValue(Tensor())},
                           {3, AnyValue(std::optional<bool>())})
};
EMBER_MODULE(TransformerEncoder);

class TransformerDecoderImpl : public Module {
 public:
  TransformerDecoderImpl(TransformerDecoderLayer decoder_layer, int64_t num_layers)
      : TransformerDecoderImpl(TransformerDecoderOptions(std::move(decoder_layer), num_layers)) {}
  explicit TransformerDecoderImpl(TransformerDecoderOptions options_);

  void reset();
  void reset_parameters();
  Tensor forward(const Tensor& tgt, const Tensor& memory, const Tensor& tgt_mask = {},
                 const Tensor& memory_mask = {}, const Tensor& tgt_key_padding_mask = {},
                 const Tensor& memory_key_padding_mask = {},
                 std::optional<bool> tgt_is_causal = std::nullopt, bool memory_is_causal = false);
  void pretty_print(std::ostream& stream) const override;

  TransformerDecoderOptions options;
  ModuleList layers = nullptr;
  LayerNorm norm = nullptr;

 protected:
  FORWARD_HAS_DEFAULT_ARGS({2, AnyValue(Tensor())}, {3, AnyValue(Tensor())},
                           {4, AnyValue(Tensor())}, {5, AnyValue(Tensor())},
                           {6, AnyValue(std::optional<bool>())}, {7, AnyValue(false)})
};
EMBER_MODULE(TransformerDecoder);

class TransformerImpl : public Module {
 public:
  explicit TransformerImpl(TransformerOptions options_ = {});

  void reset();
  void reset_parameters();
  // src (S, N, E), tgt (T, N, E) (batch_first: batch first), or unbatched; returns (T, N, E).
  Tensor forward(const Tensor& src, const Tensor& tgt, const Tensor& src_mask = {},
                 const Tensor& tgt_mask = {}, const Tensor& memory_mask = {},
                 const Tensor& src_key_padding_mask = {}, const Tensor& tgt_key_padding_mask = {},
                 const Tensor& memory_key_padding_mask = {});
  // (sz, sz) float: 0 on and below the diagonal, -inf above (position i attends to j <= i).
  static Tensor generate_square_subsequent_mask(int64_t sz);
  void pretty_print(std::ostream& stream) const override;

  TransformerOptions options;
  // As libtorch's: the built TransformerEncoder/TransformerDecoder or options' custom ones
  // (encoder.get<TransformerEncoderImpl>() reaches the built one).
  AnyModule encoder;
  AnyModule decoder;
};
EMBER_MODULE(Transformer);

}  // namespace ember::nn
