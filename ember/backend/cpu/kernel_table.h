// Function-pointer tables of the elementwise loops and the reductions, one table per instruction
// set. The table for the widest ISA this CPU supports (or the one EMBER_CPU_CAPABILITY names) is
// chosen once, at first use (Note [SIMD dispatch]).
#pragma once

#include <optional>
#include <string_view>

#include "ember/elementwise/plan.h"
#include "ember/ops/primitives.h"

namespace ember::cpu {

// The instruction sets kernels are compiled for, narrowest first.
enum class CpuCapability { Default, Avx2, Avx512 };

std::string_view capability_name(CpuCapability capability);
// The capability EMBER_CPU_CAPABILITY-style text names ("default", "avx2", "avx512"), or nullopt.
std::optional<CpuCapability> parse_capability(std::string_view name);
// The widest capability this CPU supports.
CpuCapability supported_capability();
// The capability the tables use: `requested` when set (an EMBER_CPU_CAPABILITY value, capped at
// what the CPU supports, as PyTorch's ATEN_CPU_CAPABILITY is), else the widest supported. Raises
// ValueError on an unknown name.
CpuCapability select_capability(const char* requested);

// y = fold of x over the dims where y has size 1 (the Reduce primitive's contract).
using ReduceKernel = void (*)(const Tensor& x, const Tensor& y);
// values/indices = extremum of x along dim and where it first sits (ArgReduce's contract).
using ArgReduceKernel = void (*)(const Tensor& x, const Tensor& values, const Tensor& indices,
                                 int64_t dim);

inline constexpr int kNumReduceOps = 7;
static_assert(static_cast<int>(ReduceOp::SumSquares) + 1 == kNumReduceOps, "one row per ReduceOp");

struct KernelTable {
  CpuCapability capability;
  ElementwiseLoop unary[kNumUnaryOps][kNumScalarTypes];
  ElementwiseLoop binary[kNumBinaryOps][kNumScalarTypes];  // indexed by the input type
  ReduceKernel reduce[kNumReduceOps][kNumScalarTypes];     // indexed by the input type
  ArgReduceKernel arg_reduce[2][kNumScalarTypes];          // [is_max][input type]
};

// Filled by unary_kernels.inc, binary_kernels.inc and reduce_kernels.inc, compiled once per ISA.
#define EMBER_DECLARE_FILLERS(isa)          \
  namespace isa {                           \
  void fill_unary(KernelTable& table);      \
  void fill_binary(KernelTable& table);     \
  void fill_reduce(KernelTable& table);     \
  void fill_arg_reduce(KernelTable& table); \
  }
EMBER_DECLARE_FILLERS(generic)
EMBER_DECLARE_FILLERS(avx2)
EMBER_DECLARE_FILLERS(avx512)
#undef EMBER_DECLARE_FILLERS

// The table of one capability; the CPU must support it for its kernels to run.
KernelTable make_kernel_table(CpuCapability capability);
// The table every op uses: make_kernel_table(select_capability(getenv("EMBER_CPU_CAPABILITY"))),
// built once.
const KernelTable& kernels();

}  // namespace ember::cpu
