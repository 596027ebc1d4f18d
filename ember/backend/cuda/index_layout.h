// How the indexing kernels (index_kernels.cuh: Index, IndexPut, Gather, Scatter, ScatterReduce,
// Embedding, EmbeddingBackward) walk their operands. Built on the host from tensors, from shapes
// and strides only: the index values live on the device and are read (and range-checked) by the
// kernels themselves, which report a bad one through ctx.report_index_error.
#pragma once

#include <cstdint>
#include <string_view>

#include "ember/backend/cuda/elementwise_layout.h"

namespace ember {
struct IndexLayout;
}

namespace ember::cuda {

// Index / IndexPut (ops/primitives_index.h): self's non-indexed dims split into those before the
// tuple dim of the other operand (outer) and after it (inner), each walked jointly by
// {self, other}; the k indexed dims of self with their sizes and strides; the (k, n) positions.
struct AdvancedIndexLayout {
  void* self = nullptr;
  void* other = nullptr;  // Index's result or IndexPut's values
  const int64_t* positions = nullptr;
  int64_t count = 0;         // n, the number of index tuples
  int64_t tuple_stride = 0;  // the other operand's stride along its n-sized dim
  int indexed = 0;           // k
  int64_t indexed_sizes[kMaxKernelDims] = {};
  int64_t indexed_strides[kMaxKernelDims] = {};
  bool allow_negative = true;
  DimWalk<2> outer, inner;
  int64_t outer_numel = 1, inner_numel = 1;
  int64_t numel = 0;  // outer_numel * count * inner_numel: one thread per element moved
  bool fits_32bit = true;
};

// `other` is the operand shaped like self with the indexed dims replaced by one of size n
// (Index's result, IndexPut's values). Raises naming op when a walk needs more than
// kMaxKernelDims dims that do not merge or more than kMaxKernelDims indexed dims.
AdvancedIndexLayout make_advanced_index_layout(std::string_view op, const IndexLayout& index,
                                               const Tensor& self, const Tensor& other,
                                               const Tensor& positions);

// Gather / Scatter / ScatterReduce (ops/primitives_scatter.h): the index's dims other than
// `dim`, walked jointly by {target, index, dense}, and the strides along `dim`.
struct ScatterLayout {
  static constexpr int kTarget = 0, kIndex = 1, kDense = 2;
  void* target = nullptr;  // the indexed tensor: gather's self, scatter's result
  const int64_t* index = nullptr;
  void* dense = nullptr;  // gather's result, scatter's src
  DimWalk<3> others;
  int64_t positions = 0;  // the product of the index's sizes outside `dim`
  int64_t length = 0;     // index.size(dim)
  int64_t bound = 0;      // target.size(dim)
  int64_t steps[3] = {};  // the strides along `dim`
  bool fits_32bit = true;
};

ScatterLayout make_scatter_layout(std::string_view op, int64_t dim, const Tensor& target,
                                  const Tensor& index, const Tensor& dense);

// Embedding / EmbeddingBackward: a contiguous (rows, width) table and n contiguous indices.
struct EmbeddingLayout {
  void* table = nullptr;  // the weight (lookup) or the gradient being built (backward)
  void* rows = nullptr;   // the (n, width) result (lookup) or incoming gradient (backward)
  const int64_t* indices = nullptr;
  int64_t count = 0;  // n
  int64_t table_rows = 0;
  int64_t width = 0;
};

EmbeddingLayout make_embedding_layout(const Tensor& table, const Tensor& rows,
                                      const Tensor& indices);

}  // namespace ember::cuda
