// ember::nn::functional's embedding and embedding_bag, as libtorch's
// torch/nn/functional/embedding.h: each forwards its options to the ember:: op
// (ember/ops/nn_embedding.h), which holds the math.
#pragma once

#include <optional>

#include "ember/nn/options/embedding.h"
#include "ember/ops/nn_embedding.h"

namespace ember::nn::functional {

inline Tensor embedding(const Tensor& input, const Tensor& weight,
                        const EmbeddingFuncOptions& options = {}) {
  return ember::embedding_functional(input, weight, options.padding_idx(), options.max_norm(),
                                     options.norm_type(), options.scale_grad_by_freq(),
                                     options.sparse());
}

inline Tensor embedding_bag(const Tensor& input, const Tensor& weight,
                            const EmbeddingBagFuncOptions& options = {}) {
  const auto defined_or_none = [](const Tensor& t) {
    return t.defined() ? std::optional<Tensor>(t) : std::nullopt;
  };
  return ember::embedding_bag_functional(
      input, weight, defined_or_none(options.offsets()), options.max_norm(), options.norm_type(),
      options.scale_grad_by_freq(), embedding_bag_mode_name(options.mode()), options.sparse(),
      defined_or_none(options.per_sample_weights()), options.include_last_offset(),
      options.padding_idx());
}

}  // namespace ember::nn::functional
