// ScaledDotProductAttention and its backward on the CUDA device as a composite of ember ops (the
// math path): the scores q k^T through ember::matmul (cuBLAS on CUDA tensors), the mask and
// causality by where/add, the row log-sum-exp by amax and sum, the dropout multipliers from a
// RandomFill on the primitive's Philox state (the CPU kernel's mask bit for bit), then the
// products with v. Unlike the CPU's fused kernel it forms the (B, L, S) scores; the outputs and
// the lse the backward reads are the primitive's own. Device-neutral: runtime/cuda_attention.cpp
// registers it for CUDA tensors and kernel_emulation_seq_test.cpp runs it on CPU tensors against
// eval_cpu. No value is read on the host. The kernel receives the call's tensors, which may take
// part in autograd: everything is detached first, so the inner ops record nothing (the backend
// sits below the autograd layer, which owns the grad mode).
#pragma once

#include <cstdint>
#include <limits>

#include "ember/ops/dispatch.h"
#include "ember/ops/ops.h"
#include "ember/ops/primitives.h"
#include "ember/ops/primitives_attention.h"
#include "ember/tensor/tensor.h"

namespace ember::cuda {

inline constexpr double kAttentionInfinity = std::numeric_limits<double>::infinity();

// A 0-dim tensor of `like`'s dtype on its device: an op's operands share one device, so a Scalar
// (wrapped on the CPU) cannot meet a CUDA tensor.
inline Tensor scalar_like(double value, const Tensor& like) {
  return full({}, Scalar(value), TensorOptions(like.dtype()).device(like.device()));
}

// The scaled, masked scores (B, L, S): q k^T * scale, then the mask (bool: keep, else added) and
// causality (key j of query i kept for j <= i, top-left aligned, as the CPU kernel's).
template <class Attention>
Tensor attention_scores(const Attention& op, const Tensor& q, const Tensor& k, const Tensor* mask) {
  const int64_t batch = q.size(0), queries = q.size(1), keys = k.size(1);
  Tensor scores = matmul(q, k.transpose(1, 2));
  scores = scores.mul(scalar_like(op.scale(), scores));
  const Tensor minus_infinity = scalar_like(-kAttentionInfinity, scores);
  if (mask != nullptr) {
    const Tensor shaped = mask->reshape({batch, queries, keys});
    scores = shaped.dtype() == kBool ? where(shaped, scores, minus_infinity) : scores.add(shaped);
  }
  if (op.is_causal()) {
    const TensorOptions index = TensorOptions(kInt64).device(q.device());
    const Tensor causal =
        arange(Scalar(keys), index).le(arange(Scalar(queries), index).unsqueeze(1));
    scores = where(causal, scores, minus_infinity);
  }
  return scores;
}

// The row log-sum-exp (B, L, 1) of the scores, -inf for a row whose keys are all masked (the
// shift by the row maximum is 0 there, so no -inf - -inf NaN appears).
inline Tensor attention_lse(const Tensor& scores) {
  const Tensor row_max = amax(scores, {-1}, true);
  const Tensor shift = where(row_max.eq(scalar_like(-kAttentionInfinity, row_max)),
                             scalar_like(0.0, row_max), row_max);
  return sum(scores.sub(shift).exp(), {-1}, true).log().add(shift);
}

// The softmax probabilities exp(scores - lse), lse (B, L, 1); a fully masked row (lse = -inf)
// reads lse as +inf, so its probabilities are 0 as the CPU kernel's.
inline Tensor attention_probs(const Tensor& scores, const Tensor& lse) {
  const Tensor shift = where(lse.eq(scalar_like(-kAttentionInfinity, lse)),
                             scalar_like(kAttentionInfinity, lse), lse);
  return scores.sub(shift).exp();
}

// The dropout multipliers Z (B, L, S) of the dtype: 1 / (1 - p) where the bernoulli_(1 - p) fill
// of the primitive's state keeps the weight, else 0 (cpu::AttentionShape's layout).
template <class Attention>
Tensor attention_dropout(const Attention& op, const Tensor& scores) {
  const double keep = 1.0 - op.dropout_p();
  const Tensor kept = empty(scores.shape(), TensorOptions(kFloat32).device(scores.device()));
  run(RandomFill(RandomFill::Distribution::Bernoulli, keep, 0.0, op.dropout_state()), {}, {kept});
  const Tensor multipliers = kept.to(scores.dtype());
  return multipliers.mul(scalar_like(1.0 / keep, multipliers));
}

inline void attention_forward(const ScaledDotProductAttention& op, TensorSpan inputs,
                              TensorSpan outputs) {
  const Tensor q = inputs[0].detach(), k = inputs[1].detach(), v = inputs[2].detach();
  Tensor out = outputs[0].detach(), lse = outputs[1].detach();
  if (q.size(0) == 0 || q.size(1) == 0) return;
  // No keys: every row is masked.
  if (k.size(1) == 0) {
    out.fill_(0);
    lse.fill_(Scalar(-kAttentionInfinity));
    return;
  }
  const Tensor mask = op.has_mask() ? inputs[3].detach() : Tensor();
  const Tensor scores = attention_scores(op, q, k, op.has_mask() ? &mask : nullptr);
  const Tensor row_lse = attention_lse(scores);
  Tensor weights = attention_probs(scores, row_lse);
  if (op.dropout_p() > 0) weights = weights.mul(attention_dropout(op, scores));
  out.copy_(matmul(weights, v));
  lse.copy_(row_lse.squeeze(-1));
}

// The gradient from the recomputed probabilities P (and multipliers Z): grad_v = (P Z)^T dO,
// dP = (dO v^T) Z, dS = P (dP - rowsum(dO * out)) * scale, grad_q = dS k, grad_k = dS^T q.
inline void attention_backward(const ScaledDotProductAttentionBackward& op, TensorSpan inputs,
                               TensorSpan outputs) {
  const Tensor grad_out = inputs[0].detach(), q = inputs[1].detach(), k = inputs[2].detach();
  const Tensor v = inputs[3].detach(), out = inputs[4].detach(), lse = inputs[5].detach();
  Tensor grad_q = outputs[0].detach(), grad_k = outputs[1].detach();
  Tensor grad_v = outputs[2].detach();
  if (q.size(0) == 0 || q.size(1) == 0 || k.size(1) == 0) {
    grad_q.fill_(0);
    grad_k.fill_(0);
    grad_v.fill_(0);
    return;
  }
  const Tensor mask = op.has_mask() ? inputs[6].detach() : Tensor();
  const Tensor scores = attention_scores(op, q, k, op.has_mask() ? &mask : nullptr);
  const Tensor probs = attention_probs(scores, lse.unsqueeze(-1));
  Tensor grad_probs = matmul(grad_out, v.transpose(1, 2));
  Tensor weights = probs;
  if (op.dropout_p() > 0) {
    const Tensor multipliers = attention_dropout(op, scores);
    weights = probs.mul(multipliers);
    grad_probs = grad_probs.mul(multipliers);
  }
  grad_v.copy_(matmul(weights.transpose(1, 2), grad_out));
  const Tensor delta = sum(grad_out.mul(out), {-1}, true);
  const Tensor grad_scores = probs.mul(grad_probs.sub(delta)).mul(scalar_like(op.scale(), probs));
  grad_q.copy_(matmul(grad_scores, k));
  grad_k.copy_(matmul(grad_scores.transpose(1, 2), q));
}

}  // namespace ember::cuda
