// How a reduction walks its input (reduce_kernels.inc, Note [SIMD dispatch]): two groups of
// coalesced dims, each sorted innermost (smallest input stride) first: kept dims, one output
// element per position, and reduced dims, folded into it. When the innermost input dim is reduced
// ("inner" layout, e.g. sum over the last dim) every output folds its own rows; otherwise ("outer"
// layout, e.g. sum over dim 0) whole input rows are folded elementwise into a run of outputs,
// which vectorizes along the kept dim.
#pragma once

#include <cstdint>

#include "ember/base/strided_walk.h"
#include "ember/tensor/tensor.h"

namespace ember::cpu {

// strides[kIn]: input bytes; strides[kOut]: output elements (0 on reduced dims).
using ReduceDim = StridedDim<2>;
using ReduceDims = SmallVector<ReduceDim, 6>;
inline constexpr int kIn = 0;
inline constexpr int kOut = 1;

struct ReduceLayout {
  ReduceDims kept, reduced;  // innermost first; `reduced` holds at least one dim
  int64_t outputs = 1, folded = 1;
};

// Reduced dims are `only_dim` when it is >= 0, otherwise the dims where y has size 1.
ReduceLayout make_reduce_layout(const Tensor& x, const Tensor& y, int64_t only_dim);

// Outputs per task in the outer layout: wide enough to vectorize, and narrow enough that every
// thread gets a task. Results do not depend on it (each output folds its rows the same way).
int64_t run_width(int64_t columns, int64_t outer_count);

inline int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

}  // namespace ember::cpu
