// The normalization kernels (layer_norm, batch_norm, group_norm and their backwards), compiled
// once per instruction set (nn_norm_kernels.inc) and chosen by the kernel table's capability in
// nn_norm.cpp (Note [SIMD dispatch]).
#pragma once

#include "ember/ops/primitives_nn_norm.h"

namespace ember::cpu {

// One entry per primitive: the eval_cpu body for float32 and float64 inputs.
struct NormKernels {
  void (*layer_norm)(const LayerNorm& op, TensorSpan inputs, TensorSpan outputs);
  void (*layer_norm_backward)(const LayerNormBackward& op, TensorSpan inputs, TensorSpan outputs);
  void (*batch_norm)(const BatchNorm& op, TensorSpan inputs, TensorSpan outputs);
  void (*batch_norm_backward)(const BatchNormBackward& op, TensorSpan inputs, TensorSpan outputs);
  void (*group_norm)(const GroupNorm& op, TensorSpan inputs, TensorSpan outputs);
  void (*group_norm_backward)(const GroupNormBackward& op, TensorSpan inputs, TensorSpan outputs);
};

#define EMBER_DECLARE_NORM_KERNELS(isa) \
  namespace isa {                       \
  NormKernels norm_kernels();           \
  }
EMBER_DECLARE_NORM_KERNELS(generic)
EMBER_DECLARE_NORM_KERNELS(avx2)
EMBER_DECLARE_NORM_KERNELS(avx512)
#undef EMBER_DECLARE_NORM_KERNELS

}  // namespace ember::cpu
