// How the sorting and selection kernels (sort_kernels.cuh) walk their operands: the rows along
// one dim of an input and its outputs (Sort, Topk, Mode), and the row-major walk of Nonzero.
// Built on the host from tensors; the kernels see only fixed-size structs passed by value.
#pragma once

#include <cstdint>
#include <string_view>

#include "ember/backend/cuda/elementwise_layout.h"

namespace ember::cuda {

// Rows of x along `dim` with the matching rows of the values and indices outputs (whose size
// along dim may be smaller: Topk's k, Mode's 1).
struct SortRowsLayout {
  const void* in = nullptr;
  void* values = nullptr;
  int64_t* indices = nullptr;
  int64_t rows = 0;      // the number of rows
  int64_t length = 0;    // x's elements per row
  int64_t kept = 0;      // the outputs' elements per row
  int64_t step[3] = {};  // the element strides along dim of x, values and indices
  DimWalk<3> outer;      // row index -> the row's first element in x, values and indices
};

// Raises naming op when the dims other than `dim` do not merge into kMaxKernelDims.
SortRowsLayout make_sort_rows_layout(std::string_view op, const Tensor& x, const Tensor& values,
                                     const Tensor& indices, int64_t dim);

// x's elements in row-major order: `walk` maps a linear index to its element offset, `sizes` (x's
// shape, innermost first) turns it into the coordinates Nonzero writes.
struct NonzeroLayout {
  const void* in = nullptr;
  int64_t* out = nullptr;
  int64_t numel = 0;
  int ndim = 0;
  int64_t sizes[kMaxKernelDims] = {};
  DimWalk<1> walk;
};

// Raises naming op for x of more than kMaxKernelDims dims.
NonzeroLayout make_nonzero_layout(std::string_view op, const Tensor& x, const Tensor& out);

}  // namespace ember::cuda
