// Options of TransformerEncoder and TransformerDecoder (libtorch's
// torch/nn/options/transformercoder.h): the layer to repeat, how many times, and an optional
// final norm. enable_nested_tensor is accepted as PyTorch's (a fast-path hint; no effect here).
#pragma once

#include <cstdint>
#include <utility>

#include "ember/nn/arg.h"
#include "ember/nn/modules/normalization.h"
#include "ember/nn/modules/transformer_layer.h"

namespace ember::nn {

struct TransformerEncoderOptions {
  TransformerEncoderOptions(TransformerEncoderLayer encoder_layer, int64_t num_layers)
      : encoder_layer_(std::move(encoder_layer)), num_layers_(num_layers) {}
  TransformerEncoderOptions(const TransformerEncoderLayerOptions& layer_options, int64_t num_layers)
      : encoder_layer_(layer_options), num_layers_(num_layers) {}
  EMBER_ARG(TransformerEncoderLayer, encoder_layer);
  EMBER_ARG(int64_t, num_layers);
  EMBER_ARG(LayerNorm, norm) = nullptr;
  EMBER_ARG(bool, enable_nested_tensor) = true;
};

struct TransformerDecoderOptions {
  TransformerDecoderOptions(TransformerDecoderLayer decoder_layer, int64_t num_layers)
      : decoder_layer_(std::move(decoder_layer)), num_layers_(num_layers) {}
  TransformerDecoderOptions(const TransformerDecoderLayerOptions& layer_options, int64_t num_layers)
      : decoder_layer_(layer_options), num_layers_(num_layers) {}
  EMBER_ARG(TransformerDecoderLayer, decoder_layer);
  EMBER_ARG(int64_t, num_layers);
  EMBER_ARG(LayerNorm, norm) = nullptr;
};

}  // namespace ember::nn
