// The inner loops of elementwise kernels: one row of n elements with byte strides, with fast
// paths for contiguous and scalar-broadcast operands that the compiler vectorizes. Included by
// the per-ISA kernel files only, into their ISA's namespace: a template instantiated with the
// same name in the AVX-512, AVX2 and baseline objects would be one COMDAT symbol, and the linker
// would keep a single copy (the first object's) for all three tables.
#pragma once

#ifndef EMBER_ISA
#error "loops.h is compiled once per instruction set: include it from a *_kernels.inc"
#endif

#include <cstdint>

#include "ember/base/half.h"
#include "ember/elementwise/plan.h"
#include "ember/tensor/dtype_visit.h"

namespace ember::cpu::EMBER_ISA {

template <typename Op, typename In, typename Out>
void unary_loop(char** data, const int64_t* strides, int64_t n, LoopArgs) {
  using M = opmath_t<In>;
  const Op op{};
  if (strides[0] == sizeof(Out) && strides[1] == sizeof(In)) {
    Out* out = reinterpret_cast<Out*>(data[0]);
    const In* in = reinterpret_cast<const In*>(data[1]);
    for (int64_t i = 0; i < n; ++i) out[i] = Out(op(static_cast<M>(in[i])));
    return;
  }
  char* out = data[0];
  const char* in = data[1];
  for (int64_t i = 0; i < n; ++i) {
    *reinterpret_cast<Out*>(out + i * strides[0]) =
        Out(op(static_cast<M>(*reinterpret_cast<const In*>(in + i * strides[1]))));
  }
}

template <typename Op, typename In, typename Out>
void binary_loop(char** data, const int64_t* strides, int64_t n, LoopArgs) {
  using M = opmath_t<In>;
  const Op op{};
  Out* out = reinterpret_cast<Out*>(data[0]);
  const In* a = reinterpret_cast<const In*>(data[1]);
  const In* b = reinterpret_cast<const In*>(data[2]);
  if (strides[0] == sizeof(Out)) {
    if (strides[1] == sizeof(In) && strides[2] == sizeof(In)) {
      for (int64_t i = 0; i < n; ++i) out[i] = Out(op(static_cast<M>(a[i]), static_cast<M>(b[i])));
      return;
    }
    if (strides[1] == sizeof(In) && strides[2] == 0) {
      const M scalar = static_cast<M>(*b);
      for (int64_t i = 0; i < n; ++i) out[i] = Out(op(static_cast<M>(a[i]), scalar));
      return;
    }
    if (strides[1] == 0 && strides[2] == sizeof(In)) {
      const M scalar = static_cast<M>(*a);
      for (int64_t i = 0; i < n; ++i) out[i] = Out(op(scalar, static_cast<M>(b[i])));
      return;
    }
  }
  for (int64_t i = 0; i < n; ++i) {
    const M left = static_cast<M>(*reinterpret_cast<const In*>(data[1] + i * strides[1]));
    const M right = static_cast<M>(*reinterpret_cast<const In*>(data[2] + i * strides[2]));
    *reinterpret_cast<Out*>(data[0] + i * strides[0]) = Out(op(left, right));
  }
}

}  // namespace ember::cpu::EMBER_ISA
