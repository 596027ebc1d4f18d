// Shared by the scan-family kernels (scan.cpp, scan_sort.cpp): walking the rows of tensors along
// one dim, and the order-preserving unsigned keys that sorting, selection and binary search
// compare (Note [scan order] in ops/primitives_scan.h; the keys themselves are in
// base/sort_key.h, shared with the CUDA kernels).
#pragma once

#include <bit>
#include <cstdint>
#include <initializer_list>
#include <type_traits>

#include "ember/base/half.h"
#include "ember/base/parallel.h"
#include "ember/base/small_vector.h"
#include "ember/base/sort_key.h"
#include "ember/base/strided_walk.h"
#include "ember/tensor/tensor.h"

namespace ember::cpu {

// The rows of N tensors along `dim` (their other dims agree): row r starts at offset(r, i) of
// tensor i and steps by step[i] elements.
template <int N>
struct Rows {
  SmallVector<StridedDim<N>, 6> outer;  // innermost first, coalesced
  int64_t count = 1;
  int64_t step[N] = {};

  Rows(std::initializer_list<const Tensor*> tensors, int64_t dim) {
    const Tensor& first = **tensors.begin();
    for (int64_t d = first.dim() - 1; d >= 0; --d) {
      if (d == dim) continue;
      StridedDim<N> entry{first.shape()[d], {}};
      int i = 0;
      for (const Tensor* t : tensors) entry.strides[i++] = t->strides()[d];
      outer.push_back(entry);
      count *= entry.size;
    }
    int i = 0;
    for (const Tensor* t : tensors) step[i++] = t->dim() == 0 ? 1 : t->strides()[dim];
    coalesce_dims(outer);
  }

  // Calls body(offsets) for every row, rows split across threads when each costs `work`.
  template <typename Body>
  void for_each(int64_t work, Body&& body) const {
    if (count == 0) return;
    const int64_t grain = std::max<int64_t>(1, kGrain / std::max<int64_t>(1, work));
    parallel_for(0, count, grain, [&](int64_t begin, int64_t end) {
      StridedWalker<N> walk(outer, begin);
      int64_t offsets[N];
      for (int64_t r = begin; r < end; ++r, walk.next()) {
        for (int i = 0; i < N; ++i) offsets[i] = walk.offset(i);
        body(offsets);
      }
    });
  }
};

using ember::is_nan_key;
using ember::key_t;
using ember::sort_key;

// The value of a key that no zero or NaN produced (those map back ambiguously).
template <typename T>
inline T from_sort_key(key_t<T> key) {
  using K = key_t<T>;
  if constexpr (std::is_same_v<T, bool>) {
    return key != 0;
  } else if constexpr (std::is_integral_v<T> && std::is_unsigned_v<T>) {
    return key;
  } else if constexpr (std::is_integral_v<T>) {
    return static_cast<T>(static_cast<K>(key ^ (K{1} << (sizeof(K) * 8 - 1))));
  } else {
    constexpr K sign = K{1} << (sizeof(K) * 8 - 1);
    const K bits = (key & sign) ? static_cast<K>(key & ~sign) : static_cast<K>(~key);
    if constexpr (std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>) {
      return T::from_bits(bits);
    } else {
      return std::bit_cast<T>(bits);
    }
  }
}

}  // namespace ember::cpu
