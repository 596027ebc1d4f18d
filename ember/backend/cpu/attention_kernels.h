// The fused attention kernels (forward and backward), compiled once per instruction set
// (attention_kernels.inc) and chosen by the kernel table's capability in attention.cpp
// (Note [SIMD dispatch], Note [fused attention]).
#pragma once

#include <cstdint>

#include "ember/base/philox.h"

namespace ember::cpu {

// Sizes and the mask's layout of one call: `batch` (batch * heads) independent problems of
// query (L, E), key (S, E), value (S, Ev), contiguous. The mask, where present, is read at
// mask_offsets[b] + i * mask_row_stride + j * mask_col_stride (elements) for problem b, query i,
// key j: bool (keep) when mask_is_bool, else the data's type (added to the scores). With
// dropout_p > 0 the weight of (b, i, j) is kept (and scaled by 1 / (1 - dropout_p)) when word
// (b * L + i) * S + j of the Philox stream dropout_state, in fill_bernoulli_f32's layout, draws
// below 1 - dropout_p: forward and backward regenerate the same mask, which is never stored.
struct AttentionShape {
  int64_t batch, L, S, E, Ev;
  double scale;
  bool is_causal;
  const void* mask;
  const int64_t* mask_offsets;
  int64_t mask_row_stride, mask_col_stride;
  bool mask_is_bool;
  double dropout_p = 0.0;
  PhiloxState dropout_state = {0, 0};
};

// out (batch, L, Ev) and lse (batch, L) from q, k, v.
template <typename T>
using AttentionForwardKernel = void (*)(const AttentionShape& shape, const T* q, const T* k,
                                        const T* v, T* out, T* lse);
// grad_q, grad_k, grad_v (the shapes of q, k, v) from grad_out and the forward's values.
template <typename T>
using AttentionBackwardKernel = void (*)(const AttentionShape& shape, const T* grad_out, const T* q,
                                         const T* k, const T* v, const T* out, const T* lse,
                                         T* grad_q, T* grad_k, T* grad_v);

#define EMBER_DECLARE_ATTENTION(isa)                                                              \
  namespace isa {                                                                                 \
  void attention_forward(const AttentionShape& shape, const float* q, const float* k,             \
                         const float* v, float* out, float* lse);                                 \
  void attention_forward(const AttentionShape& shape, const double* q, const double* k,           \
                         const double* v, double* out, double* lse);                              \
  void attention_backward(const AttentionShape& shape, const float* grad_out, const float* q,     \
                          const float* k, const float* v, const float* out, const float* lse,     \
                          float* grad_q, float* grad_k, float* grad_v);                           \
  void attention_backward(const AttentionShape& shape, const double* grad_out, const double* q,   \
                          const double* k, const double* v, const double* out, const double* lse, \
                          double* grad_q, double* grad_k, double* grad_v);                        \
  }
EMBER_DECLARE_ATTENTION(generic)
EMBER_DECLARE_ATTENTION(avx2)
EMBER_DECLARE_ATTENTION(avx512)
#undef EMBER_DECLARE_ATTENTION

}  // namespace ember::cpu
