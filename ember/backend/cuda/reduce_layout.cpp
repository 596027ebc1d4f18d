#include "ember/backend/cuda/reduce_layout.h"

#include <limits>

#include "ember/base/error.h"
#include "ember/tensor/tensor.h"

namespace ember::cuda {

ReduceLayout make_reduce_layout(std::string_view op, const Tensor& in, const Tensor& out) {
  // A 0-d output folds everything (CountNonzero's count).
  const bool everything = out.dim() == 0;
  EMBER_CHECK(everything || in.dim() == out.dim(), "[", op,
              "] expected an output of the input's rank ", in.dim(), " or 0-d; got shape ",
              out.sizes());
  ReduceLayout layout;
  layout.in = in.data_ptr();
  layout.out = out.data_ptr();
  layout.outputs = out.numel();
  layout.reduced = out.numel() == 0 ? 0 : in.numel() / out.numel();
  for (int64_t d = in.dim() - 1; d >= 0; --d) {
    const int64_t size = in.sizes()[d];
    const bool is_reduced = everything || (out.sizes()[d] == 1 && size != 1);
    bool placed = false;
    if (is_reduced) {
      placed = layout.folded.add_outer(size, {in.strides()[d]});
    } else {
      placed = layout.kept.add_outer(size, {in.strides()[d], out.strides()[d]});
    }
    EMBER_CHECK(placed, "[", op, "] the CUDA kernels walk at most ", kMaxKernelDims, " kept and ",
                kMaxKernelDims, " reduced dims that do not merge; got input shape ", in.sizes(),
                " and output shape ", out.sizes());
  }
  layout.inner = layout.reduced > 0 && layout.folded.ndim == 1 && layout.folded.strides[0][0] == 1;
  // Offsets from the output's base plus a folded step stay below the input's extent.
  int64_t extent = 0;
  for (int d = 0; d < layout.kept.ndim; ++d) {
    extent += (layout.kept.sizes[d] - 1) * layout.kept.strides[d][0];
  }
  for (int d = 0; d < layout.folded.ndim; ++d) {
    extent += (layout.folded.sizes[d] - 1) * layout.folded.strides[d][0];
  }
  constexpr int64_t kMax32 = std::numeric_limits<int32_t>::max();
  layout.fits_32bit = extent <= kMax32 && layout.outputs <= kMax32 && layout.reduced <= kMax32 &&
                      layout.kept.fits_32bit();
  return layout;
}

}  // namespace ember::cuda
