// How a Scan kernel walks its rows: the dims other than the scanned one, merged as far as the
// strides of the input, the values and the indices allow, and each operand's step along the
// scanned dim. Built on the host from tensors; scan_kernels.cuh sees only the OffsetCalculator.
#pragma once

#include <cstdint>
#include <string_view>

#include "ember/backend/cuda/elementwise_layout.h"

namespace ember::cuda {

struct ScanLayout {
  const void* in = nullptr;
  void* values = nullptr;
  int64_t* indices = nullptr;  // cummax/cummin only
  int64_t rows = 0;            // scanned rows
  int64_t n = 0;               // elements of each row
  int64_t step[3] = {};        // element stride along the scanned dim: input, values, indices
  DimWalk<3> walk;             // row index -> (input, values, indices) offsets of its first element
};

// The layout of a scan of in along dim into values (in's shape) and, when not null, indices.
// Raises naming op when the other dims do not merge into kMaxKernelDims.
ScanLayout make_scan_layout(std::string_view op, const Tensor& in, const Tensor& values,
                            const Tensor* indices, int64_t dim);

}  // namespace ember::cuda
