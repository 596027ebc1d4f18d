// Primitives of the embedding family (see primitives.h for the contract): the row lookup and its
// dedicated dense gradient. embedding_bag, the max_norm renormalisation and the frequency counts
// are composites in ops/nn_embedding.cpp.
#pragma once

#include <cstdint>

#include "ember/ops/primitive.h"

namespace ember {

// inputs: weight (contiguous, (num_weights, dim), any dtype), indices (contiguous int64, each in
// [0, num_weights)); outputs: indices.shape + (dim,), weight's dtype: out[i] = weight[indices[i]].
// padding_idx (-1: none) and scale_grad_by_freq only shape the gradient.
class Embedding final : public Primitive {
 public:
  EMBER_PRIMITIVE(Embedding, Embedding)
  Embedding(int64_t padding_idx, bool scale_grad_by_freq)
      : padding_idx_(padding_idx), scale_grad_by_freq_(scale_grad_by_freq) {}
  int64_t padding_idx() const { return padding_idx_; }
  bool scale_grad_by_freq() const { return scale_grad_by_freq_; }
  std::string_view name() const override { return "embedding"; }
  void eval_cpu(TensorSpan inputs, TensorSpan outputs) const override;

 private:
  int64_t padding_idx_;
  bool scale_grad_by_freq_;
};

// inputs: grad (contiguous, (n, dim), float32 or float64), indices (contiguous int64, n values in
// range); outputs: (num_weights, dim), grad's dtype: row r = the sum of grad[i] over indices[i] ==
// r, in index order (deterministic), none for r == padding_idx, each divided by the number of
// times r occurs when scale_grad_by_freq.
class EmbeddingBackward final : public Primitive {
 public:
  EMBER_PRIMITIVE(EmbeddingBackward, EmbeddingBackward)
  EmbeddingBackward(int64_t padding_idx, bool scale_grad_by_freq)
      : padding_idx_(padding_idx), scale_grad_by_freq_(scale_grad_by_freq) {}
  int64_t padding_idx() const { return padding_idx_; }
  bool scale_grad_by_freq() const { return scale_grad_by_freq_; }
  std::string_view name() const override { return "embedding_dense_backward"; }
  void eval_cpu(TensorSpan inputs, TensorSpan outputs) const override;

 private:
  int64_t padding_idx_;
  bool scale_grad_by_freq_;
};

}  // namespace ember
