#include "ember/backend/cuda/upsample_layout.h"

#include <limits>
#include <type_traits>
#include <vector>

#include "ember/base/error.h"
#include "ember/ops/nn_interp_taps.h"
#include "ember/ops/ops.h"

namespace ember::cuda {
namespace {

template <typename T>
void fill_tables(const Upsample& op, UpsampleLayout& layout) {
  const size_t spatial = op.input_size().size();
  const bool all_equal = op.input_size() == op.output_size();
  std::vector<int64_t> indices;
  std::vector<T> weights;
  for (size_t slot = 0; slot < 3; ++slot) {
    // The dims the input lacks lead, with the identity taps (as the CPU's).
    const bool present = slot + spatial >= 3;
    const size_t dim = slot + spatial - 3;
    const interp::Taps<T> taps =
        present ? interp::make_taps<T>(op, dim, all_equal) : interp::unit_taps<T>();
    if (present) {
      layout.in[slot] = op.input_size()[dim];
      layout.out[slot] = op.output_size()[dim];
    }
    layout.begin[slot] = static_cast<int64_t>(indices.size());
    indices.insert(indices.end(), taps.begin.begin(), taps.begin.end());
    layout.index[slot] = static_cast<int64_t>(indices.size());
    indices.insert(indices.end(), taps.index.begin(), taps.index.end());
    layout.weight[slot] = static_cast<int64_t>(weights.size());
    weights.insert(weights.end(), taps.weight.begin(), taps.weight.end());
  }
  layout.indices =
      from_blob_copy(indices.data(), {static_cast<int64_t>(indices.size())}, ScalarType::Int64);
  layout.weights =
      from_blob_copy(weights.data(), {static_cast<int64_t>(weights.size())},
                     std::is_same_v<T, float> ? ScalarType::Float32 : ScalarType::Float64);
}

}  // namespace

UpsampleLayout make_upsample_layout(const Upsample& op, ScalarType dtype, int64_t planes) {
  UpsampleLayout layout;
  layout.planes = planes;
  if (dtype == ScalarType::Float32) {
    fill_tables<float>(op, layout);
  } else if (dtype == ScalarType::Float64) {
    fill_tables<double>(op, layout);
  } else {
    raise_no_kernel(op.name(), "CUDA");
  }
  const int64_t in_numel = planes * layout.in[0] * layout.in[1] * layout.in[2];
  const int64_t out_numel = planes * layout.out[0] * layout.out[1] * layout.out[2];
  constexpr int64_t kMax32 = std::numeric_limits<int32_t>::max();
  layout.fits_32bit = in_numel <= kMax32 && out_numel <= kMax32;
  return layout;
}

}  // namespace ember::cuda
