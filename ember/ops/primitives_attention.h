// Primitives of scaled_dot_product_attention's fused kernel (see primitives.h for the contract;
// Note [fused attention] in docs/architecture.md).
#pragma once

#include "ember/base/philox.h"
#include "ember/ops/primitive.h"

namespace ember {

// inputs: query (B, L, E), key (B, S, E), value (B, S, Ev), all contiguous, float32 or float64,
// the B batch*heads flattened; then, when has_mask, the mask expanded (not copied) to
// (batch..., L, S), bool (true = keep) or query's dtype (added to the scores). outputs: out
// (B, L, Ev) and the row log-sum-exp of the scaled, masked scores, lse (B, L), -inf for a row
// whose keys are all masked (its output row is 0). No L x S matrix is formed: key blocks are
// folded into each query block with an online softmax. dropout_p in [0, 1) drops weights by the
// counter-based mask of the Philox stream dropout_state (cpu::AttentionShape), the layout of a
// bernoulli_(1 - dropout_p) fill of the (B, L, S) weights, so the backward redraws it.
class ScaledDotProductAttention final : public Primitive {
 public:
  EMBER_PRIMITIVE(ScaledDotProductAttention, ScaledDotProductAttention)
  ScaledDotProductAttention(double scale, bool is_causal, bool has_mask, double dropout_p = 0.0,
                            PhiloxState dropout_state = {0, 0})
      : scale_(scale),
        is_causal_(is_causal),
        has_mask_(has_mask),
        dropout_p_(dropout_p),
        dropout_state_(dropout_state) {}
  double scale() const { return scale_; }
  bool is_causal() const { return is_causal_; }
  bool has_mask() const { return has_mask_; }
  double dropout_p() const { return dropout_p_; }
  PhiloxState dropout_state() const { return dropout_state_; }
  std::string_view name() const override { return "scaled_dot_product_attention"; }
  void eval_cpu(TensorSpan inputs, TensorSpan outputs) const override;

 private:
  double scale_;
  bool is_causal_;
  bool has_mask_;
  double dropout_p_;
  PhiloxState dropout_state_;
};

// The gradient of ScaledDotProductAttention (first order only: create_graph differentiates the
// composite of autograd/derivatives_attention.cpp). inputs: grad_out (B, L, Ev, contiguous),
// query, key, value, out, lse, then the mask when has_mask, as the forward's; outputs: grad_query,
// grad_key, grad_value (the shapes of query, key, value). The probabilities are recomputed block
// by block from lse, and the dropout mask from dropout_state.
class ScaledDotProductAttentionBackward final : public Primitive {
 public:
  EMBER_PRIMITIVE(ScaledDotProductAttentionBackward, ScaledDotProductAttentionBackward)
  ScaledDotProductAttentionBackward(double scale, bool is_causal, bool has_mask,
                                    double dropout_p = 0.0, PhiloxState dropout_state = {0, 0})
      : scale_(scale),
        is_causal_(is_causal),
        has_mask_(has_mask),
        dropout_p_(dropout_p),
        dropout_state_(dropout_state) {}
  double scale() const { return scale_; }
  bool is_causal() const { return is_causal_; }
  bool has_mask() const { return has_mask_; }
  double dropout_p() const { return dropout_p_; }
  PhiloxState dropout_state() const { return dropout_state_; }
  std::string_view name() const override { return "scaled_dot_product_attention_backward"; }
  void eval_cpu(TensorSpan inputs, TensorSpan outputs) const override;

 private:
  double scale_;
  bool is_causal_;
  bool has_mask_;
  double dropout_p_;
  PhiloxState dropout_state_;
};

}  // namespace ember
