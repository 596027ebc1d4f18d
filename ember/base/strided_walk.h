// The one strided multi-index walker and dimension coalescer, shared by elementwise plans,
// reductions, indexing and matmul batches. A walk visits the positions of an index space (dims
// innermost first, the innermost fastest) and keeps one offset per operand, each operand with its
// own stride per dim (in bytes or elements: the walker does not care).
#pragma once

#include <cstdint>

#include "ember/base/small_vector.h"

namespace ember {

template <int N>
struct StridedDim {
  int64_t size;
  int64_t strides[N];  // one per operand
};

// Drops size-1 dims (a walk over them stays put) and merges each dim into the previous kept one
// when every operand steps through both as one (outer stride == inner stride * inner size), so a
// contiguous block becomes one tight loop. dims are innermost first; returns the new dim count.
template <int N>
int coalesce_dims(StridedDim<N>* dims, int ndim) {
  int kept = 0;
  for (int d = 0; d < ndim; ++d) {
    const StridedDim<N> dim = dims[d];
    if (dim.size == 1) continue;
    if (kept > 0) {
      StridedDim<N>& inner = dims[kept - 1];
      bool mergeable = true;
      for (int i = 0; i < N; ++i) mergeable &= dim.strides[i] == inner.strides[i] * inner.size;
      if (mergeable) {
        inner.size *= dim.size;
        continue;
      }
    }
    dims[kept++] = dim;
  }
  return kept;
}

template <int N, size_t M>
void coalesce_dims(SmallVector<StridedDim<N>, M>& dims) {
  dims.resize(static_cast<size_t>(coalesce_dims(dims.data(), static_cast<int>(dims.size()))));
}

// Walks dims (innermost first) from a linear position: one division per dim at construction,
// none per step. With no dims the walk has one position, at offset 0. Always inlined: kernels
// compiled for AVX2 or AVX-512 use it, and an out-of-line copy from such an object could become
// everyone's (tools/check_isa_objects.py).
template <int N>
class StridedWalker {
 public:
  [[gnu::always_inline]] StridedWalker(const StridedDim<N>* dims, int ndim, int64_t start)
      : dims_(dims), position_(static_cast<size_t>(ndim), 0) {
    for (int d = 0; d < ndim; ++d) {
      if (dims[d].size == 0) break;  // an empty space: the walk has no position to reach
      position_[d] = start % dims[d].size;
      start /= dims[d].size;
      for (int i = 0; i < N; ++i) offsets_[i] += position_[d] * dims[d].strides[i];
    }
  }
  template <size_t M>
  [[gnu::always_inline]] StridedWalker(const SmallVector<StridedDim<N>, M>& dims, int64_t start)
      : StridedWalker(dims.data(), static_cast<int>(dims.size()), start) {}

  int64_t offset(int operand) const { return offsets_[operand]; }
  // The coordinate along dim d.
  int64_t index(int d) const { return position_[d]; }
  // Positions left along the innermost dim, this one included.
  int64_t row_remaining() const { return dims_[0].size - position_[0]; }

  [[gnu::always_inline]] void next() { advance(1); }
  // Moves `count` positions forward, count <= row_remaining() (a whole rest of a row at most).
  [[gnu::always_inline]] void advance(int64_t count) {
    if (position_.empty()) return;
    for (int i = 0; i < N; ++i) offsets_[i] += count * dims_[0].strides[i];
    position_[0] += count;
    for (size_t d = 0; position_[d] == dims_[d].size;) {
      for (int i = 0; i < N; ++i) offsets_[i] -= dims_[d].size * dims_[d].strides[i];
      position_[d] = 0;
      if (++d == position_.size()) return;
      for (int i = 0; i < N; ++i) offsets_[i] += dims_[d].strides[i];
      ++position_[d];
    }
  }

 private:
  const StridedDim<N>* dims_;
  SmallVector<int64_t, 8> position_;
  int64_t offsets_[N] = {};
};

}  // namespace ember
