// The folds of the Reduce primitive: Acc is the accumulate type, load converts one element to it,
// fold is associative and commutative (up to rounding) with identity() as its neutral element.
// Included by reduce_kernels.inc and arg_reduce_kernels.inc into their ISA's namespace (see
// loops.h for why).
#pragma once

#ifndef EMBER_ISA
#error "reduce_folds.h is compiled once per instruction set: include it from a *_kernels.inc"
#endif

#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "ember/tensor/dtype_visit.h"

namespace ember::cpu::EMBER_ISA {

template <typename A>
bool is_nan(A value) {
  if constexpr (std::is_floating_point_v<A>) {
    return std::isnan(value);
  } else {
    return false;
  }
}

// Integer sums and products wrap around in int64 like PyTorch's, computed unsigned to avoid UB.
template <typename T>
using WideAcc = std::conditional_t<std::is_integral_v<T>, int64_t, opmath_t<T>>;

template <typename T>
struct SumFold {
  using In = T;
  using Acc = WideAcc<T>;
  static Acc identity() { return Acc(0); }
  static Acc load(T x) { return static_cast<Acc>(static_cast<opmath_t<T>>(x)); }
  static Acc fold(Acc a, Acc b) {
    if constexpr (std::is_integral_v<Acc>) {
      return static_cast<Acc>(static_cast<uint64_t>(a) + static_cast<uint64_t>(b));
    } else {
      return a + b;
    }
  }
};

// A sum of x * x (the 2-norm's); the square rounds before the add, with no FMA contraction (the
// reduce kernels compile with -ffp-contract=off), so every kernel table gives the same bits.
template <typename T>
struct SumSquaresFold {
  using In = T;
  using Acc = WideAcc<T>;
  static Acc identity() { return Acc(0); }
  static Acc load(T x) {
    const Acc value = SumFold<T>::load(x);
    if constexpr (std::is_integral_v<Acc>) {
      return static_cast<Acc>(static_cast<uint64_t>(value) * static_cast<uint64_t>(value));
    } else {
      return value * value;
    }
  }
  static Acc fold(Acc a, Acc b) { return SumFold<T>::fold(a, b); }
};

template <typename T>
struct ProdFold {
  using In = T;
  using Acc = WideAcc<T>;
  static Acc identity() { return Acc(1); }
  static Acc load(T x) { return static_cast<Acc>(static_cast<opmath_t<T>>(x)); }
  static Acc fold(Acc a, Acc b) {
    if constexpr (std::is_integral_v<Acc>) {
      return static_cast<Acc>(static_cast<uint64_t>(a) * static_cast<uint64_t>(b));
    } else {
      return a * b;
    }
  }
};

// NaN is sticky: once an accumulator holds NaN, nothing replaces it. Folds use | and & rather
// than || and && so that the loops have no branches and vectorize.
template <typename T>
struct MaxFold {
  using In = T;
  using Acc = opmath_t<T>;
  static Acc identity() {
    if constexpr (std::is_floating_point_v<Acc>) {
      return -std::numeric_limits<Acc>::infinity();
    } else {
      return std::numeric_limits<Acc>::lowest();
    }
  }
  static Acc load(T x) { return static_cast<Acc>(x); }
  static Acc fold(Acc a, Acc b) { return ((b > a) | is_nan(b)) ? b : a; }
};

template <typename T>
struct MinFold {
  using In = T;
  using Acc = opmath_t<T>;
  static Acc identity() {
    if constexpr (std::is_floating_point_v<Acc>) {
      return std::numeric_limits<Acc>::infinity();
    } else {
      return std::numeric_limits<Acc>::max();
    }
  }
  static Acc load(T x) { return static_cast<Acc>(x); }
  static Acc fold(Acc a, Acc b) { return ((b < a) | is_nan(b)) ? b : a; }
};

template <typename T>
struct AllFold {
  using In = T;
  using Acc = bool;
  static Acc identity() { return true; }
  static Acc load(T x) { return convert<bool>(x); }
  static Acc fold(Acc a, Acc b) { return a & b; }
};

template <typename T>
struct AnyFold {
  using In = T;
  using Acc = bool;
  static Acc identity() { return false; }
  static Acc load(T x) { return convert<bool>(x); }
  static Acc fold(Acc a, Acc b) { return a | b; }
};

template <typename T, bool kContiguous>
T element(const char* data, int64_t i, int64_t stride) {
  if constexpr (kContiguous) {
    return reinterpret_cast<const T*>(data)[i];
  } else {
    return *reinterpret_cast<const T*>(data + i * stride);
  }
}

}  // namespace ember::cpu::EMBER_ISA
