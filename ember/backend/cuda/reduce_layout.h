// How a Reduce kernel walks its input: the kept dims (shared with the keepdim output) and the
// reduced dims, each merged as far as the strides allow. Built on the host from tensors; the
// kernels (reduce_kernels.cuh) see only the OffsetCalculators.
#pragma once

#include <cstdint>
#include <string_view>

#include "ember/backend/cuda/elementwise_layout.h"

namespace ember::cuda {

struct ReduceLayout {
  const void* in = nullptr;
  void* out = nullptr;
  int64_t outputs = 0;  // elements of the output
  int64_t reduced = 0;  // input elements folded into each output
  // The reduced elements of each output are one run of stride 1 (and there is at least one):
  // a block per output; otherwise a thread per output.
  bool inner = false;
  bool fits_32bit = true;
  DimWalk<2> kept;    // output index -> (input offset, output offset)
  DimWalk<1> folded;  // reduced index -> input offset from the output's base
};

// The layout of out = fold of in over the dims where out (in's rank, keepdim) has size 1 and
// in does not, or over every dim when out is 0-d. Raises naming op when either set of dims does not
// merge into kMaxKernelDims.
ReduceLayout make_reduce_layout(std::string_view op, const Tensor& in, const Tensor& out);

}  // namespace ember::cuda
