// The CUDA kernel of the Scan primitive (scan_kernels.cuh): cumsum, cumprod, logcumsumexp and
// cummax/cummin with their indices, for the dtypes visit_kernel_dtype covers (logcumsumexp for
// the floating ones).
#include <type_traits>

#include "ember/backend/cuda/device_launch.cuh"
#include "ember/backend/cuda/elementwise_kernels.cuh"
#include "ember/backend/cuda/scan_kernels.cuh"
#include "ember/ops/cuda_kernels.h"
#include "ember/ops/primitives_scan.h"
#include "ember/tensor/tensor.h"

namespace ember::cuda {
namespace {

void scan_kernel(const Primitive& primitive, TensorSpan inputs, TensorSpan outputs) {
  const auto& scan = dynamic_cast<const Scan&>(primitive);
  const bool with_indices = scan.op() == ScanOp::Max || scan.op() == ScanOp::Min;
  const Tensor& x = inputs[0];
  EMBER_CHECK(outputs[0].dtype() == x.dtype() && outputs.size() == (with_indices ? 2u : 1u), "[",
              scan.name(), "] expected outputs typed like the input");
  const ScanLayout layout = make_scan_layout(scan.name(), x, outputs[0],
                                             with_indices ? &outputs[1] : nullptr, scan.dim());
  const bool ran = visit_kernel_dtype(x.dtype(), [&](auto* tag) {
    using T = std::remove_pointer_t<decltype(tag)>;
    switch (scan.op()) {
      case ScanOp::Sum:
        run_scan<CumSum<T>, T>(layout, DeviceLaunch{});
        return true;
      case ScanOp::Prod:
        run_scan<CumProd<T>, T>(layout, DeviceLaunch{});
        return true;
      case ScanOp::Max:
        run_scan<CumExtremum<T, true>, T>(layout, DeviceLaunch{});
        return true;
      case ScanOp::Min:
        run_scan<CumExtremum<T, false>, T>(layout, DeviceLaunch{});
        return true;
      case ScanOp::LogSumExp:
        if constexpr (kIsKernelFloat<T>) {
          run_scan<LogCumSumExp<T>, T>(layout, DeviceLaunch{});
          return true;
        }
        return false;
    }
    return false;
  });
  if (!ran) raise_no_kernel(scan.name(), "CUDA");
}

const bool registered = [] {
  register_cuda_kernel(PrimitiveKind::Scan, &scan_kernel);
  return true;
}();

}  // namespace
}  // namespace ember::cuda
