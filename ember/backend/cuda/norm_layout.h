// How the normalisation kernels (norm_kernels.cuh: BatchNorm, GroupNorm and their backwards) see
// x: the primitives take it contiguous as (N, C, *), so a channel is N runs of `spatial`
// elements, C * spatial apart, and a (sample, group) is one run of C / groups * spatial elements.
// Built on the host from the tensor's shape only.
#pragma once

#include <cstdint>

#include "ember/tensor/tensor.h"

namespace ember::cuda {

struct NormLayout {
  int64_t batch = 0;
  int64_t channels = 0;
  int64_t spatial = 1;
  bool fits_32bit = true;  // every element offset of x fits int32
};

// x's dims as (N, C, prod of the rest); x has at least two dims.
NormLayout make_norm_layout(const Tensor& x);

}  // namespace ember::cuda
