// TransformerEncoder, TransformerDecoder and Transformer of transformer.h.
#include "ember/nn/modules/transformer.h"

#include <limits>

#include "ember/autograd/grad_mode.h"
#include "ember/ops/nn_init.h"
#include "ember/ops/ops.h"
#include "ember/ops/random.h"
#include "ember/ops/shape.h"

namespace ember::nn {
namespace {

// num_layers copies of `layer`, each with its parameter values and mode: PyTorch deep-copies the
// layer, so the copies draw nothing from the generator (its state is restored after building
// them) and a seeded model is the same in both languages.
template <typename Layer>
ModuleList copies_of(const Layer& layer, int64_t num_layers) {
  EMBER_CHECK_VALUE(num_layers >= 0, "[Transformer] expected num_layers >= 0; got ", num_layers);
  ModuleList copies;
  const Tensor generator_state = get_rng_state();
  for (int64_t i = 0; i < num_layers; ++i) {
    Layer copy(layer->options);
    const auto source = layer->named_parameters();
    auto target = copy->named_parameters();
    autograd::NoGradGuard no_grad;
    for (size_t p = 0; p < source.size(); ++p) {
      Tensor parameter = target[p].value();
      parameter.copy_(source[p].value());
    }
    copy->train(layer->is_training());
    copies->push_back(copy);
  }
  set_rng_state(generator_state);
  return copies;
}

}  // namespace

namespace detail {

bool detect_is_causal_mask(const Tensor& mask, std::optional<bool> is_causal, const Tensor& input,
                           bool batch_first) {
  if (is_causal || !mask.defined()) return is_causal.value_or(false);
  const int64_t size = input.size(input.dim() == 2 ? 0 : (batch_first ? 1 : 0));
  if (mask.shape() != Shape{size, size}) return false;
  const Tensor causal = triu(
      full({size, size}, -std::numeric_limits<double>::infinity(), TensorOptions(mask.dtype())), 1);
  return all(eq(mask, causal)).item<bool>();
}

}  // namespace detail

TransformerEncoderImpl::TransformerEncoderImpl(TransformerEncoderOptions options_)
    : options(std::move(options_)) {
  reset();
}

void TransformerEncoderImpl::reset() {
  layers = register_module("layers", copies_of(options.encoder_layer(), options.num_layers()));
  if (options.norm()) norm = register_module("norm", options.norm());
}

void TransformerEncoderImpl::reset_parameters() {
  for (size_t i = 0; i < layers->size(); ++i) {
    layers->ptr<TransformerEncoderLayerImpl>(i)->reset_parameters();
  }
  if (norm) norm->reset_parameters();
}

Tensor TransformerEncoderImpl::forward(const Tensor& src, const Tensor& src_mask,
                                       const Tensor& src_key_padding_mask,
                                       std::optional<bool> is_causal) {
  const bool causal = detail::detect_is_causal_mask(src_mask, is_causal, src,
                                                    options.encoder_layer()->options.batch_first());
  Tensor output = src;
  for (size_t i = 0; i < layers->size(); ++i) {
    output = layers->ptr<TransformerEncoderLayerImpl>(i)->forward(output, src_mask,
                                                                  src_key_padding_mask, causal);
  }
  return norm ? norm->forward(output) : output;
}

void TransformerEncoderImpl::pretty_print(std::ostream& stream) const {
  stream << "ember::nn::TransformerEncoder(num_layers=" << options.num_layers() << ")";
}

TransformerDecoderImpl::TransformerDecoderImpl(TransformerDecoderOptions options_)
    : options(std::move(options_)) {
  reset();
}

void TransformerDecoderImpl::reset() {
  layers = register_module("layers", copies_of(options.decoder_layer(), options.num_layers()));
  if (options.norm()) norm = register_module("norm", options.norm());
}

void TransformerDecoderImpl::reset_parameters() {
  for (size_t i = 0; i < layers->size(); ++i) {
    layers->ptr<TransformerDecoderLayerImpl>(i)->reset_parameters();
  }
  if (norm) norm->reset_parameters();
}

Tensor TransformerDecoderImpl::forward(const Tensor& tgt, const Tensor& memory,
                                       const Tensor& tgt_mask, const Tensor& memory_mask,
                                       const Tensor& tgt_key_padding_mask,
                                       const Tensor& memory_key_padding_mask,
                                       std::optional<bool> tgt_is_causal, bool memory_is_causal) {
  const bool causal = detail::detect_is_causal_mask(tgt_mask, tgt_is_causal, tgt,
                                                    options.decoder_layer()->options.batch_first());
  Tensor output = tgt;
  for (size_t i = 0; i < layers->size(); ++i) {
    output = layers->ptr<TransformerDecoderLayerImpl>(i)->forward(
        output, memory, tgt_mask, memory_mask, tgt_key_padding_mask, memory_key_padding_mask,
        causal, memory_is_causal);
  }
  return norm ? norm->forward(output) : output;
}

void TransformerDecoderImpl::pretty_print(std::ostream& stream) const {
  stream << "ember::nn::TransformerDecoder(num_layers=" << options.num_layers() << ")";
}

TransformerImpl::TransformerImpl(TransformerOptions options_) : options(std::move(options_)) {
  reset();
}

void TransformerImpl::reset() {
  const auto layer_norm = [this] {
    return LayerNorm(
        LayerNormOptions({options.d_model()}).eps(options.layer_norm_eps()).bias(options.bias()));
  };
  // The encoder and decoder layers take the same settings from the Transformer's options.
  const auto layer_options = [this](auto layer) {
    return layer.dim_feedforward(options.dim_feedforward())
        .dropout(options.dropout())
        .activation(options.activation())
        .layer_norm_eps(options.layer_norm_eps())
        .batch_first(options.batch_first())
        .norm_first(options.norm_first())
        .bias(options.bias());
  };
  if (options.custom_encoder().is_empty()) {
    const TransformerEncoderLayer encoder_layer(
        layer_options(TransformerEncoderLayerOptions(options.d_model(), options.nhead())));
    encoder = AnyModule(TransformerEncoder(
        TransformerEncoderOptions(encoder_layer, options.num_encoder_layers()).norm(layer_norm())));
  } else {
    encoder = options.custom_encoder();
  }
  register_module("encoder", encoder.ptr());
  if (options.custom_decoder().is_empty()) {
    const TransformerDecoderLayer decoder_layer(
        layer_options(TransformerDecoderLayerOptions(options.d_model(), options.nhead())));
    decoder = AnyModule(TransformerDecoder(
        TransformerDecoderOptions(decoder_layer, options.num_decoder_layers()).norm(layer_norm())));
  } else {
    decoder = options.custom_decoder();
  }
  register_module("decoder", decoder.ptr());
  reset_parameters();
}

void TransformerImpl::reset_parameters() {
  for (Tensor& parameter : parameters()) {
    if (parameter.dim() > 1) init::xavier_uniform_(parameter);
  }
}

Tensor TransformerImpl::forward(const Tensor& src, const Tensor& tgt, const Tensor& src_mask,
                                const Tensor& tgt_mask, const Tensor& memory_mask,
                                const Tensor& src_key_padding_mask,
                                const Tensor& tgt_key_padding_mask,
                                const Tensor& memory_key_padding_mask) {
  const bool batched = src.dim() == 3;
  const int64_t batch_dim = options.batch_first() ? 0 : 1;
  EMBER_CHECK(src.dim() == tgt.dim() && (!batched || src.size(batch_dim) == tgt.size(batch_dim)),
              "[Transformer] expected src and tgt with the same batch size; got shapes ",
              src.shape(), " and ", tgt.shape());
  EMBER_CHECK(src.size(-1) == options.d_model() && tgt.size(-1) == options.d_model(),
              "[Transformer] expected src and tgt with d_model = ", options.d_model(),
              " features; got shapes ", src.shape(), " and ", tgt.shape());
  const Tensor memory = encoder.forward<Tensor>(src, src_mask, src_key_padding_mask);
  return decoder.forward<Tensor>(tgt, memory, tgt_mask, memory_mask, tgt_key_padding_mask,
                                 memory_key_padding_mask);
}

Tensor TransformerImpl::generate_square_subsequent_mask(int64_t sz) {
  EMBER_CHECK_VALUE(sz >= 0, "[Transformer] expected a mask size >= 0; got ", sz);
  return triu(full({sz, sz}, -std::numeric_limits<double>::infinity()), 1);
}

void TransformerImpl::pretty_print(std::ostream& stream) const {
  stream << "ember::nn::Transformer(d_model=" << options.d_model() << ", nhead=" << options.nhead()
         << ")";
}

}  // namespace ember::nn
