// Function-pointer tables of the elementwise loops, one table per instruction set. The table for
// the widest ISA this CPU supports is chosen once at start-up (Note [SIMD dispatch]).
#pragma once

#include "ember/elementwise/plan.h"
#include "ember/ops/primitives.h"

namespace ember::cpu {

struct KernelTable {
  const char* isa;
  ElementwiseLoop unary[kNumUnaryOps][kNumScalarTypes];
  ElementwiseLoop binary[kNumBinaryOps][kNumScalarTypes];  // indexed by the input type
};

// Filled by unary_kernels.inc and binary_kernels.inc, compiled once per ISA.
namespace generic {
void fill_unary(KernelTable& table);
void fill_binary(KernelTable& table);
}  // namespace generic
namespace avx2 {
void fill_unary(KernelTable& table);
void fill_binary(KernelTable& table);
}  // namespace avx2
namespace avx512 {
void fill_unary(KernelTable& table);
void fill_binary(KernelTable& table);
}  // namespace avx512

const KernelTable& kernels();

}  // namespace ember::cpu
