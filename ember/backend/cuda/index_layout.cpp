#include "ember/backend/cuda/index_layout.h"

#include <cstdlib>
#include <limits>

#include "ember/base/error.h"
#include "ember/ops/primitives_index.h"
#include "ember/tensor/tensor.h"

namespace ember::cuda {
namespace {

constexpr int64_t kMax32 = std::numeric_limits<int32_t>::max();

// The largest offset operand k reaches through the dims of walk.
template <int N>
int64_t extent_of(const DimWalk<N>& walk, int k) {
  int64_t extent = 0;
  for (int d = 0; d < walk.ndim; ++d) extent += (walk.sizes[d] - 1) * std::abs(walk.strides[d][k]);
  return extent;
}

int64_t walk_numel(const DimWalk<2>& walk) {
  int64_t count = 1;
  for (int d = 0; d < walk.ndim; ++d) count *= walk.sizes[d];
  return count;
}

}  // namespace

AdvancedIndexLayout make_advanced_index_layout(std::string_view op, const IndexLayout& index,
                                               const Tensor& self, const Tensor& other,
                                               const Tensor& positions) {
  AdvancedIndexLayout layout;
  layout.self = self.data_ptr();
  layout.other = other.data_ptr();
  layout.positions = static_cast<const int64_t*>(positions.data_ptr());
  layout.count = positions.shape()[1];
  layout.tuple_stride = other.strides()[index.position];
  layout.allow_negative = index.allow_negative;
  const auto k = static_cast<int>(index.dims.size());
  EMBER_CHECK(k <= kMaxKernelDims, "[", op, "] the CUDA kernels index at most ", kMaxKernelDims,
              " dims at once; got ", k);
  layout.indexed = k;
  for (int j = 0; j < k; ++j) {
    layout.indexed_sizes[j] = self.shape()[index.dims[j]];
    layout.indexed_strides[j] = self.strides()[index.dims[j]];
  }
  // Self's remaining dims, innermost first: those at or after `position` are inner.
  const int64_t remaining = self.dim() - k;
  int64_t r = remaining;
  size_t next_indexed = index.dims.size();
  for (int64_t d = self.dim() - 1; d >= 0; --d) {
    if (next_indexed > 0 && index.dims[next_indexed - 1] == d) {
      --next_indexed;
      continue;
    }
    --r;
    const bool before = r < index.position;
    const int64_t other_dim = before ? r : r + 1;
    DimWalk<2>& walk = before ? layout.outer : layout.inner;
    EMBER_CHECK(walk.add_outer(self.shape()[d], {self.strides()[d], other.strides()[other_dim]}),
                "[", op, "] the CUDA kernels walk at most ", kMaxKernelDims,
                " dims that do not merge; got self of shape ", self.shape());
  }
  layout.outer_numel = walk_numel(layout.outer);
  layout.inner_numel = walk_numel(layout.inner);
  layout.numel = layout.outer_numel * layout.count * layout.inner_numel;
  int64_t self_extent = extent_of(layout.outer, 0) + extent_of(layout.inner, 0);
  for (int j = 0; j < k; ++j) {
    self_extent += (layout.indexed_sizes[j] - 1) * std::abs(layout.indexed_strides[j]);
  }
  const int64_t other_extent = extent_of(layout.outer, 1) + extent_of(layout.inner, 1) +
                               (layout.count - 1) * std::abs(layout.tuple_stride);
  layout.fits_32bit = layout.numel <= kMax32 && self_extent <= kMax32 && other_extent <= kMax32;
  return layout;
}

ScatterLayout make_scatter_layout(std::string_view op, int64_t dim, const Tensor& target,
                                  const Tensor& index, const Tensor& dense) {
  ScatterLayout layout;
  layout.target = target.data_ptr();
  layout.index = static_cast<const int64_t*>(index.data_ptr());
  layout.dense = dense.data_ptr();
  layout.positions = 1;
  for (int64_t d = index.dim() - 1; d >= 0; --d) {
    if (d == dim) continue;
    layout.positions *= index.shape()[d];
    EMBER_CHECK(layout.others.add_outer(index.shape()[d], {target.strides()[d], index.strides()[d],
                                                           dense.strides()[d]}),
                "[", op, "] the CUDA kernels walk at most ", kMaxKernelDims,
                " dims that do not merge; got an index of shape ", index.shape());
  }
  // A 0-d index addresses a 0-d self: one element along a `dim` of size 1.
  const bool scalar = index.dim() == 0;
  layout.length = scalar ? 1 : index.shape()[dim];
  layout.bound = target.dim() == 0 ? 1 : target.shape()[dim];
  if (!scalar) {
    layout.steps[ScatterLayout::kTarget] = target.strides()[dim];
    layout.steps[ScatterLayout::kIndex] = index.strides()[dim];
    layout.steps[ScatterLayout::kDense] = dense.strides()[dim];
  }
  const int64_t lengths[3] = {layout.bound, layout.length, layout.length};
  bool fits = layout.positions * layout.length <= kMax32;
  for (int k = 0; k < 3; ++k) {
    fits &= extent_of(layout.others, k) + (lengths[k] - 1) * std::abs(layout.steps[k]) <= kMax32;
  }
  layout.fits_32bit = fits;
  return layout;
}

EmbeddingLayout make_embedding_layout(const Tensor& table, const Tensor& rows,
                                      const Tensor& indices) {
  EmbeddingLayout layout;
  layout.table = table.data_ptr();
  layout.rows = rows.data_ptr();
  layout.indices = static_cast<const int64_t*>(indices.data_ptr());
  layout.count = indices.numel();
  layout.table_rows = table.shape()[0];
  layout.width = table.shape()[1];
  return layout;
}

}  // namespace ember::cuda
