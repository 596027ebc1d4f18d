// How the Upsample kernels (upsample_kernels.cuh) see the primitive: the input viewed as
// (planes, d0, d1, d2), missing leading dims of size 1, and per dim the tap tables the CPU reads
// (ops/nn_interp_taps.h), flattened into an int64 table (the begin and index of every dim) and a
// weight table in x's dtype. Built on the host; upsample.cu moves the tables to x's device.
#pragma once

#include <cstdint>

#include "ember/ops/primitives_nn_interp.h"
#include "ember/tensor/tensor.h"

namespace ember::cuda {

struct UpsampleLayout {
  int64_t planes = 0;
  int64_t in[3] = {1, 1, 1};  // the input plane's dims (the map's source, also for the adjoint)
  int64_t out[3] = {1, 1, 1};
  // Dim a's output index o reads index[k] with weight[k] for k in [begin[o], begin[o + 1]): its
  // begin table starts at begin[a] of `indices`, its indices at index[a], its weights at
  // weight[a] of `weights`.
  Tensor indices;  // int64, on the host
  Tensor weights;  // float32 or float64 (x's dtype), on the host
  int64_t begin[3] = {}, index[3] = {}, weight[3] = {};
  bool fits_32bit = true;  // every offset into a plane pair fits int32
};

// The layout of op over `planes` planes in `dtype` (float32 or float64; others raise
// "[op] has no CUDA kernel").
UpsampleLayout make_upsample_layout(const Upsample& op, ScalarType dtype, int64_t planes);

}  // namespace ember::cuda
