// The softmax/log_softmax kernels, compiled once per instruction set (nn_softmax_kernels.inc)
// and chosen by the kernel table's capability in nn_softmax.cpp (Note [SIMD dispatch]).
#pragma once

#include <cstdint>

#include "ember/tensor/tensor.h"

namespace ember::cpu {

// y = softmax (or log_softmax) of x along dim; x and y contiguous, of one floating dtype.
using SoftmaxKernel = void (*)(const Tensor& x, const Tensor& y, int64_t dim, bool log);

#define EMBER_DECLARE_SOFTMAX(isa)                                              \
  namespace isa {                                                               \
  void softmax_kernel(const Tensor& x, const Tensor& y, int64_t dim, bool log); \
  }
EMBER_DECLARE_SOFTMAX(generic)
EMBER_DECLARE_SOFTMAX(avx2)
EMBER_DECLARE_SOFTMAX(avx512)
#undef EMBER_DECLARE_SOFTMAX

}  // namespace ember::cpu
