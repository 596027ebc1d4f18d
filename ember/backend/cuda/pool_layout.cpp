#include "ember/backend/cuda/pool_layout.h"

#include <limits>
#include <vector>

#include "ember/ops/ops.h"

namespace ember::cuda {

PoolLayout make_pool_layout(const PoolWindows& windows, int64_t planes) {
  PoolLayout layout;
  layout.planes = planes;
  layout.divisor_override = windows.divisor_override;
  std::vector<int64_t> table;
  for (int a = 0; a < 3; ++a) {
    const PoolAxis& axis = windows.axes[a];
    layout.in[a] = axis.input_size;
    layout.out[a] = axis.output_size();
    layout.dilation[a] = axis.dilation;
    layout.first[a] = static_cast<int64_t>(table.size());
    table.insert(table.end(), axis.first.begin(), axis.first.end());
    layout.count[a] = static_cast<int64_t>(table.size());
    table.insert(table.end(), axis.count.begin(), axis.count.end());
    layout.extent[a] = static_cast<int64_t>(table.size());
    table.insert(table.end(), axis.extent.begin(), axis.extent.end());
  }
  layout.tables =
      from_blob_copy(table.data(), {static_cast<int64_t>(table.size())}, ScalarType::Int64);
  const int64_t in_numel = planes * layout.in[0] * layout.in[1] * layout.in[2];
  const int64_t out_numel = planes * layout.out[0] * layout.out[1] * layout.out[2];
  constexpr int64_t kMax32 = std::numeric_limits<int32_t>::max();
  layout.fits_32bit = in_numel <= kMax32 && out_numel <= kMax32;
  return layout;
}

}  // namespace ember::cuda
