// How the pooling kernels (pool_kernels.cuh: Pool, AvgPoolBackward) see their windows: the
// primitive's PoolWindows flattened into one int64 table (per axis D, H, W: first, count and
// extent of every output position) that the kernel reads on its device, and the sizes of a
// plane. Built on the host; pool.cu moves the table to x's device before the launch.
#pragma once

#include <cstdint>

#include "ember/ops/primitives_nn_pool.h"
#include "ember/tensor/tensor.h"

namespace ember::cuda {

struct PoolLayout {
  int64_t planes = 0;
  int64_t in[3] = {1, 1, 1};   // D, H, W of the input plane
  int64_t out[3] = {1, 1, 1};  // of the output plane
  int64_t dilation[3] = {1, 1, 1};
  int64_t divisor_override = 0;
  // int64 on the host: axis a's first, count and extent tables start at first[a], count[a] and
  // extent[a].
  Tensor tables;
  int64_t first[3] = {}, count[3] = {}, extent[3] = {};
  bool fits_32bit = true;  // every offset into the input and the output fits int32
};

// The layout of `planes` planes pooled by `windows`.
PoolLayout make_pool_layout(const PoolWindows& windows, int64_t planes);

}  // namespace ember::cuda
