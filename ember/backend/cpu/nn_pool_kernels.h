// The max-pooling row kernels, compiled once per instruction set (nn_pool_kernels.inc) and chosen
// by the kernel table's capability in pool.cpp (Note [SIMD dispatch]).
#pragma once

#include <cstdint>

namespace ember::cpu {

// One input row's pass over a run of outputs whose windows are alike: output i (0 <= i < n)
// reads row[first + i * stride + k * dilation] for k < count, all inside the row. Each candidate
// in turn replaces best[i] (and where[i] = row_start + its position in the row) when it is
// larger or NaN, as the generic kernel does, so ties and NaNs pick the same index.
struct MaxPoolRun {
  int64_t first, stride, count, dilation, n;
};

template <typename T>
using MaxPoolRowKernel = void (*)(const T* row, int64_t row_start, const MaxPoolRun& run, T* best,
                                  int64_t* where);

#define EMBER_DECLARE_MAX_POOL_ROW(isa)                                                        \
  namespace isa {                                                                              \
  void max_pool_row(const float* row, int64_t row_start, const MaxPoolRun& run, float* best,   \
                    int64_t* where);                                                           \
  void max_pool_row(const double* row, int64_t row_start, const MaxPoolRun& run, double* best, \
                    int64_t* where);                                                           \
  }
EMBER_DECLARE_MAX_POOL_ROW(generic)
EMBER_DECLARE_MAX_POOL_ROW(avx2)
EMBER_DECLARE_MAX_POOL_ROW(avx512)
#undef EMBER_DECLARE_MAX_POOL_ROW

}  // namespace ember::cpu
