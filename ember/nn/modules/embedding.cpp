// The embedding layers of embedding.h.
#include "ember/nn/modules/embedding.h"

#include <optional>

#include "ember/autograd/grad_mode.h"
#include "ember/base/error.h"
#include "ember/nn/functional/embedding.h"
#include "ember/ops/nn_init.h"
#include "ember/ops/ops.h"

namespace ember::nn {
namespace {

// A padding_idx counted from the end becomes a row number, checked against the table.
std::optional<int64_t> checked_padding_idx(std::optional<int64_t> padding_idx,
                                           int64_t num_embeddings) {
  if (!padding_idx) return padding_idx;
  EMBER_CHECK_VALUE(*padding_idx < num_embeddings && *padding_idx >= -num_embeddings,
                    "[Embedding] Padding_idx must be within num_embeddings: got padding_idx ",
                    *padding_idx, " for ", num_embeddings, " embeddings");
  return *padding_idx < 0 ? *padding_idx + num_embeddings : *padding_idx;
}

// Registers `given` (checked against the options' shape) or a fresh table as "weight".
Tensor register_weight(Module& module, const Tensor& given, int64_t rows, int64_t cols) {
  if (!given.defined()) return module.register_parameter("weight", empty({rows, cols}));
  EMBER_CHECK_VALUE(given.dim() == 2 && given.size(0) == rows && given.size(1) == cols,
                    "[Embedding] Shape of weight does not match num_embeddings and embedding_dim: "
                    "expected [",
                    rows, ", ", cols, "]; got ", given.shape());
  return module.register_parameter("weight", given);
}

void reset_table(Tensor& weight, std::optional<int64_t> padding_idx) {
  init::normal_(weight);
  if (padding_idx) {
    NoGradGuard no_grad;
    weight.select(0, *padding_idx).fill_(0);
  }
}

void print_optional(std::ostream& stream, const char* name, const auto& value) {
  if (value) stream << ", " << name << "=" << *value;
}

}  // namespace

EmbeddingImpl::EmbeddingImpl(EmbeddingOptions options_) : options(std::move(options_)) { reset(); }

void EmbeddingImpl::reset() {
  options.padding_idx(checked_padding_idx(options.padding_idx(), options.num_embeddings()));
  weight =
      register_weight(*this, options._weight(), options.num_embeddings(), options.embedding_dim());
  if (!options._weight().defined()) reset_parameters();
}

void EmbeddingImpl::reset_parameters() { reset_table(weight, options.padding_idx()); }

Tensor EmbeddingImpl::forward(const Tensor& input) {
  return functional::embedding(input, weight,
                               functional::EmbeddingFuncOptions()
                                   .padding_idx(options.padding_idx())
                                   .max_norm(options.max_norm())
                                   .norm_type(options.norm_type())
                                   .scale_grad_by_freq(options.scale_grad_by_freq())
                                   .sparse(options.sparse()));
}

void EmbeddingImpl::pretty_print(std::ostream& stream) const {
  stream << std::boolalpha << "ember::nn::Embedding(num_embeddings=" << options.num_embeddings()
         << ", embedding_dim=" << options.embedding_dim();
  print_optional(stream, "padding_idx", options.padding_idx());
  print_optional(stream, "max_norm", options.max_norm());
  if (options.norm_type() != 2.0) stream << ", norm_type=" << options.norm_type();
  if (options.scale_grad_by_freq()) stream << ", scale_grad_by_freq=true";
  if (options.sparse()) stream << ", sparse=true";
  stream << ")";
}

Embedding Embedding::from_pretrained(const Tensor& embeddings,
                                     const EmbeddingFromPretrainedOptions& options) {
  EMBER_CHECK_VALUE(embeddings.dim() == 2,
                    "[Embedding::from_pretrained] Embeddings parameter is expected to be "
                    "2-dimensional; got shape ",
                    embeddings.shape());
  Embedding embedding(EmbeddingOptions(embeddings.size(0), embeddings.size(1))
                          ._weight(embeddings)
                          .padding_idx(options.padding_idx())
                          .max_norm(options.max_norm())
                          .norm_type(options.norm_type())
                          .scale_grad_by_freq(options.scale_grad_by_freq())
                          .sparse(options.sparse()));
  embedding->weight.set_requires_grad(!options.freeze());
  return embedding;
}

EmbeddingBagImpl::EmbeddingBagImpl(EmbeddingBagOptions options_) : options(std::move(options_)) {
  reset();
}

void EmbeddingBagImpl::reset() {
  options.padding_idx(checked_padding_idx(options.padding_idx(), options.num_embeddings()));
  weight =
      register_weight(*this, options._weight(), options.num_embeddings(), options.embedding_dim());
  if (!options._weight().defined()) reset_parameters();
}

void EmbeddingBagImpl::reset_parameters() { reset_table(weight, options.padding_idx()); }

Tensor EmbeddingBagImpl::forward(const Tensor& input, const Tensor& offsets,
                                 const Tensor& per_sample_weights) {
  return functional::embedding_bag(input, weight,
                                   functional::EmbeddingBagFuncOptions()
                                       .offsets(offsets)
                                       .max_norm(options.max_norm())
                                       .norm_type(options.norm_type())
                                       .scale_grad_by_freq(options.scale_grad_by_freq())
                                       .mode(options.mode())
                                       .sparse(options.sparse())
                                       .per_sample_weights(per_sample_weights)
                                       .include_last_offset(options.include_last_offset())
                                       .padding_idx(options.padding_idx()));
}

void EmbeddingBagImpl::pretty_print(std::ostream& stream) const {
  stream << std::boolalpha << "ember::nn::EmbeddingBag(num_embeddings=" << options.num_embeddings()
         << ", embedding_dim=" << options.embedding_dim();
  print_optional(stream, "max_norm", options.max_norm());
  if (options.norm_type() != 2.0) stream << ", norm_type=" << options.norm_type();
  if (options.scale_grad_by_freq()) stream << ", scale_grad_by_freq=true";
  if (options.sparse()) stream << ", sparse=true";
  stream << ", mode=" << embedding_bag_mode_name(options.mode());
  if (options.include_last_offset()) stream << ", include_last_offset=true";
  print_optional(stream, "padding_idx", options.padding_idx());
  stream << ")";
}

EmbeddingBag EmbeddingBag::from_pretrained(const Tensor& embeddings,
                                           const EmbeddingBagFromPretrainedOptions& options) {
  EMBER_CHECK_VALUE(embeddings.dim() == 2,
                    "[EmbeddingBag::from_pretrained] Embeddings parameter is expected to be "
                    "2-dimensional; got shape ",
                    embeddings.shape());
  EmbeddingBag bag(EmbeddingBagOptions(embeddings.size(0), embeddings.size(1))
                       ._weight(embeddings)
                       .max_norm(options.max_norm())
                       .norm_type(options.norm_type())
                       .scale_grad_by_freq(options.scale_grad_by_freq())
                       .mode(options.mode())
                       .sparse(options.sparse())
                       .include_last_offset(options.include_last_offset())
                       .padding_idx(options.padding_idx()));
  bag->weight.set_requires_grad(!options.freeze());
  return bag;
}

}  // namespace ember::nn
