#include "ember/backend/cpu/reduce_layout.h"

#include <algorithm>

#include "ember/base/parallel.h"

namespace ember::cpu {
namespace {

// Widest run of outputs one task of the outer layout accumulates (accumulators stay in cache).
constexpr int64_t kMaxWidth = 1024;

// Sorts dims innermost first, then merges neighbours that step as one dim in input and output.
void sort_and_coalesce(ReduceDims& dims) {
  std::sort(dims.begin(), dims.end(), [](const ReduceDim& a, const ReduceDim& b) {
    return a.strides[kIn] != b.strides[kIn] ? a.strides[kIn] < b.strides[kIn]
                                            : a.strides[kOut] < b.strides[kOut];
  });
  coalesce_dims(dims);
}

}  // namespace

ReduceLayout make_reduce_layout(const Tensor& x, const Tensor& y, int64_t only_dim) {
  ReduceLayout layout;
  const auto item = static_cast<int64_t>(x.element_size());
  for (int64_t d = 0; d < x.dim(); ++d) {
    const int64_t size = x.shape()[d];
    const bool reduced = only_dim >= 0 ? d == only_dim : y.shape()[d] == 1;
    if (reduced) {
      layout.reduced.push_back({size, {x.strides()[d] * item, 0}});
      layout.folded *= size;
    } else {
      layout.kept.push_back({size, {x.strides()[d] * item, y.strides()[d]}});
      layout.outputs *= size;
    }
  }
  sort_and_coalesce(layout.kept);
  sort_and_coalesce(layout.reduced);
  if (layout.reduced.empty()) layout.reduced.push_back({1, {0, 0}});
  return layout;
}

int64_t run_width(int64_t columns, int64_t outer_count) {
  const int64_t splits = ceil_div(get_num_threads(), outer_count);
  return std::clamp(ceil_div(columns, splits), std::min<int64_t>(columns, 64), kMaxWidth);
}

}  // namespace ember::cpu
