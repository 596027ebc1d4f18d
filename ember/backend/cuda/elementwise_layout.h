// How an elementwise kernel walks its operands: the output's shape with broadcast inputs at
// stride 0, size-1 dims dropped and dims that are contiguous in every operand merged, so most
// launches see one or two dims. Built on the host from tensors; the kernels
// (elementwise_kernels.cuh) see only its OffsetCalculator, a fixed-size struct passed by value.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string_view>

#include "ember/base/host_device.h"

namespace ember {
class Tensor;
}

namespace ember::cuda {

inline constexpr int kMaxKernelDims = 12;
inline constexpr int kMaxKernelOperands = 4;  // where: out, condition, x, y

// Maps a linear element index to each operand's element offset. Index is int32_t when every
// offset fits in it (cheaper division on the device), int64_t otherwise.
template <int N, typename Index>
struct OffsetCalculator {
  int ndim;
  Index sizes[kMaxKernelDims];       // innermost first
  Index strides[kMaxKernelDims][N];  // in elements, per operand

  EMBER_INLINE void get(Index linear, Index (&offset)[N]) const {
    for (int k = 0; k < N; ++k) offset[k] = 0;
    for (int d = 0; d < ndim; ++d) {
      const Index i = linear % sizes[d];
      linear /= sizes[d];
      for (int k = 0; k < N; ++k) offset[k] += i * strides[d][k];
    }
  }
};

// Dims innermost first with each operand's element strides; add_outer merges a dim into the
// previous one when every operand steps over it by exactly the previous one's extent.
template <int N>
struct DimWalk {
  int ndim = 0;
  int64_t sizes[kMaxKernelDims] = {};
  int64_t strides[kMaxKernelDims][N] = {};

  // False when the dim needs a place past kMaxKernelDims. Size-1 dims are dropped.
  bool add_outer(int64_t size, const int64_t (&dim_strides)[N]) {
    if (size == 1) return true;
    if (ndim > 0) {
      bool merges = true;
      for (int k = 0; k < N; ++k)
        merges &= dim_strides[k] == strides[ndim - 1][k] * sizes[ndim - 1];
      if (merges) {
        sizes[ndim - 1] *= size;
        return true;
      }
    }
    if (ndim == kMaxKernelDims) return false;
    sizes[ndim] = size;
    for (int k = 0; k < N; ++k) strides[ndim][k] = dim_strides[k];
    ++ndim;
    return true;
  }

  // Every offset the walk reaches fits in int32_t.
  bool fits_32bit() const {
    constexpr int64_t kMax32 = 0x7fffffff;
    for (int k = 0; k < N; ++k) {
      int64_t extent = 0;
      for (int d = 0; d < ndim; ++d) {
        extent += (sizes[d] - 1) * (strides[d][k] < 0 ? -strides[d][k] : strides[d][k]);
      }
      if (extent > kMax32) return false;
    }
    return true;
  }

  // The calculator for the first M operands.
  template <int M, typename Index>
  OffsetCalculator<M, Index> calculator() const {
    static_assert(M <= N);
    OffsetCalculator<M, Index> calculator{};
    calculator.ndim = ndim;
    for (int d = 0; d < ndim; ++d) {
      calculator.sizes[d] = static_cast<Index>(sizes[d]);
      for (int k = 0; k < M; ++k) calculator.strides[d][k] = static_cast<Index>(strides[d][k]);
    }
    return calculator;
  }
};

struct ElementwiseLayout {
  int num_operands = 0;  // the output first
  int64_t numel = 0;
  bool contiguous = false;  // every operand dense in the output's order, nothing broadcast
  bool fits_32bit = true;   // every offset and the element count fit in int32_t
  void* data[kMaxKernelOperands] = {};
  DimWalk<kMaxKernelOperands> dims;
};

// The layout of out = op(inputs...), each input broadcastable to out's shape. Raises for more
// than kMaxKernelDims dims that do not merge, naming op.
ElementwiseLayout make_elementwise_layout(std::string_view op, const Tensor& out,
                                          std::initializer_list<const Tensor*> inputs);

}  // namespace ember::cuda
