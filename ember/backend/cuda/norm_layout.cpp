#include "ember/backend/cuda/norm_layout.h"

#include <limits>

namespace ember::cuda {

NormLayout make_norm_layout(const Tensor& x) {
  NormLayout layout;
  layout.batch = x.size(0);
  layout.channels = x.size(1);
  for (int64_t d = 2; d < x.dim(); ++d) layout.spatial *= x.size(d);
  layout.fits_32bit = x.numel() <= std::numeric_limits<int32_t>::max();
  return layout;
}

}  // namespace ember::cuda
